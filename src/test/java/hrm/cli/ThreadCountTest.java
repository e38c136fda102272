package hrm.cli;

import hrm.tensor.cpu.ThreadCount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One bound on worker threads for every command (issue 18): before it, train alone was bounded and
 * {@code eval threads=5000}, {@code solve --threads 5000} and {@code bench --threads 5000} started
 * thousands of spinning workers and never finished. The timeout turns such a hang into a failure.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThreadCountTest {
    private static final String SUDOKU_CKPT = "testdata/parity/sudoku/checkpoint/step_1007";

    private static void assertRefused(TrainCommandTest.Result r, String option) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(option + " = 5000") && r.err().contains(Integer.toString(ThreadCount.MAX)), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void evalRefusesMoreThreadsThanTheBound(@TempDir Path tmp) {
        assertRefused(TrainCommandTest.run("eval", "checkpoint=" + SUDOKU_CKPT, "data_path=testdata/reference-datasets/sudoku",
                "threads=5000", "--output", tmp.resolve("e").toString()), "threads");
        assertFalse(Files.exists(tmp.resolve("e")));
    }

    @Test
    void solveRefusesMoreThreadsThanTheBound() {
        assertRefused(TrainCommandTest.run("solve", "--checkpoint", SUDOKU_CKPT, "--threads", "5000", "sudoku", ".".repeat(81)), "--threads");
    }

    @Test
    void benchRefusesMoreThreadsThanTheBound() {
        assertRefused(TrainCommandTest.run("bench", "--threads", "5000", "--mode", "eval", "--batch", "1", "--seq", "4", "--hidden", "16",
                "--heads", "1", "--layers", "1", "--steps", "1"), "--threads");
    }

    @Test
    void theSudokuDataCommandsRefuseMoreThreadsThanTheBound(@TempDir Path tmp) {
        assertRefused(TrainCommandTest.run("data", "sudoku", "--generate", "20", "--threads", "5000", "--output-dir", tmp.resolve("d").toString()), "--threads");
        assertFalse(Files.exists(tmp.resolve("d")));
        assertRefused(TrainCommandTest.run("data", "sudoku-bench", "--threads", "5000", "testdata/sudoku/tdoku_test_puzzles.txt"), "--threads");
    }

    @Test
    void trainAndDemoShareTheBound(@TempDir Path tmp) {
        // 300 was accepted before (train's own bound was 4096)
        TrainCommandTest.Result r = TrainCommandTest.run(TrainCommandTest.args(tmp.resolve("run"), "threads=300"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("threads = 300") && r.err().contains("at most " + ThreadCount.MAX), r.err());
        r = TrainCommandTest.run("demo", "--dir", tmp.resolve("demo").toString(), "--train-puzzles", "20", "--test-puzzles", "4", "threads=300");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("threads = 300") && r.err().contains("at most " + ThreadCount.MAX), r.err());
    }

    @Test
    void theBoundItselfAndZeroAreNamed() {
        assertEquals(ThreadCount.MAX, ThreadCount.check("--threads", ThreadCount.MAX));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ThreadCount.check("--threads", 0));
        assertTrue(e.getMessage().contains("--threads = 0"), e.getMessage());
        TrainCommandTest.Result r = TrainCommandTest.run("solve", "--checkpoint", SUDOKU_CKPT, "--threads", "0", "sudoku", ".".repeat(81));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--threads = 0"), r.err());
    }
}
