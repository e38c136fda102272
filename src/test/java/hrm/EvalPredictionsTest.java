package hrm;

import hrm.cli.Main;
import hrm.data.DatasetWriter;
import hrm.data.Npy;
import hrm.data.PuzzleSetBuilder;
import hrm.model.Batch;
import hrm.model.ModelConfig;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hrm eval} from each parity fixture's released-format checkpoint: the predictions it saves
 * must be, cell for cell, the argmax of the PyTorch reference's logits after the last evaluation
 * segment ({@code eval/step<halt_max_steps-1>/logits.npy}), for every sample of the batch. The
 * fixture's batch is written as a one-set test split in the authors' layout, so this goes through
 * the whole command: checkpoint reading, the dataset, the evaluator, the prediction files.
 */
class EvalPredictionsTest {
    @TempDir
    Path tmp;

    @TestFactory
    List<DynamicNode> savedPredictionsAreTheReferencesArgmax() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (var e : ParityTest.fixtureDirs().entrySet()) {
            Path d = e.getValue();
            nodes.add(DynamicTest.dynamicTest(e.getKey(), () -> check(new ParityFixture(d), tmp.resolve(e.getKey().replace('/', '_')))));
        }
        return nodes;
    }

    static void check(ParityFixture f, Path work) throws Exception {
        ModelConfig cfg = f.config;
        assertEquals(cfg.haltMaxSteps(), f.evalSteps, f.dir + ": eval/ must hold every segment evaluation runs");
        Batch batch = f.batch();
        Path data = writeTestSplit(batch, cfg, work.resolve("data"));
        Path out = work.resolve("eval");
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int code = cl.execute("eval", "checkpoint=" + CheckpointParityTest.checkpointFile(f), "data_path=" + data,
                "global_batch_size=" + cfg.batchSize(), "threads=2", "forward_dtype=" + cfg.activationType().configName, "--output", out.toString());
        assertEquals(0, code, err.toString());

        int[] got = Npy.read(out.resolve("all__predictions.npy")).toInts();
        String last = "eval/step" + (f.evalSteps - 1) + "/logits.npy";
        float[] want = f.npy(last).toFloats();
        assertEquals(cfg.batchSize() * cfg.seqLen(), got.length);
        ParityTest.Tolerances tol = ParityTest.Tolerances.of(cfg);
        String where = f.dir + "/" + last + " against hrm eval's all__predictions.npy";
        ParityTest.checkArgmax(where, got, want, cfg.seqLen(), cfg.vocabSize(), tol.outputs(), tol);
        assertEquals(Arrays.toString(batch.inputs()), Arrays.toString(Npy.read(out.resolve("all__inputs.npy")).toInts()), "inputs saved in order");
    }

    /** One example per puzzle and group, in batch order; ignored labels (-100) are stored as 0, the ignore id. */
    static Path writeTestSplit(Batch batch, ModelConfig cfg, Path dir) {
        int seq = cfg.seqLen();
        DatasetWriter w = new DatasetWriter(dir, cfg.vocabSize(), seq);
        PuzzleSetBuilder set = w.set("test", "all");
        for (int r = 0; r < batch.size(); r++) {
            int[] in = Arrays.copyOfRange(batch.inputs(), r * seq, (r + 1) * seq);
            int[] lab = Arrays.copyOfRange(batch.labels(), r * seq, (r + 1) * seq);
            for (int i = 0; i < seq; i++) if (lab[i] < 0) lab[i] = 0;
            set.addExample(in, lab);
            set.endPuzzle(batch.puzzleIdentifiers()[r]);
            set.endGroup();
        }
        List<String> ids = new ArrayList<>(List.of(DatasetWriter.BLANK_IDENTIFIER));
        for (int i = 1; i < cfg.numPuzzleIdentifiers(); i++) ids.add("puzzle" + i);
        w.commit(ids);
        return dir;
    }
}
