package hrm.model;

import hrm.model.Metrics.Metric;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss head's gradients against finite differences of its own loss, and its metric rules. */
class LossHeadTest {
    static ModelConfig cfg(ModelConfig.LossType loss) {
        return new ModelConfig(new ModelConfig.DataShape(3, 4, 5, 2), new ModelConfig.Architecture(new HrmFamily(1, 1, 1, 1),
                new ModelConfig.Network(8, 2, 2.0, 8, PosEncoding.ROPE, 10000, 1e-5), new ModelConfig.Halting(4, 0.1),
                hrm.tensor.DataType.FLOAT32, loss));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (ModelConfig.LossType type : ModelConfig.LossType.values()) {
            ModelConfig c = cfg(type);
            SplittableRandom rng = new SplittableRandom(1);
            int tokens = c.tokens(), v = c.vocabSize(), b = c.batchSize();
            float[] logits = new float[b * tokens * v];
            for (int i = 0; i < logits.length; i++) logits[i] = (float) (rng.nextGaussian() * 2);
            float[] q = {0.3f, -0.2f, 1.5f, 0.1f, -2f, 0.4f};
            int[] labels = {1, 2, LossHead.IGNORE, 4, 0, 0, 3, LossHead.IGNORE, LossHead.IGNORE, LossHead.IGNORE, LossHead.IGNORE, LossHead.IGNORE};
            boolean[] halted = {true, false, true};
            int[] steps = {1, 2, 3};
            float[] target = {0.2f, 0.9f, 0.5f};
            LossHead head = new LossHead(c);
            SequenceLogits sl = new SequenceLogits(logits, c);
            Metrics m = new Metrics();
            double scale = 1.0 / 7;
            head.compute(sl, q, labels, halted, steps, target, scale, m);
            float[] dl = head.dLogits().clone(), dq = head.dq().clone();
            double eps = 1e-3;
            for (int i = 0; i < logits.length; i++) {
                float keep = logits[i];
                logits[i] = (float) (keep + eps);
                head.compute(sl, q, labels, halted, steps, target, 0, m);
                double up = m.loss();
                logits[i] = (float) (keep - eps);
                head.compute(sl, q, labels, halted, steps, target, 0, m);
                double down = m.loss();
                logits[i] = keep;
                double num = (up - down) / (2 * eps) * scale;
                assertEquals(num, dl[i], 1e-4 * Math.max(1, Math.abs(num)), type + " dlogits " + i);
            }
            double qEps = 1e-2; // the Q losses are float32 sums (as the reference's): a larger step keeps their rounding out of the difference
            for (int i = 0; i < q.length; i++) {
                float keep = q[i];
                q[i] = (float) (keep + qEps);
                head.compute(sl, q, labels, halted, steps, target, 0, m);
                double up = m.loss();
                q[i] = (float) (keep - qEps);
                head.compute(sl, q, labels, halted, steps, target, 0, m);
                double down = m.loss();
                q[i] = keep;
                assertEquals((up - down) / (2 * qEps) * scale, dq[i], 1e-5, type + " dq " + i);
            }
        }
    }

    @Test
    void metricsCountOnlyHaltedRowsWithLabels() {
        ModelConfig c = cfg(ModelConfig.LossType.STABLEMAX);
        int tokens = c.tokens(), v = c.vocabSize(), p = c.puzzleEmbLen();
        float[] logits = new float[3 * tokens * v];
        int[] labels = {1, 2, 3, 4, 1, 1, 1, 1, LossHead.IGNORE, LossHead.IGNORE, LossHead.IGNORE, LossHead.IGNORE};
        // sample 0 predicts its labels exactly; sample 1 gets 1 of 4 cells; sample 2 has no labels
        for (int s = 0; s < 4; s++) {
            logits[(p + s) * v + labels[s]] = 5;
            logits[(tokens + p + s) * v + (s == 0 ? 1 : 0)] = 5;
        }
        float[] q = {1f, 0f, 1f, 0f, 1f, 0f};
        Metrics m = new Metrics();
        SequenceLogits sl = new SequenceLogits(logits, c);
        new LossHead(c).compute(sl, q, labels, new boolean[]{true, true, true}, new int[]{2, 3, 4}, null, 0, m);
        assertEquals(2, m.get(Metric.COUNT));
        assertEquals(1.25, m.get(Metric.ACCURACY), 1e-6);
        assertEquals(1, m.get(Metric.EXACT_ACCURACY));
        assertEquals(1, m.get(Metric.Q_HALT_ACCURACY)); // q_halt >= 0 says "correct": right for 0, wrong for 1
        assertEquals(5, m.get(Metric.STEPS));
        assertTrue(m.get(Metric.LM_LOSS) > 0);
        labels[0] = 7;
        assertThrows(IllegalArgumentException.class,
                () -> new LossHead(c).compute(sl, q, labels, new boolean[3], new int[3], null, 0, m));
    }
}
