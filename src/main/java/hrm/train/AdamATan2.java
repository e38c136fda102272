package hrm.train;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * Adam with atan2 in place of division by sqrt(v) + eps (no epsilon) and decoupled weight decay,
 * over the whole flat parameter buffer at once (docs/model.md §8).
 */
public final class AdamATan2 {
    private final Backend be;
    private final Tensor params, grads, m, v;
    private final double beta1, beta2, weightDecay;
    private long step;

    public AdamATan2(Backend be, Tensor params, Tensor grads, double beta1, double beta2, double weightDecay) {
        this.be = be;
        this.params = params;
        this.grads = grads;
        this.m = be.allocate(params.size());
        this.v = be.allocate(params.size());
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
    }

    /** One update at learning rate lr; the step counter t starts at 1. */
    public void step(double lr) {
        step++;
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        be.adamATan2(params, grads, m, v, (float) lr, (float) weightDecay, (float) beta1, (float) beta2,
                (float) stepSize, (float) bc2Sqrt);
    }

    public long stepCount() {
        return step;
    }

    /** For checkpoints: the moments and the step counter. */
    public Tensor firstMoment() {
        return m;
    }

    public Tensor secondMoment() {
        return v;
    }

    public void setStepCount(long s) {
        step = s;
    }
}
