package hrm.cli;

import hrm.io.ShellQuote;
import hrm.io.ShellQuoteTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The demo's whole pipeline on a small budget (the full run's accuracy is measured, not tested: it takes minutes). */
class DemoCommandTest {
    @Test
    void buildsTrainsEvaluatesAndShowsPuzzles(@TempDir Path base) throws Exception {
        Path tmp = base.resolve("my demo's dir"); // printed paths must paste back whole
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute("demo", "--dir", tmp.toString(), "--train-puzzles", "256", "--test-puzzles", "64",
                "epochs=2", "eval_interval=2", "arch.hidden_size=32", "arch.num_heads=2", "arch.H_layers=1", "arch.L_layers=1", "threads=2");
        assertEquals(0, code, out.toString());
        String text = out.toString();
        assertTrue(text.contains("256 training and 64 held-out 6x6 Sudoku puzzles"), text);
        assertTrue(text.matches("(?s).*held-out puzzles: \\d+\\.\\d% solved exactly.*"), text);
        assertTrue(text.contains("held-out puzzle 3:"), text);
        assertTrue(Files.isDirectory(tmp.resolve("run/step_8")), "2 epochs of 256 puzzles in batches of 64");
        String run = ShellQuote.quote(tmp.resolve("run"));
        assertTrue(text.contains("checkpoints in: " + run + System.lineSeparator() + "next: ./hrm eval --checkpoint " + run + System.lineSeparator()), text);
        String solve = text.lines().filter(l -> l.startsWith("Solve your own: ./hrm solve --checkpoint ")).findFirst().orElseThrow();
        assertEquals(List.of(tmp.resolve("run/step_8").toString()),
                ShellQuoteTest.words(solve.substring("Solve your own: ./hrm solve --checkpoint ".length()).replaceFirst(" sudoku .*", "")),
                "the model's path pastes back whole: " + solve);
        String next = text.lines().filter(l -> l.startsWith("next: ./hrm ")).findFirst().orElseThrow();
        assertEquals(List.of("eval", "--checkpoint", tmp.resolve("run").toString()), ShellQuoteTest.words(next.substring("next: ./hrm ".length())));
    }

