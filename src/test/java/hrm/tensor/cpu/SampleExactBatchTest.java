package hrm.tensor.cpu;

import hrm.api.ModelRuntime;
import hrm.checkpoint.ModelCheckpoint;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.InnerModel;
import hrm.model.Parameters;
import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A puzzle computed in a batch gives bit for bit what it gives alone ({@code hrm serve} batches
 * concurrent requests, and each must be answered as {@code hrm solve} answers it): every logit and
 * both Q logits of every segment of every row, for models of 2 to 8 samples against the model of
 * one, on the 9x9 parity checkpoint (82 tokens with its puzzle embedding), in float32 and bfloat16.
 * The kernels compute a row the same whatever rows are beside it; what differed was the bfloat16
 * product paths a measured plan gives each shape (oneDNN and the Java kernels round differently),
 * which {@link ProductPlan#perSample} takes from the one-sample model.
 */
class SampleExactBatchTest {
    static final Path CHECKPOINT = Path.of("testdata/parity/sudoku/checkpoint/step_1007");
    static final int MAX = 8;

    @Test
    void float32BatchesComputeEachPuzzleAsAlone() {
        runtimeBatchesEqualAlone("float32");
    }

    /** With the machine's own measured plan (oneDNN for some products where it is faster, the Java kernels elsewhere). */
    @Test
    void bfloat16BatchesComputeEachPuzzleAsAlone() {
        runtimeBatchesEqualAlone("bfloat16");
    }

    static void runtimeBatchesEqualAlone(String dtype) {
        ModelCheckpoint ckpt = ModelCheckpoint.read(CHECKPOINT);
        ModelConfig one = ckpt.modelConfig(1, 81).withForwardDtype(dtype);
        int[][] puzzles = puzzles(ckpt, MAX);
        try (ModelRuntime rt = ModelRuntime.openSampleExact(ckpt, one, 2, new PrintWriter(Writer.nullWriter()))) {
            List<List<float[]>> alone = new ArrayList<>();
            for (int[] p : puzzles) alone.add(rows(rt.act(1), new int[][]{p}).get(0));
            for (int n = 2; n <= MAX; n++)
                assertEquals(0, differing(alone, rows(rt.act(n), Arrays.copyOf(puzzles, n))), dtype + ", batch of " + n);
        }
    }

    /**
     * The worst case a measured plan can make, forced by a rule: every product of more than 100 rows
     * (a batch) on oneDNN, the others (one puzzle's 82) on the Java kernels. Taken per shape, the
     * batch's answers differ from the puzzles' alone; taken per sample, they are the same.
     */
    @Test
    void perSamplePathsMakeBatchesExactWhereShapesWouldNot() {
        var dnnl = OneDnn.get();
        Assumptions.assumeTrue(dnnl.isPresent() && dnnl.get().nativeBf16(),
                () -> "oneDNN bfloat16 not usable here: " + (dnnl.isEmpty() ? OneDnn.unavailableReason() : "no bfloat16 instructions"));
        ModelCheckpoint ckpt = ModelCheckpoint.read(CHECKPOINT);
        ModelConfig one = ckpt.modelConfig(1, 81).withForwardDtype("bfloat16");
        int[][] puzzles = puzzles(ckpt, MAX);
        ProductPlan byRows = ProductPlan.byRule(p -> p.rows() > 100 ? ProductPlan.Path.ONEDNN : ProductPlan.Path.JAVA);
        for (boolean perSample : new boolean[]{false, true})
            try (CpuBackend be = new CpuBackend(2, dnnl.get(), perSample ? byRows.perSample(InnerModel.forwardProducts(one)) : byRows)) {
                Parameters params = ckpt.load(one, be);
                List<List<float[]>> alone = new ArrayList<>();
                for (int[] p : puzzles) alone.add(rows(new HrmAct(params, be, false), new int[][]{p}).get(0));
                int differing = differing(alone, rows(new HrmAct(params.withBatchSize(MAX), be, false), puzzles));
                if (perSample) assertEquals(0, differing, "paths per sample: the batch computes each puzzle as alone");
                else assertTrue(differing > 0, "paths per shape: the batch's products ran on oneDNN, the puzzles' alone on the Java kernels");
            }
    }

    /** Random inputs (tokens 1 to vocab - 1) for {@code n} puzzles of 81 cells. */
    static int[][] puzzles(ModelCheckpoint ckpt, int n) {
        SplittableRandom rng = new SplittableRandom(7);
        int[][] out = new int[n][81];
        for (int[] p : out) for (int i = 0; i < p.length; i++) p[i] = rng.nextInt(1, ckpt.vocabSize());
        return out;
    }

    /** How many (row, segment) pairs of {@code batch} differ in any bit from the same puzzle's alone. */
    static int differing(List<List<float[]>> alone, List<List<float[]>> batch) {
        int d = 0;
        for (int b = 0; b < batch.size(); b++) {
            assertEquals(alone.get(b).size(), batch.get(b).size());
            for (int s = 0; s < batch.get(b).size(); s++) if (!Arrays.equals(alone.get(b).get(s), batch.get(b).get(s))) d++;
        }
        assertFalse(batch.isEmpty());
        return d;
    }

    /** Runs the puzzles as one batch of {@code act} to the end; per row, per segment: that row's logits, then its two Q logits. */
    static List<List<float[]>> rows(HrmAct act, int[][] puzzles) {
        int n = puzzles.length, seq = act.inner().config().seqLen();
        int[] inputs = new int[n * seq], labels = new int[n * seq];
        Arrays.fill(labels, -100);
        for (int b = 0; b < n; b++) System.arraycopy(puzzles[b], 0, inputs, b * seq, seq);
        Batch batch = new Batch(inputs, labels, new int[n]);
        Carry carry = act.initialCarry();
        List<List<float[]>> out = new ArrayList<>();
        for (int b = 0; b < n; b++) out.add(new ArrayList<>());
        do {
            act.evalStep(carry, batch);
            float[] logits = act.inner().logits().rows(), q = act.inner().qHost();
            int per = logits.length / n;
            for (int b = 0; b < n; b++) {
                float[] row = Arrays.copyOfRange(logits, b * per, (b + 1) * per + 2);
                row[per] = q[2 * b];
                row[per + 1] = q[2 * b + 1];
                out.get(b).add(row);
            }
        } while (!carry.allHalted());
        return out;
    }
}
