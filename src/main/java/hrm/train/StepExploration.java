package hrm.train;

import hrm.model.Exploration;

/**
 * Exploration draws that depend only on (seed, step): a SplitMix64 stream restarted per step.
 * A resumed run therefore draws exactly what the uninterrupted run drew, with no generator state
 * to save, and a step allocates nothing.
 */
public final class StepExploration implements Exploration {
    private final long seed;
    private final int skip;
    private long state;

    public StepExploration(long seed) {
        this(seed, 0);
    }

    /**
     * Draws for rows [skip, skip + n) of the global batch: a process of a data-parallel run skips the
     * rows of the ranks before it, so every row draws what it would in one process.
     */
    public StepExploration(long seed, int skip) {
        this.seed = seed;
        this.skip = skip;
    }

    public void atStep(long step) {
        state = mix(seed * 0x9E3779B97F4A7C15L + step);
    }

    @Override
    public void draw(float[] u, int[] r, int maxSteps) {
        for (int i = 0; i < 2 * skip; i++) next();
        for (int i = 0; i < u.length; i++) {
            u[i] = (next() >>> 40) * 0x1.0p-24f;
            r[i] = 2 + (int) Long.remainderUnsigned(next(), Math.max(1, maxSteps - 1));
        }
    }

    private long next() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
