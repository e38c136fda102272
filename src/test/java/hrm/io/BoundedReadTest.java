package hrm.io;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-file and line-by-line reads of user files, bounded while reading (issue 18). */
class BoundedReadTest {
    static final Path ZERO = Path.of("/dev/zero");

    /** A file that reports 1.5 GB and holds nothing: it costs no disk, and reading it whole would take seconds and gigabytes. */
    static Path sparse(Path dir) throws Exception {
        Path f = dir.resolve("sparse.txt");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(1_500_000_000L);
        }
        return f;
    }

    @Test
    void aFileWithoutEndIsRefusedAtTheLimitNamingFileAndLimit() {
        Assumptions.assumeTrue(Files.isReadable(ZERO), "no /dev/zero here");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoundedRead.bytes(ZERO, 1 << 20, "a maze file"));
        assertEquals("/dev/zero: larger than 1 MiB, the limit for a maze file", e.getMessage());
    }

    @Test
    void aLargeSparseFileIsRefusedWithoutReadingIt(@TempDir Path tmp) throws Exception {
        Path f = sparse(tmp);
        long t0 = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoundedRead.text(f, 8 << 20, "an ARC task file"));
        assertTrue(e.getMessage().startsWith(f + ": larger than 8 MiB"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5e9, "read at most the limit, not 1.5 GB");
    }

    @Test
    void aFileWithinTheLimitIsReadWhole(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("m.txt");
        Files.write(f, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '#', 'S', '\n'});
        assertEquals("#S\n", BoundedRead.text(f, 6, "a test"), "exactly the limit is fine; the byte-order mark goes");
        assertThrows(IllegalArgumentException.class, () -> BoundedRead.text(f, 5, "a test"));
        Files.write(f, new byte[] {'#', (byte) 0xFF});
        UncheckedIOException bin = assertThrows(UncheckedIOException.class, () -> BoundedRead.text(f, 100, "a test"));
        assertEquals(f + ": not UTF-8 text (a binary file?)", bin.getMessage());
        UncheckedIOException missing = assertThrows(UncheckedIOException.class, () -> BoundedRead.bytes(tmp.resolve("nope"), 100, "a test"));
        assertEquals(tmp.resolve("nope") + ": no such file", missing.getMessage());
    }

    @Test
    void linesEndAtLfCrLfOrCr(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("l.txt");
        Files.writeString(f, "a\r\nb\rc\n\nd\r\r\ne", StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        try (LineReader in = LineReader.open(f, 10, "test lines")) {
            for (String l; (l = in.next()) != null; ) {
                lines.add(l);
                numbers.add(in.lineNumber());
            }
        }
        assertEquals(List.of("a", "b", "c", "", "d", "", "e"), lines);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), numbers);
        // a line end split across the reader's 64 Ki-character buffer is still one line end
        Files.writeString(f, "x".repeat((1 << 16) - 1) + "\r\ny\n", StandardCharsets.UTF_8);
        try (LineReader in = LineReader.open(f, 1 << 17, "test lines")) {
            assertEquals((1 << 16) - 1, in.next().length());
            assertEquals("y", in.next());
            assertEquals(null, in.next());
        }
    }

    @Test
    void aLineLongerThanTheFormatAllowsIsRefusedNamingFileAndLine(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("l.txt");
        Files.writeString(f, "ok\n" + "x".repeat(100) + "\n", StandardCharsets.UTF_8);
        try (LineReader in = LineReader.open(f, 99, "a line of this format is 81 characters")) {
            assertEquals("ok", in.next());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, in::next);
            assertEquals(f + ":2: a line longer than 99 characters (a line of this format is 81 characters)", e.getMessage());
        }
        Assumptions.assumeTrue(Files.isReadable(ZERO), "no /dev/zero here");
        try (LineReader in = LineReader.open(ZERO, 1 << 16, "puzzles")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, in::next);
            assertTrue(e.getMessage().startsWith("/dev/zero:1: a line longer than 65536 characters"), e.getMessage());
        }
    }
}