    /** The demo of {@code model} on a small budget (256 puzzles, 2 epochs, 32 wide) in dir; it reports the held-out accuracy. */
    static String smallDemo(String model, Path dir) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute("demo", "--model", model, "--dir", dir.toString(), "--train-puzzles", "256", "--test-puzzles", "64",
                "epochs=2", "eval_interval=2", "arch.hidden_size=32", "arch.num_heads=2", "threads=2");
        assertEquals(0, code, out.toString());
        String text = out.toString();
        assertTrue(text.matches("(?s).*held-out puzzles: \\d+\\.\\d% solved exactly.*"), text);
        return text;
    }

    /**
     * The TRM demo on a small budget: it trains with the moving average, its checkpoint holds the
     * averaged weights for eval and solve and the live ones for resuming, and hrm solve answers
     * a 6x6 puzzle with it.
     */
    @Test
    void trmDemoTrainsWithTheMovingAverageAndItsCheckpointSolves(@TempDir Path tmp) {
        smallDemo("trm", tmp);
        Path step = tmp.resolve("run-trm/step_8");
        assertTrue(Files.isDirectory(step), "2 epochs of 256 puzzles in batches of 64, in run-trm/");
        assertTrue(hrm.checkpoint.Safetensors.read(step.resolve("optimizer.safetensors")).has("weights.live"),
                "with ema the live weights travel beside the moments");
        // the token embedding leads the flat buffer: its averaged values (model) are not its live ones
        float[] averaged = hrm.checkpoint.Safetensors.read(step.resolve("model.safetensors")).get("model.inner.embed_tokens.embedding_weight").toFloats();
        float[] live = hrm.checkpoint.Safetensors.read(step.resolve("optimizer.safetensors")).get("weights.live").toFloats();
        assertFalse(java.util.Arrays.equals(averaged, java.util.Arrays.copyOf(live, averaged.length)), "model.safetensors holds the moving average");
        StringWriter solved = new StringWriter(), err = new StringWriter();
        CommandLine solve = Main.commandLine();
        solve.setOut(new PrintWriter(solved, true));
        solve.setErr(new PrintWriter(err, true));
        int sc = solve.execute("solve", "--checkpoint", step.toString(), "--threads", "1", "sudoku", "123456456123" + ".".repeat(24));
        assertTrue(sc == 0 || sc == 1, "0: a valid answer, 1: an invalid one (this model trained for 8 steps); " + err);
        assertTrue(solved.toString().contains("answer:") && solved.toString().contains(sc == 0 ? "valid:" : "not a valid solution"), solved.toString());
        assertEquals(2, Main.commandLine().execute("demo", "--model", "xrm", "--dir", tmp.toString()), "an unknown model is a usage error");
    }

    /**
     * The demo evaluates 4 times inside its one pass (eval_every_steps), so its evaluation plots hold 4 points,
     * while its data order stays that of one pass of 8 epochs; checkpoints every 250 steps (resume after Ctrl-C).
     */
    @Test
    void theDemoEvaluatesFourTimesInOnePass() {
        hrm.train.config.TrainConfig cfg = hrm.train.config.TrainConfig.fromMap(
                hrm.train.config.ConfigLoader.standard().load("cfg_demo", java.util.List.of()));
        assertEquals(8, cfg.epochs());
        assertEquals(1, cfg.passes());
        assertEquals(625, cfg.evalEverySteps(), "2,500 steps: evaluated at 625, 1250, 1875 and at the end");
        assertTrue(cfg.checkpointEveryEval());
        assertEquals(250, cfg.checkpointEverySteps());
    }

    /**
     * A demo stopped after an evaluation on the way is not finished: it says so (the evaluation is not the
     * result), and continued it evaluates again at the end.
     */
    @Test
    void aDemoStoppedAfterAnEvaluationOnTheWayIsNotFinished(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("demo");
        String stopped = demo(dir, "eval_interval=1", "stop_at_step=6"); // 4 steps per epoch: evaluated at step 4
        assertTrue(stopped.contains("stopped at step 6; run the same command again to continue"), stopped);
        assertFalse(stopped.contains("held-out puzzles:"), stopped);
        String continued = demo(dir, "eval_interval=1");
        assertTrue(continued.matches("(?s).*held-out puzzles: \\d+\\.\\d% solved exactly.*"), continued);
        java.util.List<Long> evaluated = hrm.train.log.MetricsLog.readRecords(dir.resolve("run")).stream()
                .filter(r -> r.metrics().containsKey("all/exact_accuracy")).map(hrm.train.log.MetricsRecord::step).toList();
        assertEquals(java.util.List.of(4L, 8L), evaluated);
    }

    private static String demo(Path dir, String... extra) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("demo", "--dir", dir.toString(), "--train-puzzles", "256",
                "--test-puzzles", "64", "epochs=2", "eval_interval=2", "arch.hidden_size=32", "arch.num_heads=2", "arch.H_layers=1",
                "arch.L_layers=1", "threads=2"));
        a.addAll(java.util.List.of(extra));
        int code = cl.execute(a.toArray(String[]::new));
        assertEquals(0, code, out.toString());
        return out.toString();
    }

    /**
     * A demo never deletes another demo's model: an interrupted one continues from its checkpoint
     * (to the same weights as an uninterrupted one), a finished one is shown again without training,
     * and one with other settings trains beside it.
     */
    @Test
    void aSecondDemoKeepsTheFirstsModelAndAnInterruptedOneContinues(@TempDir Path tmp) throws Exception {
        demo(tmp.resolve("straight"));
        Path dir = tmp.resolve("demo");
        String stopped = demo(dir, "stop_at_step=4");
        assertTrue(stopped.contains("stopped at step 4; run the same command again to continue"), stopped);
        assertTrue(Files.isDirectory(dir.resolve("run/step_4")));

        String continued = demo(dir);
        assertTrue(continued.contains("an earlier demo with these settings is in " + dir.resolve("run") + ": continuing from its checkpoint at step 4"), continued);
        assertTrue(continued.matches("(?s).*held-out puzzles: \\d+\\.\\d% solved exactly.*"), continued);
        assertFalse(Files.exists(dir.resolve("run/step_4")), "the demo keeps its latest checkpoint only");
        hrm.checkpoint.TensorMap want = hrm.checkpoint.Safetensors.read(tmp.resolve("straight/run/step_8/model.safetensors"));
        hrm.checkpoint.TensorMap got = hrm.checkpoint.Safetensors.read(dir.resolve("run/step_8/model.safetensors"));
        for (String name : want.names()) assertTrue(want.get(name).contentEquals(got.get(name)), "continued to the same weights: " + name);

        String again = demo(dir);
        assertTrue(again.contains("continuing from its checkpoint at step 8"), again);
        String exact = continued.replaceAll("(?s).*held-out puzzles: (\\d+\\.\\d)% solved exactly.*", "$1");
        assertTrue(again.contains("held-out puzzles: " + exact + "% solved exactly"), "a finished demo shows its evaluation again: " + again);

        String other = demo(dir, "lr=2e-3");
        assertTrue(other.contains("an earlier demo with other settings is kept in " + dir.resolve("run") + "; this one trains in " + dir.resolve("run-2")), other);
        assertTrue(Files.isDirectory(dir.resolve("run/step_8")), "the first demo's model is still there");
        assertTrue(Files.isDirectory(dir.resolve("run-2/step_8")));
        assertTrue(other.contains("./hrm solve --checkpoint " + ShellQuote.quote(dir.resolve("run-2/step_8"))), other);
    }
}
