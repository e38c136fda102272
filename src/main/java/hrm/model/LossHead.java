package hrm.model;

import hrm.model.Metrics.Metric;

/**
 * The ACT loss head (docs/model.md §7), on the host: the sequence loss (stablemax in float64, or
 * softmax), the two Q losses, the metrics, and the gradients of loss / global_batch_size at the
 * logits and the Q logits. All arrays are allocated once.
 */
public final class LossHead {
    public static final int IGNORE = -100;

    private final ModelConfig cfg;
    private final int batch, seqLen, tokens, vocab;
    private final float[] dLogits;
    private final float[] dq;
    private final boolean[] seqCorrect;
    private final double[] scratch;

    public LossHead(ModelConfig cfg) {
        this.cfg = cfg;
        batch = cfg.batchSize();
        seqLen = cfg.seqLen();
        tokens = cfg.tokens();
        vocab = cfg.vocabSize();
        dLogits = new float[batch * tokens * vocab];
        dq = new float[batch * 2];
        seqCorrect = new boolean[batch];
        scratch = new double[vocab];
    }

    /** Gradient at the logits of every token (zero on puzzle tokens), after {@link #compute}. */
    public float[] dLogits() {
        return dLogits;
    }

    /** Gradient at (q_halt, q_continue) per sample, after {@link #compute}. */
    public float[] dq() {
        return dq;
    }

    /**
     * @param logits          the segment's logits (the puzzle rows get no gradient)
     * @param q               q_halt at [2b], q_continue at [2b+1]
     * @param labels          batch x seqLen, IGNORE where not counted
     * @param halted          the halting decision of this call
     * @param steps           segments run so far per sample
     * @param targetQContinue null in evaluation
     * @param gradScale       1 / global_batch_size, or 0 to skip gradients
     */
    public void compute(SequenceLogits logits, float[] q, int[] labels, boolean[] halted, int[] steps,
                        float[] targetQContinue, double gradScale, Metrics m) {
        m.clear();
        boolean grads = gradScale != 0;
        if (grads) java.util.Arrays.fill(dLogits, 0f);
        boolean stablemax = cfg.lossType() == ModelConfig.LossType.STABLEMAX;
        double lmLoss = 0;
        for (int b = 0; b < batch; b++) {
            int counted = 0, correct = 0;
            for (int s = 0; s < seqLen; s++) if (labels[b * seqLen + s] != IGNORE) counted++;
            double divisor = Math.max(counted, 1);
            double sampleLoss = 0;
            for (int s = 0; s < seqLen; s++) {
                int label = labels[b * seqLen + s];
                if (label == IGNORE) continue;
                if (label < 0 || label >= vocab)
                    throw new IllegalArgumentException("label " + label + " at sample " + b + ", cell " + s + " is outside the vocabulary (vocab_size = " + vocab + ")");
                int row = logits.offset(b, s);
                if (logits.argmax(b, s) == label) correct++;
                double nll = stablemax ? stablemaxNll(logits.rows(), row, label, grads ? gradScale / divisor : 0)
                        : softmaxNll(logits.rows(), row, label, grads ? gradScale / divisor : 0);
                sampleLoss += nll;
            }
            lmLoss += sampleLoss / divisor;
            seqCorrect[b] = correct == counted;
            if (halted[b] && counted > 0) {
                m.add(Metric.COUNT, 1);
                m.add(Metric.ACCURACY, (double) (float) ((float) correct / (float) divisor));
                m.add(Metric.EXACT_ACCURACY, seqCorrect[b] ? 1 : 0);
                m.add(Metric.Q_HALT_ACCURACY, (q[2 * b] >= 0) == seqCorrect[b] ? 1 : 0);
                m.add(Metric.STEPS, steps[b]);
            }
        }
        m.set(Metric.LM_LOSS, lmLoss);
        // float32 throughout, as the reference's: the losses summed (reduction="sum"), and their
        // gradient (sigmoid(x) - y) * g with g = (1 / global_batch_size) * 0.5 its float32 upstream
        float qHalt = 0, qCont = 0, g = (float) gradScale * 0.5f;
        for (int b = 0; b < batch; b++) {
            float y = seqCorrect[b] ? 1f : 0f;
            qHalt += bce(q[2 * b], y);
            if (grads) dq[2 * b] = (sigmoid32(q[2 * b]) - y) * g;
            if (targetQContinue != null) {
                float t = targetQContinue[b];
                qCont += bce(q[2 * b + 1], t);
                if (grads) dq[2 * b + 1] = (sigmoid32(q[2 * b + 1]) - t) * g;
            } else if (grads) {
                dq[2 * b + 1] = 0f;
            }
        }
        m.set(Metric.Q_HALT_LOSS, qHalt);
        if (targetQContinue != null) m.set(Metric.Q_CONTINUE_LOSS, qCont);
    }

    /** -log(s(x_label) / sum s(x)), s(x) = x < 0 ? 1/(1-x+1e-30) : x+1, in float64; adds its gradient times g. */
    private double stablemaxNll(float[] logits, int row, int label, double g) {
        double sum = 0;
        for (int k = 0; k < vocab; k++) sum += scratch[k] = s(logits[row + k]);
        double nll = -Math.log(scratch[label] / sum);
        if (g != 0) {
            for (int k = 0; k < vocab; k++) {
                double x = logits[row + k];
                double ds = x < 0 ? scratch[k] * scratch[k] : 1.0; // s'(x)
                double d = ds / sum;
                if (k == label) d -= ds / scratch[k];
                dLogits[row + k] = (float) (g * d);
            }
        }
        return nll;
    }

    private static double s(double x) {
        return x < 0 ? 1.0 / (1.0 - x + 1e-30) : x + 1.0;
    }

    private double softmaxNll(float[] logits, int row, int label, double g) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < vocab; k++) max = Math.max(max, logits[row + k]);
        double sum = 0;
        for (int k = 0; k < vocab; k++) sum += scratch[k] = Math.exp(logits[row + k] - max);
        double nll = Math.log(sum) - (logits[row + label] - max);
        if (g != 0)
            for (int k = 0; k < vocab; k++)
                dLogits[row + k] = (float) (g * (scratch[k] / sum - (k == label ? 1 : 0)));
        return nll;
    }

    /**
     * 1 / (1 + exp(-x)) in float32. A halting logit of 10 has sigmoid - 1 = -4.5e-5 and float32 keeps
     * it to 1e-3; where such terms nearly cancel in q_head.bias's gradient, the reference's float32
     * makes a 1% difference from a float64 sigmoid (TRM's mlp fixture, third step).
     */
    static float sigmoid32(float x) {
        return 1f / (1f + (float) Math.exp(-x));
    }

    /**
     * BCE with logits in float32, op by op as PyTorch 1.13's binary_cross_entropy_with_logits:
     * (1 - y) x + m + log(exp(-m) + exp(-x - m)), m = max(-x, 0). A confident logit's loss (x = -9:
     * 1e-4) then carries the reference's own rounding of 1 + 1e-4, about 1e-4 of its value; TRM's
     * halting head reaches such logits within its first steps, where a float64 loss differs from
     * the reference's by 2e-4.
     */
    static float bce(float x, float y) {
        float m = Math.max(-x, 0f);
        float e = (float) Math.exp(-m) + (float) Math.exp(-x - m);
        return (1f - y) * x + m + (float) Math.log(e);
    }
}
