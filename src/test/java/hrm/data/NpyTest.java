package hrm.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Missing, truncated or corrupt .npy files are refused with the file and the field named. */
class NpyTest {
    private static String refused(Path f) {
        return assertThrows(Npy.NpyFormatException.class, () -> Npy.read(f)).getMessage();
    }

    @Test
    void corruptHeadersNameTheFileAndField(@TempDir Path tmp) throws Exception {
        Path good = tmp.resolve("good.npy");
        Npy.writeInts(good, new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
        byte[] bytes = Files.readAllBytes(good);
        String header = new String(bytes, 10, bytes.length - 10 - 24, java.nio.charset.StandardCharsets.ISO_8859_1);

        Path f = tmp.resolve("magic.npy");
        byte[] b = bytes.clone();
        b[1] = 'X';
        Files.write(f, b);
        assertTrue(refused(f).contains("magic.npy") && refused(f).contains("bad magic"), refused(f));

        f = tmp.resolve("short.npy");
        Files.write(f, Arrays.copyOf(bytes, 6));
        assertTrue(refused(f).contains("short.npy") && refused(f).contains("too short"), refused(f));

        f = tmp.resolve("truncated.npy");
        Files.write(f, Arrays.copyOf(bytes, bytes.length - 5));
        assertTrue(refused(f).contains("truncated"), refused(f));

        f = tmp.resolve("noshape.npy");
        b = bytes.clone();
        byte[] h = header.replace("'shape'", "'shapf'").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(h, 0, b, 10, h.length);
        Files.write(f, b);
        assertTrue(refused(f).contains("noshape.npy") && refused(f).contains("'shape'"), refused(f));

        f = tmp.resolve("dtype.npy");
        b = bytes.clone();
        h = header.replace("'<i4'", "'<c8'").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        System.arraycopy(h, 0, b, 10, h.length);
        Files.write(f, b);
        assertTrue(refused(f).contains("unsupported dtype '<c8'"), refused(f));

        f = tmp.resolve("version.npy");
        b = bytes.clone();
        b[6] = 9;
        Files.write(f, b);
        assertTrue(refused(f).contains("version 9"), refused(f));

        // a shape whose element count overflows a long: one line, not an ArithmeticException
        f = tmp.resolve("huge.npy");
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }";
        int total = 10 + dict.length() + 1;
        dict = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) (dict.length() & 0xff), (byte) (dict.length() >> 8)});
        o.write(dict.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        o.write(new byte[16]);
        Files.write(f, o.toByteArray());
        assertTrue(refused(f).contains("huge.npy") && refused(f).contains("more elements than any file can hold"), refused(f));

        Npy.Array a = Npy.read(good);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, a.toInts());
    }
}
