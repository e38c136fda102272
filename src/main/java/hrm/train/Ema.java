package hrm.train;

import hrm.model.Parameters;
import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * TRM's exponential moving average of the trainable parameters (docs/model.md §8; the author's
 * EMAHelper): a shadow of the flat weight buffer taken when training starts, updated after every
 * step as shadow = (1 - mu) * param + mu * shadow in float32. The puzzle table and H_init/L_init
 * are buffers, not averaged. Evaluation and checkpoints use the shadow ({@link #withShadow}).
 */
public final class Ema {
    private final Backend be;
    private final Parameters params;
    private final Tensor shadow, live;
    private final float oneMinusMu, mu;

    /** The shadow starts as a copy of the parameters as they are now. */
    public Ema(Backend be, Parameters params, double rate) {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("ema_rate = " + rate + ": must be in [0, 1]");
        this.be = be;
        this.params = params;
        shadow = be.allocate(params.trainableSize());
        live = be.allocate(params.trainableSize());
        be.copy(params.flat(), shadow);
        oneMinusMu = (float) (1.0 - rate); // formed in double, then float32, as Python's 1. - mu becomes a float32 scalar
        mu = (float) rate;
    }

    public void update() {
        be.emaUpdate(shadow, params.flat(), oneMinusMu, mu);
    }

    /** The shadow, laid out as {@link Parameters#flat()}. */
    public Tensor shadow() {
        return shadow;
    }

    /** Runs {@code action} with the shadow written into the parameters, then puts the live values back. */
    public <X extends Exception> void withShadow(ThrowingRunnable<X> action) throws X {
        be.copy(params.flat(), live);
        be.copy(shadow, params.flat());
        params.written();
        try {
            action.run();
        } finally {
            be.copy(live, params.flat());
            params.written();
        }
    }

    /** A Runnable that may throw a checked exception (evaluation and checkpoint writing do I/O). */
    @FunctionalInterface
    public interface ThrowingRunnable<X extends Exception> {
        void run() throws X;
    }
}
