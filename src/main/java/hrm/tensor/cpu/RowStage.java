package hrm.tensor.cpu;

import hrm.tensor.Tensor;

/**
 * A row kernel's operands as float arrays, whatever their storage: a heap tensor ({@link CpuTensor})
 * is its own array; a 2-byte one ({@link Bf16Tensor}) has up to {@link #SPAN} rows widened into the
 * worker's scratch (exact) before the kernel runs, and an output's rows packed back after it (the
 * kernels round what they write into a bfloat16 tensor, so packing is exact too). So one kernel
 * serves both storages and gives the same bits.
 *
 * <p>Kernels index row r of an operand at {@code off + r * width}; a staged operand's offset is
 * {@code -from * width}, so rows [from, to) land at the start of its scratch and the kernel keeps its
 * row numbers (RoPE needs them: a row's position is its row number modulo the tokens).
 */
final class RowStage {
    /**
     * Rows staged at a time: every staged operand's rows stay in L2 together (SwiGLU at the reference's
     * size stages 8 x 3072 + 8 x 1536 floats, 147 KB; 32 rows made its staging cost half the kernel's time).
     */
    static final int SPAN = 8;

    private final float[][][] scratch; // [worker][slot]
    private final float[][][] arrays;  // [worker][slot]: what the kernel reads
    private final int[][] offsets;     // [worker][slot]

    RowStage(int workers, int slots) {
        scratch = new float[workers][slots][0];
        arrays = new float[workers][slots][];
        offsets = new int[workers][slots];
    }

    /** Sizes slot {@code slot}'s scratch for rows of {@code width} in every worker: before a launch, so no task allocates. */
    void ensure(int slot, int width) {
        int need = SPAN * width;
        for (float[][] w : scratch) if (w[slot].length < need) w[slot] = new float[need];
    }

    /** Rows [from, to) of t (rows of width) readable through slot: widened where t is 2-byte. */
    void read(int worker, int slot, Tensor t, int width, int from, int to) {
        at(worker, slot, t, width, from);
        if (t instanceof Bf16Tensor h) Bf16.widen(h.data(), 2L * from * width, scratch[worker][slot], 0, (to - from) * width);
    }

    /** Rows [from, to) of t writable through slot (nothing read); {@link #flush} stores them. */
    void write(int worker, int slot, Tensor t, int width, int from) {
        at(worker, slot, t, width, from);
    }

    /** Stores rows [from, to) written through slot into t where t is 2-byte. */
    void flush(int worker, int slot, Tensor t, int width, int from, int to) {
        if (t instanceof Bf16Tensor h) Bf16.pack(scratch[worker][slot], 0, (to - from) * width, h.data(), 2L * from * width);
    }

    float[] array(int worker, int slot) {
        return arrays[worker][slot];
    }

    int offset(int worker, int slot) {
        return offsets[worker][slot];
    }

    private void at(int worker, int slot, Tensor t, int width, int from) {
        if (t instanceof CpuTensor c) {
            arrays[worker][slot] = c.a();
            offsets[worker][slot] = c.off();
        } else if (t == null) {
            arrays[worker][slot] = null;
            offsets[worker][slot] = 0;
        } else {
            arrays[worker][slot] = scratch[worker][slot];
            offsets[worker][slot] = -from * width;
        }
    }
}
