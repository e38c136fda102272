package hrm.cli;

import hrm.checkpoint.Safetensors;
import hrm.checkpoint.TensorMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * arch=transformer through the common commands: train, stop and resume through the checkpoint
 * files bit-identically, eval, solve, demo --model transformer; HRM's keys refused on it.
 */
class TransformerCommandsTest {
    static final String[] TINY = {TrainCommandTest.DATA, "arch=transformer", "global_batch_size=8", "epochs=12", "eval_interval=6", "lr=1e-3",
            "lr_warmup_steps=3", "arch.hidden_size=32", "arch.num_heads=2", "arch.num_layers=2", "arch.halt_max_steps=2",
            "arch.puzzle_emb_ndim=32", "threads=2"};

    static String[] args(Path runDir, String... extra) {
        return TrainCommandTest.args(TINY, runDir, extra);
    }

    @Test
    void trainsResumesBitIdenticallyEvaluatesAndSolves(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split");
        TrainCommandTest.Result r = TrainCommandTest.run(args(straight));
        assertEquals(0, r.code(), r.err());
        assertEquals(0, TrainCommandTest.run(args(split, "stop_at_step=7")).code());
        assertFalse(Files.exists(split.resolve("step_18")));
        assertEquals(0, TrainCommandTest.run("train", "--resume", split.toString()).code());
        for (String file : new String[] {"model.safetensors", "optimizer.safetensors", "carry.safetensors"}) {
            TensorMap a = Safetensors.read(straight.resolve("step_18").resolve(file)), b = Safetensors.read(split.resolve("step_18").resolve(file));
            assertEquals(a.names(), b.names(), file);
            for (String name : a.names()) assertTrue(a.get(name).contentEquals(b.get(name)), file + ": " + name);
        }
        TensorMap model = Safetensors.read(straight.resolve("step_18/model.safetensors"));
        assertTrue(model.has("model.inner.net.layers.1.mlp.down_proj.weight") && !model.has("model.inner.H_init"), model.names().toString());
        assertTrue(Files.readString(straight.resolve("step_18/all_config.yaml")).contains("num_layers: 2"));

        Path out = tmp.resolve("eval");
        r = TrainCommandTest.run("eval", "checkpoint=" + straight.resolve("step_18"), "threads=2", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("metrics.json")).contains("\"exact_accuracy\""));

        StringWriter solved = new StringWriter(), err = new StringWriter();
        CommandLine solve = Main.commandLine();
        solve.setOut(new PrintWriter(solved, true));
        solve.setErr(new PrintWriter(err, true));
        String puzzle = "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79";
        int sc = solve.execute("solve", "--checkpoint", straight.toString(), "--threads", "1", "--steps", "sudoku", puzzle);
        assertTrue(sc == 0 || sc == 1, "0: a valid answer, 1: an invalid one (a tiny model); " + err);
        String text = solved.toString();
        // its trace is its layers' outputs: 2 a segment
        assertTrue(text.contains("segment 1, update 1 of 2 (layer)") && text.contains("segment 1, update 2 of 2 (layer)")
                && text.contains("segment 2 output") && text.contains("answer:"), text);
    }

    @Test
    void recurrentFamiliesKeysAreRefusedNamingTheKey(@TempDir Path tmp) {
        TrainCommandTest.Result r = TrainCommandTest.run(args(tmp.resolve("run"), "arch.H_layers=2"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("arch.H_layers = 2: an HRM key, not used by Transformer_ACTV1"), r.err());
        r = TrainCommandTest.run(args(tmp.resolve("run"), "arch.num_layer=2"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("arch.num_layer") && r.err().contains("arch.num_layers"), r.err());
        assertFalse(Files.exists(tmp.resolve("run")), "refused before anything is written");
    }

    @Test
    void demoTrainsTheBaseline(@TempDir Path tmp) {
        DemoCommandTest.smallDemo("transformer", tmp);
        assertTrue(Files.isDirectory(tmp.resolve("run-transformer/step_8")), "2 epochs of 256 puzzles in batches of 64, in run-transformer/");
    }
}
