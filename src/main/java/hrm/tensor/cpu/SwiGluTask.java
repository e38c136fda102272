package hrm.tensor.cpu;

import hrm.tensor.Tensor;

/**
 * SwiGLU's forward or backward over rows, in parallel. Operands on the heap go to the kernels in
 * bulk; a 2-byte bfloat16 operand ({@link Bf16Tensor}) is widened a row at a time into the
 * worker's scratch row and the row's result, bfloat16 values already, packed back: the same
 * kernels, so the same bits as with float storage.
 */
final class SwiGluTask extends RowTask {
    private final WorkerPool pool;
    private final float[][] rowIn, rowGrad, rowOut; // per worker slot: gu, ds, the result
    private Tensor gu, s, ds, dgu;
    private int inner;
    private boolean backward;

    SwiGluTask(WorkerPool pool) {
        this.pool = pool;
        int w = pool.threads();
        rowIn = new float[w][0];
        rowGrad = new float[w][0];
        rowOut = new float[w][0];
    }

    /** s = silu(g) * u. */
    void forward(Tensor gu, Tensor s, int rows, int inner) {
        set(gu, s, null, null, inner, false);
        launch(pool, rows, 8);
    }

    /** dgu from gu and ds. */
    void backward(Tensor gu, Tensor ds, Tensor dgu, int rows, int inner) {
        set(gu, null, ds, dgu, inner, true);
        launch(pool, rows, 8);
    }

    private void set(Tensor gu, Tensor s, Tensor ds, Tensor dgu, int inner, boolean backward) {
        this.gu = gu;
        this.s = s;
        this.ds = ds;
        this.dgu = dgu;
        this.inner = inner;
        this.backward = backward;
        if (compact()) { // every slot's rows sized before the launch: whichever worker takes a task must not grow its own then
            for (int w = 0; w < rowIn.length; w++) {
                if (rowIn[w].length < 2 * inner) {
                    rowIn[w] = new float[2 * inner];
                    rowOut[w] = new float[2 * inner];
                    rowGrad[w] = new float[inner];
                }
            }
        }
    }

    private boolean compact() {
        return gu instanceof Bf16Tensor || s instanceof Bf16Tensor || ds instanceof Bf16Tensor || dgu instanceof Bf16Tensor;
    }

    @Override
    void rows(int from, int to, int worker) {
        if (!compact()) {
            CpuTensor g = (CpuTensor) gu;
            if (backward) {
                CpuTensor d = (CpuTensor) ds, dg = (CpuTensor) dgu;
                if (dg.bf16()) SwiGlu.backwardBf16(g.a(), g.off(), d.a(), d.off(), dg.a(), dg.off(), from, to, inner);
                else SwiGlu.backward(g.a(), g.off(), d.a(), d.off(), dg.a(), dg.off(), from, to, inner);
            } else {
                CpuTensor o = (CpuTensor) s;
                if (o.bf16()) SwiGlu.forwardBf16(g.a(), g.off(), o.a(), o.off(), from, to, inner);
                else SwiGlu.forward(g.a(), g.off(), o.a(), o.off(), from, to, inner);
            }
            return;
        }
        // a 2-byte operand is bfloat16, and a model whose activations are bfloat16 has them all so
        for (int row = from; row < to; row++) {
            float[] g = rowIn[worker];
            int g0 = load(gu, row, 2 * inner, g);
            if (backward) {
                float[] d = rowGrad[worker], out = rowOut[worker];
                int d0 = load(ds, row, inner, d);
                int o0 = target(dgu, row, 2 * inner, out);
                SwiGlu.backwardRowBf16(row(gu, g), g0, row(ds, d), d0, row(dgu, out), o0, inner);
                store(dgu, row, 2 * inner, out);
            } else {
                float[] out = rowOut[worker];
                int o0 = target(s, row, inner, out);
                SwiGlu.forwardRowBf16(row(gu, g), g0, row(s, out), o0, inner);
                store(s, row, inner, out);
            }
        }
    }

    /** Where row {@code row} (of {@code width}) of t starts in {@link #row}'s array: widened into {@code scratch} when t is 2-byte. */
    private static int load(Tensor t, int row, int width, float[] scratch) {
        if (t instanceof Bf16Tensor h) {
            Bf16.widen(h.data(), 2L * row * width, scratch, 0, width);
            return 0;
        }
        CpuTensor c = (CpuTensor) t;
        return c.off() + row * width;
    }

    /** As {@link #load}, for an output: nothing read. */
    private static int target(Tensor t, int row, int width, float[] scratch) {
        return t instanceof Bf16Tensor ? 0 : ((CpuTensor) t).off() + row * width;
    }

    private static float[] row(Tensor t, float[] scratch) {
        return t instanceof CpuTensor c ? c.a() : scratch;
    }

    /** A 2-byte output's row from the scratch (bfloat16 values already: packing them is exact). */
    private static void store(Tensor t, int row, int width, float[] scratch) {
        if (t instanceof Bf16Tensor h) Bf16.pack(scratch, 0, width, h.data(), 2L * row * width);
    }
}
