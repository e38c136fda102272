package hrm.cli;

import hrm.io.ShellQuote;
import hrm.io.ShellQuoteTest;
import hrm.runtime.CheckpointResolver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One way to name a checkpoint in every command: {@code --checkpoint PATH} and {@code checkpoint=PATH}
 * alike in eval, solve and analyze, a run directory meaning its latest step, and the run directory
 * hrm train prints pasting back as printed. The run is named like the authors' default names, with
 * spaces (and a quote).
 */
class CheckpointNamingTest {
    static final String SUDOKU = "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";
    @TempDir
    static Path tmp;
    static Path run;
    static String trainErr;

    @BeforeAll
    static void trainATinyRun() {
        run = tmp.resolve("checkpoints/Nope ACT-torch/HierarchicalReasoningModel_ACTV1 it's-sparrow");
        PredictionConsistencyTest.Run r = PredictionConsistencyTest.run(TrainCommandTest.args(run));
        assertEquals(0, r.code(), r.err());
        trainErr = r.err();
        assertTrue(Files.isDirectory(run.resolve("step_18")));
    }

    private static void assertOneLine(PredictionConsistencyTest.Run r, String... parts) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        for (String p : parts) assertTrue(r.err().contains(p), r.err());
    }

    @Test
    void trainPrintsWhereItsCheckpointsAreAndTheEvalLineThatPastesBack() throws Exception {
        String quoted = ShellQuote.quote(run);
        assertTrue(quoted.startsWith("'") && quoted.contains("'\\''"), quoted);
        assertTrue(trainErr.contains("checkpoints in: " + quoted + System.lineSeparator()
                + "next: ./hrm eval --checkpoint " + quoted + System.lineSeparator()), trainErr);
        String next = trainErr.lines().filter(l -> l.startsWith("next: ./hrm ")).findFirst().orElseThrow();
        List<String> args = new ArrayList<>(ShellQuoteTest.words(next.substring("next: ./hrm ".length())));
        assertEquals(List.of("eval", "--checkpoint", run.toString()), args, "bash reads the path back whole");
        args.addAll(List.of("threads=2", "--output", tmp.resolve("pasted").toString()));
        PredictionConsistencyTest.Run r = PredictionConsistencyTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("hrm eval: using step_18, the latest checkpoint in " + quoted + System.lineSeparator()), r.err());
        assertTrue(Files.isRegularFile(tmp.resolve("pasted/metrics.json")));
    }

    @Test
    void evalTakesTheKeyFormARunDirectoryAndRefusesTwoCheckpoints() {
        PredictionConsistencyTest.Run r = PredictionConsistencyTest.run("eval", "checkpoint=" + run, "threads=2", "--output", tmp.resolve("key").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("using step_18"), r.err());
        assertTrue(r.out().contains("\"checkpoint\" : \"" + run.resolve("step_18") + "\""), "the report names the step evaluated: " + r.out());
        assertOneLine(PredictionConsistencyTest.run("eval", "--checkpoint", run.toString(), "checkpoint=" + run.resolve("step_9"), "threads=2"),
                "--checkpoint " + run + " and checkpoint=" + run.resolve("step_9"));
        assertOneLine(PredictionConsistencyTest.run("eval", "threads=2"), "--checkpoint PATH is required");
        assertOneLine(PredictionConsistencyTest.run("eval", "checkpoint="), "checkpoint=: an empty path");
        Path empty = tmp.resolve("empty run");
        assertDoesNotThrow(() -> Files.createDirectories(empty));
        assertOneLine(PredictionConsistencyTest.run("eval", "--checkpoint", empty.toString()),
                "hrm eval: " + empty + ": no step_N checkpoint inside (" + CheckpointResolver.EXPECTED + ")");
    }

    @Test
    void solveTakesBothFormsBeforeOrAfterThePuzzleAndRefusesTwoCheckpoints() {
        for (List<String> form : List.of(List.of("checkpoint=" + run, "--threads", "1", "sudoku", SUDOKU),
                List.of("--threads", "1", "sudoku", SUDOKU, "--checkpoint", run.toString()))) {
            List<String> args = new ArrayList<>(List.of("solve"));
            args.addAll(form);
            PredictionConsistencyTest.Run r = PredictionConsistencyTest.run(args.toArray(String[]::new));
            assertTrue(r.code() == 0 || r.code() == 1, "0 or 1: the tiny model's answer is right or not; " + r.err());
            assertTrue(r.out().contains("answer:"), r.out());
            assertTrue(r.err().contains("hrm solve: using step_18, the latest checkpoint in " + ShellQuote.quote(run)), r.err());
        }
        assertOneLine(PredictionConsistencyTest.run("solve", "checkpoint=" + run.resolve("step_9"), "--checkpoint", run.toString(), "sudoku", SUDOKU),
                "--checkpoint " + run + " and checkpoint=" + run.resolve("step_9"));
        assertOneLine(PredictionConsistencyTest.run("solve", "sudoku", SUDOKU), "--checkpoint PATH is required");
    }

    @Test
    void analyzeTakesTheSameOptionAndEveryHelpShowsIt() {
        assertOneLine(PredictionConsistencyTest.run("analyze", "scaling", "--checkpoint", run.toString(), "checkpoint=" + tmp),
                "--checkpoint " + run + " and checkpoint=" + tmp);
        for (String command : List.of("eval", "solve", "analyze")) {
            PredictionConsistencyTest.Run help = PredictionConsistencyTest.run(command, "--help");
            assertTrue(help.out().contains("--checkpoint=PATH") && help.out().contains("checkpoint=PATH is accepted too"), command + ": " + help.out());
        }
    }
}
