package hrm.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    static TensorMap everyType() {
        float[] f = {1.5f, -2.25f, 3e-8f, Float.MAX_VALUE, -0f, Float.MIN_VALUE};
        float[] bf = {1f, -2f, 0.5f, 3.140625f, -0x1p100f, 0f}; // all exactly representable in bfloat16
        byte[] half = new byte[8];
        ByteBuffer hb = ByteBuffer.wrap(half).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[]{1f, -0.5f, 65504f, 6.1035156e-5f}) hb.putShort(Float.floatToFloat16(v));
        return new TensorMap()
                .put(NamedTensor.ofBfloat16("bf16", bf, 2, 3))
                .put(NamedTensor.ofFloats("f32", f, 3, 2))
                .put(NamedTensor.ofDoubles("f64", new double[]{Math.PI, -1e300, Double.MIN_VALUE}, 3))
                .put(NamedTensor.ofInts("i32", new int[]{Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2))
                .put(NamedTensor.ofLongs("i64", new long[]{Long.MIN_VALUE, 42, Long.MAX_VALUE}, 1, 3))
                .put(NamedTensor.ofBytes("u8", DType.U8, new byte[]{0, 1, (byte) 255, (byte) 128, 7}, 5))
                .put(NamedTensor.ofBytes("f16", DType.F16, half, 4))
                .put(NamedTensor.ofBytes("flags", DType.BOOL, new byte[]{1, 0, 1}, 3))
                .put(NamedTensor.ofFloats("scalar", new float[]{7f}))
                .put(NamedTensor.ofFloats("empty", new float[0], 0, 4))
                .putMetadata("format", "hrm-java")
                .putMetadata("step", "12");
    }

    @Test
    void roundTripKeepsEveryTypeShapeValueAndMetadata() {
        TensorMap in = everyType();
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, in);
        TensorMap out = Safetensors.read(file);
        assertEquals(new java.util.HashSet<>(in.names()), new java.util.HashSet<>(out.names()));
        assertEquals(in.size(), out.size());
        for (NamedTensor t : in.tensors()) {
            NamedTensor r = out.get(t.name());
            assertTrue(t.contentEquals(r), t + " came back as " + r);
        }
        assertEquals(in.metadata(), out.metadata());
        assertArrayEquals(new float[]{1f, -2f, 0.5f, 3.140625f, -0x1p100f, 0f}, out.get("bf16").toFloats());
        assertArrayEquals(new long[]{Long.MIN_VALUE, 42, Long.MAX_VALUE}, out.get("i64").toLongs());
        assertArrayEquals(new int[]{0, 1, 255, 128, 7}, out.get("u8").toInts());
        assertArrayEquals(new float[]{1f, -0.5f, 65504f, 6.1035156e-5f}, out.get("f16").toFloats());
        assertArrayEquals(new double[]{Math.PI, -1e300, Double.MIN_VALUE}, out.get("f64").toDoubles());
        assertEquals(0, out.get("scalar").rank());
        // every tensor starts on a multiple of its element size (header padded to 8, widest first)
        long headerLen = readHeaderLength(file);
        assertEquals(0, (8 + headerLen) % 8);
    }

    @Test
    void readsAFileBuiltByHandFromTheFormatDescription() throws IOException {
        String header = "{\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},\"__metadata__\":{\"k\":\"v\"}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(0.25f).putFloat(-4f).putInt(3).putInt(-9);
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, b.array());
        TensorMap m = Safetensors.read(file);
        assertEquals(List.of("b", "a"), List.copyOf(m.names()));
        assertArrayEquals(new float[]{0.25f, -4f}, m.get("a").toFloats());
        assertArrayEquals(new long[]{1, 2}, m.get("a").shape());
        assertArrayEquals(new int[]{3, -9}, m.get("b").toInts());
        assertEquals("v", m.metadata().get("k"));
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertEquals((short) 0x3f80, NamedTensor.toBfloat16(1f));
        assertEquals((short) 0x3f80, NamedTensor.toBfloat16(Float.intBitsToFloat(0x3f808000))); // tie, even stays
        assertEquals((short) 0x3f82, NamedTensor.toBfloat16(Float.intBitsToFloat(0x3f818000))); // tie, odd rounds up
        assertEquals((short) 0x3f81, NamedTensor.toBfloat16(Float.intBitsToFloat(0x3f808001)));
        assertTrue(Float.isNaN(NamedTensor.ofBfloat16("n", new float[]{Float.NaN}, 1).toFloats()[0]));
    }

    @Test
    void writeIsAtomicAndReplacesAnOldFile() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Files.writeString(file, "old contents");
        Safetensors.write(file, everyType());
        assertEquals(everyType().size(), Safetensors.read(file).size());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList(), "no temporary file left behind");
        }
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file), "permissions as for any new file (umask)");
    }

    @Test
    void everyTruncationIsAnErrorNamingTheFile() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Safetensors.write(good, everyType());
        byte[] all = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.safetensors");
        for (int len = 0; len < all.length; len++) {
            Files.write(cut, Arrays.copyOf(all, len));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Safetensors.read(cut), "cut at " + len);
            assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
            if (len >= 8 + readHeaderLength(good)) assertTrue(e.getMessage().contains("truncated: tensor '"), e.getMessage());
            else assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void corruptHeadersAreErrorsNamingTheTensorOrField() throws IOException {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[8,12]}}";
        assertEquals(2, Safetensors.read(file(ok, 12)).size());
        refused(ok.replace("\"F32\"", "\"F8_E9M9\""), 12, "tensor 'a': unsupported dtype 'F8_E9M9'");
        refused(ok.replace("[0,8]", "[0,4]"), 12, "tensor 'a': data_offsets [0, 4] hold 4 bytes, but F32 (2,) needs 8");
        refused(ok.replace("[8,12]", "[4,8]").replace("[0,8]", "[0,4]").replace("\"shape\":[2]", "\"shape\":[1]"), 12, "4 unexpected bytes after the last tensor");
        refused(ok.replace("[8,12]", "[6,10]"), 12, "tensor 'b': data starts at byte 6 but the previous tensor 'a' ends at 8");
        refused(ok.replace("\"shape\":[2]", "\"shape\":[-2]"), 12, "tensor 'a': 'shape'[0] = -2 is not a non-negative integer");
        refused(ok.replace("\"shape\":[2],", ""), 12, "tensor 'a': missing or non-array 'shape'");
        refused(ok.replace("[0,8]", "[0,8,9]"), 12, "tensor 'a': 'data_offsets' has 3 entries");
        refused(ok.replace("{\"a\":", "{\"a\":{},\"c\":"), 12, "tensor 'a': missing or non-string 'dtype'");
        refused(ok.replace("}}", "},\"__metadata__\":{\"k\":3}}"), 12, "__metadata__.k = 3 is not a string");
        refused(ok.replace("}}", "},\"a\":{}}"), 12, "header is not valid JSON: Duplicate field 'a'");
        refused(ok.substring(0, 30), 12, "header is not valid JSON");
        refused("[1,2]", 0, "header is not a JSON object");
        refused(ok, 11, "truncated: tensor 'b' needs data bytes [8, 12) but the file holds only 11");
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertTrue(assertThrows(CheckpointFormatException.class, () -> Safetensors.read(huge)).getMessage()
                .contains("header length 1099511627776 is not plausible"));
    }

    private int fileCount;

    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("f" + fileCount++ + ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private void refused(String header, int dataBytes, String expected) throws IOException {
        Path f = file(header, dataBytes);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Safetensors.read(f), header);
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected: " + expected);
    }

    private static long readHeaderLength(Path file) {
        try {
            return ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
