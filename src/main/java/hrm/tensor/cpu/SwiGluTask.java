package hrm.tensor.cpu;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * SwiGLU's forward or backward over rows, in parallel. Where every operand is 2-byte (as the model
 * allocates them) the kernels read and write them directly ({@link SwiGlu16}); where only some are,
 * those are widened a span of rows at a time and packed back ({@link RowStage}). Either way the same
 * bits as with float storage.
 */
final class SwiGluTask extends RowTask {
    private static final int GU = 0, HALF = 1, OUT = 2; // stage slots: gu, s or ds, dgu

    private final WorkerPool pool;
    private final RowStage stage;
    private final float[][] den, sig; // per worker slot: a row of SwiGlu16's intermediate values
    private Tensor gu, s, ds, dgu;
    private int inner;
    private boolean backward, direct;

    SwiGluTask(WorkerPool pool, RowStage stage) {
        this.pool = pool;
        this.stage = stage;
        den = new float[pool.threads()][0];
        sig = new float[pool.threads()][0];
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
        direct = gu instanceof Bf16Tensor && (backward ? ds instanceof Bf16Tensor && dgu instanceof Bf16Tensor : s instanceof Bf16Tensor);
        if (direct) { // every slot's rows sized before the launch: no task allocates
            for (int w = 0; w < den.length; w++) {
                if (den[w].length < inner) {
                    den[w] = new float[inner];
                    sig[w] = new float[inner];
                }
            }
            return;
        }
        stage.ensure(GU, 2 * inner);
        stage.ensure(HALF, inner);
        stage.ensure(OUT, 2 * inner);
    }

    @Override
    void rows(int from, int to, int worker) {
        if (direct) {
            directRows(from, to, worker);
            return;
        }
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

    private void directRows(int from, int to, int worker) {
        MemorySegment g = ((Bf16Tensor) gu).data();
        long rowBytes = 4L * inner; // 2 * inner values of 2 bytes
        if (backward) {
            MemorySegment d = ((Bf16Tensor) ds).data(), dg = ((Bf16Tensor) dgu).data();
            for (int r = from; r < to; r++)
                SwiGlu16.backwardRow(g, r * rowBytes, d, r * 2L * inner, dg, r * rowBytes, den[worker], sig[worker], inner);
        } else {
            MemorySegment o = ((Bf16Tensor) s).data();
            for (int r = from; r < to; r++) SwiGlu16.forwardRow(g, r * rowBytes, o, r * 2L * inner, den[worker], inner);
        }
    }
}
