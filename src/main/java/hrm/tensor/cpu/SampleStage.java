package hrm.tensor.cpu;

import hrm.tensor.Tensor;

/**
 * Whole samples of a kernel's operands as float arrays, for kernels that need every row of a sample at
 * once (attention): a heap tensor is its own array; a 2-byte one has the rows widened into this
 * stage's scratch for its slot (in parallel) and, for an output, packed back after. One slot per operand.
 */
final class SampleStage {
    /**
     * At most this many floats per staged operand: a group of samples, not the batch, is widened at once
     * (the whole batch at sequence 82, batch 32: 21 MB of float scratch, 9% of evaluation's memory).
     */
    static final int MAX_FLOATS = 2 << 20;
    private final WorkerPool pool;
    private final CompactCopyTask copy = new CompactCopyTask();
    private final float[][] scratch;
    private int maxFloats = MAX_FLOATS;

    SampleStage(WorkerPool pool, int slots) {
        this.pool = pool;
        this.scratch = new float[slots][0];
    }

    /**
     * How many samples a call stages at once: the whole batch where nothing is 2-byte; else as many as
     * {@link #MAX_FLOATS} per operand allow. Not fewer: each staged call launches the pool three times
     * (widen, attention, pack), and in groups of 4 samples attention at sequence 82 took 1.6x as long as
     * unstaged (the whole batch at once: 1.15x, the widening; in two groups about the same).
     */
    int samplesPerCall(int batch, int floatsPerSample, Tensor a, Tensor b) {
        if (!(a instanceof Bf16Tensor) && !(b instanceof Bf16Tensor)) return batch;
        return Math.min(batch, Math.max(1, maxFloats / Math.max(1, floatsPerSample)));
    }

    /** Another cap than {@link #MAX_FLOATS}: for tests, to stage a batch in several groups. */
    void maxFloats(int floats) {
        maxFloats = floats;
    }

    /** Rows [from, to) of t (rows of width) as floats: t's own array, or the slot's scratch (widened when {@code read}). */
    float[] stage(int slot, Tensor t, int width, int from, int to, boolean read) {
        if (t instanceof CpuTensor c) return c.a();
        int n = (to - from) * width;
        if (scratch[slot].length < n) scratch[slot] = new float[n];
        if (read) copy.widen(pool, (Bf16Tensor) t, from * width, scratch[slot], 0, n);
        return scratch[slot];
    }

    /** Where row {@code from} of t starts in {@link #stage}'s array. */
    static int offset(Tensor t, int width, int from) {
        return t instanceof CpuTensor c ? c.off() + from * width : 0;
    }

    /** Rows [from, to) written into the slot's scratch stored into t where t is 2-byte (rounded). */
    void unstage(int slot, Tensor t, int width, int from, int to) {
        if (t instanceof Bf16Tensor h) copy.pack(pool, scratch[slot], 0, h, from * width, (to - from) * width);
    }
}
