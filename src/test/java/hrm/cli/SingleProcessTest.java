package hrm.cli;

import hrm.dist.MpiTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under an MPI launcher only train runs (issue 18: mpirun -np 2 ./hrm eval|solve|data|demo did the
 * work once per rank and raced on the outputs). The launcher is read from the environment, given
 * here as a map; the last test runs a real mpirun where one is installed.
 */
class SingleProcessTest {
    static final Map<String, String> TWO_RANKS = Map.of("OMPI_COMM_WORLD_SIZE", "2", "OMPI_COMM_WORLD_RANK", "0");
    static final String SUDOKU_CKPT = "testdata/parity/sudoku/checkpoint/step_1007";

    record Run(int code, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    static void assertRefused(Run r, String command) {
        assertEquals(2, r.code(), r.err());
        assertEquals(command + ": runs as one process; it is not data parallel (only hrm train is): run it without mpirun (the launcher started 2 processes)",
                r.err().strip());
    }

    @Test
    void everyCommandButTrainRefusesToRunAsSeveralRanks(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        assertRefused(run(TWO_RANKS, "eval", "checkpoint=" + SUDOKU_CKPT, "data_path=testdata/reference-datasets/sudoku", "threads=1", "--output", out.toString()), "hrm eval");
        assertRefused(run(TWO_RANKS, "solve", "--checkpoint", SUDOKU_CKPT, "--threads", "1", "sudoku", ".".repeat(81)), "hrm solve");
        assertRefused(run(TWO_RANKS, "bench", "--threads", "1", "--steps", "1"), "hrm bench");
        assertRefused(run(TWO_RANKS, "demo", "--dir", out.toString()), "hrm demo");
        assertRefused(run(TWO_RANKS, "data", "sudoku", "--generate", "20", "--output-dir", out.toString()), "hrm data sudoku");
        assertRefused(run(TWO_RANKS, "data", "maze", "--generate", "2", "--output-dir", out.toString()), "hrm data maze");
        assertRefused(run(TWO_RANKS, "data", "arc", "--dataset-dirs", "testdata/arc/arc-agi-1/data", "--output-dir", out.toString()), "hrm data arc");
        assertRefused(run(TWO_RANKS, "data", "sudoku-bench", "testdata/sudoku/tdoku_test_puzzles.txt"), "hrm data sudoku-bench");
        assertFalse(Files.exists(out), "refused before any work");
    }

    @Test
    void onlyTheFirstRankSaysSoAndEveryRankExitsTwo() {
        Run r = run(Map.of("OMPI_COMM_WORLD_SIZE", "2", "OMPI_COMM_WORLD_RANK", "1"), "data", "sudoku-bench", "testdata/sudoku/tdoku_test_puzzles.txt");
        assertEquals(2, r.code());
        assertEquals("", r.err() + r.out());
    }

    @Test
    void oneProcessHelpAndTrainAreNotRefused(@TempDir Path tmp) {
        Run r = run(Map.of("OMPI_COMM_WORLD_SIZE", "1", "OMPI_COMM_WORLD_RANK", "0"), "data", "sudoku-bench", "--threads", "1", "testdata/sudoku/tdoku_test_puzzles.txt");
        assertEquals(0, r.code(), "a launcher of one process is one process: " + r.err());
        r = run(TWO_RANKS, "eval", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("checkpoint="), r.out());
        r = run(TWO_RANKS, "--version");
        assertEquals(0, r.code(), r.err());
        // train is data parallel: the policy lets it through (starting MPI itself is train's business)
        CommandLine cl = Main.commandLine(TWO_RANKS);
        assertNull(SingleProcess.refusal(cl.parseArgs("train", "data_path=x"), TWO_RANKS));
        assertNull(SingleProcess.refusal(cl.parseArgs("data"), TWO_RANKS), "hrm data only prints its usage");
    }

    @Test
    void theLaunchersAreReadFromTheirVariables() {
        assertEquals(1, SingleProcess.processes(Map.of("PATH", "/usr/bin")));
        assertEquals(4, SingleProcess.processes(Map.of("PMI_SIZE", "4", "PMI_RANK", "3")), "MPICH's Hydra, srun with PMI");
        assertEquals(0, SingleProcess.processes(Map.of("PMIX_RANK", "0")), "PMIx alone does not say how many: counted as many");
        Run r = run(Map.of("PMIX_RANK", "0"), "data", "sudoku-bench", "testdata/sudoku/tdoku_test_puzzles.txt");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("hrm data sudoku-bench: runs as one process") && r.err().contains("does not say how many processes"), r.err());
    }

    @Test
    void aRealMpirunOfEvalIsRefusedOnce(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(MpiTest.mpirun() != null, "mpirun is not installed (apt-get install openmpi-bin); .ci/run installs it");
        int[] exit = new int[1];
        Path out = tmp.resolve("eval");
        String text = MpiTest.run(MpiTest.command(2, Main.class.getName(), "eval", "checkpoint=" + SUDOKU_CKPT,
                "data_path=testdata/reference-datasets/sudoku", "threads=1", "--output", out.toString()), 120, exit);
        assertEquals(2, exit[0], text);
        assertEquals(1, text.lines().filter(l -> l.contains("hrm eval: runs as one process; it is not data parallel")).count(), text);
        assertFalse(Files.exists(out), text);
        assertEquals(List.of(), text.lines().filter(l -> l.contains("\tat ")).toList());
    }
}
