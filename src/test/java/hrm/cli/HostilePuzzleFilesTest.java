package hrm.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Puzzle files that never end (/dev/zero) or claim 1.5 GB (a sparse file) are refused at a limit
 * that fits their format, in one line naming the file and the limit, quickly and in bounded memory
 * (issue 18: solve maze /dev/zero and data sudoku-bench /dev/zero ran out of a 4 GB heap).
 * Memory is what the command allocates on this thread; it runs here, in-process.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostilePuzzleFilesTest {
    static final String ARC_CKPT = "testdata/parity/arc/checkpoint/step_1007";
    static final long MAX_ALLOCATED = 64L << 20;
    @TempDir
    static Path tmp;
    static Path sparse;

    @BeforeAll
    static void files() throws Exception {
        sparse = tmp.resolve("sparse.txt");
        try (RandomAccessFile raf = new RandomAccessFile(sparse.toFile(), "rw")) {
            raf.setLength(1_500_000_000L);
        }
    }

    record Outcome(TrainCommandTest.Result result, long allocated, double seconds) {}

    static Outcome run(String... args) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId(), before = mx.getThreadAllocatedBytes(id), t0 = System.nanoTime();
        TrainCommandTest.Result r = TrainCommandTest.run(args);
        return new Outcome(r, mx.getThreadAllocatedBytes(id) - before, (System.nanoTime() - t0) / 1e9);
    }

    static void assertRefused(Outcome o, Path file, String limit) {
        String err = o.result().err();
        assertEquals(2, o.result().code(), err);
        assertTrue(err.contains(file.toString()) && err.contains(limit), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertFalse(err.contains("\tat "), err);
        assertTrue(o.allocated() < MAX_ALLOCATED, "bounded memory: allocated " + (o.allocated() >> 20) + " MiB");
        assertTrue(o.seconds() < 20, "fails fast: " + o.seconds() + " s");
    }

    static Path zero() {
        Path z = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.isReadable(z), "no /dev/zero here");
        return z;
    }

    @Test
    void solveRefusesAMazeFileBeyondOneMebibyte() {
        assertRefused(run("solve", "--checkpoint", ARC_CKPT, "maze", zero().toString()), zero(), "1 MiB");
        assertRefused(run("solve", "--checkpoint", ARC_CKPT, "maze", sparse.toString()), sparse, "1 MiB");
    }

    @Test
    void solveRefusesAnArcTaskBeyondEightMebibytes() {
        assertRefused(run("solve", "--checkpoint", ARC_CKPT, "arc", zero().toString()), zero(), "8 MiB");
        assertRefused(run("solve", "--checkpoint", ARC_CKPT, "arc", sparse.toString()), sparse, "8 MiB");
    }

    @Test
    void sudokuBenchAndPuzzleListsRefuseALineBeyondTheCap() {
        assertRefused(run("data", "sudoku-bench", "--threads", "1", zero().toString()), zero(), ":1: a line longer than 65536 characters");
        assertRefused(run("data", "sudoku-bench", "--threads", "1", sparse.toString()), sparse, ":1: a line longer than 65536 characters");
        Path out = tmp.resolve("out");
        assertRefused(run("data", "sudoku", "--threads", "1", "--puzzles", zero().toString(), "--output-dir", out.toString()), zero(), "65536 characters");
        assertRefused(run("data", "sudoku", "--threads", "1", "--source-csv", sparse.toString(), "--output-dir", out.toString()), sparse, "65536 characters");
        assertFalse(Files.exists(out));
    }

    @Test
    void mazeCsvRefusesARowBeyondTheCap() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("maze-csv"));
        Files.createSymbolicLink(dir.resolve("train.csv"), sparse);
        Files.copy(Path.of("testdata/reference-datasets/maze-csv/test.csv"), dir.resolve("test.csv"));
        Outcome o = run("data", "maze", "--source-csv", dir.toString(), "--output-dir", tmp.resolve("maze-out").toString());
        assertEquals(2, o.result().code(), o.result().err());
        assertTrue(o.result().err().contains("train.csv:1: a line longer than 4194304 characters"), o.result().err());
        assertTrue(o.seconds() < 20, "fails fast: " + o.seconds() + " s");
    }
}
