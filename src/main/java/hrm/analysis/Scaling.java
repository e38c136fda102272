package hrm.analysis;

import hrm.data.PuzzleDataset;
import hrm.data.TestBatches;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.LossHead;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Inference-time scaling (the paper's Fig. 5c): accuracy after m segments for m = 1 .. M, in one
 * pass over the test split. Past the halt_max_steps the model was trained with, the carry simply
 * continues (no reset). Beside the fixed-depth numbers, the model's own halting: an example stops
 * at its first segment whose q_halt exceeds q_continue (q_halt > 0 with TRM's no_ACT_continue),
 * else at m. Accuracy is the reference's: per example the fraction of labelled cells right (in
 * float32, as the reference divides), averaged over the examples.
 */
public final class Scaling {
    /** One row of the curve: m segments at most. */
    public record Row(int maxSteps, double accuracy, double exactAccuracy, double actAccuracy, double actExactAccuracy, double actMeanSteps) {}

    private Scaling() {}

    /**
     * @param act built with halt_max_steps = M (the rows' count) and the batch it runs in
     * @param progress sees the examples done
     */
    public static Row[] run(HrmAct act, PuzzleDataset test, LongConsumer progress) {
        ModelConfig cfg = act.inner().config();
        int maxSteps = cfg.haltMaxSteps(), b = cfg.batchSize(), s = cfg.seqLen();
        double[] acc = new double[maxSteps], exact = new double[maxSteps], actAcc = new double[maxSteps], actExact = new double[maxSteps],
                actSteps = new double[maxSteps];
        int[] pred = new int[b * s];
        float[] frozenAcc = new float[b];
        boolean[] frozenExact = new boolean[b];
        int[] haltedAt = new int[b];
        long examples = 0;
        TestBatches batches = new TestBatches(test, b);
        Batch batch = batches.newBatch();
        Carry carry = act.initialCarry();
        while (batches.next(batch)) {
            Arrays.fill(carry.halted, true);
            Arrays.fill(haltedAt, 0);
            for (int m = 1; m <= maxSteps; m++) {
                act.evalStep(carry, batch);
                act.inner().logits().argmax(pred);
                float[] q = act.inner().qHost();
                for (int r = 0; r < batches.count(); r++) {
                    int counted = 0, correct = 0;
                    for (int c = 0; c < s; c++) {
                        int label = carry.labels[r * s + c];
                        if (label == LossHead.IGNORE) continue;
                        counted++;
                        if (pred[r * s + c] == label) correct++;
                    }
                    if (counted == 0) continue; // as the reference: an example with no labelled cell is not counted
                    float a = (float) correct / (float) counted;
                    boolean e = correct == counted;
                    acc[m - 1] += a;
                    if (e) exact[m - 1]++;
                    if (haltedAt[r] == 0) {
                        frozenAcc[r] = a;
                        frozenExact[r] = e;
                        if (cfg.actHalts(q[2 * r], q[2 * r + 1])) haltedAt[r] = m;
                    }
                    actAcc[m - 1] += frozenAcc[r];
                    if (frozenExact[r]) actExact[m - 1]++;
                    actSteps[m - 1] += haltedAt[r] == 0 ? m : haltedAt[r];
                    if (m == 1) examples++;
                }
            }
            progress.accept(examples);
        }
        Row[] rows = new Row[maxSteps];
        double n = Math.max(examples, 1);
        for (int m = 0; m < maxSteps; m++)
            rows[m] = new Row(m + 1, acc[m] / n, exact[m] / n, actAcc[m] / n, actExact[m] / n, actSteps[m] / n);
        return rows;
    }
}
