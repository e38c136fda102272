package hrm.tensor.cpu;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;

/**
 * SwiGLU's forward or backward over rows, in parallel; any operand may be 2-byte (widened a span of
 * rows at a time and packed back, {@link RowStage}): the same kernels, so the same bits as with
 * float storage.
 */
final class SwiGluTask extends RowTask {
    private static final int GU = 0, HALF = 1, OUT = 2; // stage slots: gu, s or ds, dgu

    private final WorkerPool pool;
    private final RowStage stage;
    private Tensor gu, s, ds, dgu;
    private int inner;
    private boolean backward;

    SwiGluTask(WorkerPool pool, RowStage stage) {
        this.pool = pool;
        this.stage = stage;
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
        stage.ensure(GU, 2 * inner);
        stage.ensure(HALF, inner);
        stage.ensure(OUT, 2 * inner);
    }

    @Override
    void rows(int from, int to, int worker) {
        RowStage st = stage;
        for (int r = from; r < to; r += RowStage.SPAN) {
            int e = Math.min(to, r + RowStage.SPAN);
            st.read(worker, GU, gu, 2 * inner, r, e);
            float[] g = st.array(worker, GU);
            int go = st.offset(worker, GU);
            if (backward) {
                st.read(worker, HALF, ds, inner, r, e);
                st.write(worker, OUT, dgu, 2 * inner, r);
                float[] d = st.array(worker, HALF), dg = st.array(worker, OUT);
                int dOff = st.offset(worker, HALF), dgo = st.offset(worker, OUT);
                if (dgu.dtype() == DataType.BFLOAT16) SwiGlu.backwardBf16(g, go, d, dOff, dg, dgo, r, e, inner);
                else SwiGlu.backward(g, go, d, dOff, dg, dgo, r, e, inner);
                st.flush(worker, OUT, dgu, 2 * inner, r, e);
            } else {
                st.write(worker, HALF, s, inner, r);
                float[] o = st.array(worker, HALF);
                int oo = st.offset(worker, HALF);
                if (s.dtype() == DataType.BFLOAT16) SwiGlu.forwardBf16(g, go, o, oo, r, e, inner);
                else SwiGlu.forward(g, go, o, oo, r, e, inner);
                st.flush(worker, HALF, s, inner, r, e);
            }
        }
    }
}
