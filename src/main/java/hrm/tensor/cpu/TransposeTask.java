package hrm.tensor.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-sample transposes (batch matrices of rows x cols into cols x rows), in parallel over strips
 * of {@link #TILE} source rows. Within a strip, tiles of TILE x TILE are moved so that both the
 * TILE source rows being read and the TILE destination rows being written stay in L1. Either side
 * may be a 2-byte tensor ({@link Bf16Tensor}), read widened or written rounded.
 */
final class TransposeTask extends RowTask {
    static final int TILE = 16;
    private static final ValueLayout.OfShort H = ValueLayout.JAVA_SHORT_UNALIGNED;
    private float[] src, dst;
    private MemorySegment src16, dst16; // the 2-byte side(s), else null
    private int srcOff, dstOff, rows, cols, strips;
    private boolean round;

    void run(WorkerPool pool, hrm.tensor.Tensor s, hrm.tensor.Tensor d, int batch, int rows, int cols) {
        src = s instanceof CpuTensor c ? c.a() : null;
        dst = d instanceof CpuTensor c ? c.a() : null;
        src16 = s instanceof Bf16Tensor h ? h.data() : null;
        dst16 = d instanceof Bf16Tensor h ? h.data() : null;
        srcOff = s instanceof CpuTensor c ? c.off() : 0;
        dstOff = d instanceof CpuTensor c ? c.off() : 0;
        this.rows = rows;
        this.cols = cols;
        strips = (rows + TILE - 1) / TILE;
        round = d.dtype() == hrm.tensor.DataType.BFLOAT16 && s.dtype() != hrm.tensor.DataType.BFLOAT16;
        launch(pool, batch * strips, 4);
    }

    @Override
    void rows(int from, int to, int worker) {
        boolean compact = src16 != null || dst16 != null;
        for (int u = from; u < to; u++) {
            int b = u / strips, i0 = (u % strips) * TILE, i1 = Math.min(i0 + TILE, rows);
            int so = srcOff + b * rows * cols, dOff = dstOff + b * rows * cols;
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(j0 + TILE, cols);
                if (compact) {
                    tile16(so, dOff, i0, i1, j0, j1);
                    continue;
                }
                for (int j = j0; j < j1; j++) {
                    int dRow = dOff + j * rows;
                    if (round) for (int i = i0; i < i1; i++) dst[dRow + i] = Bf16.round(src[so + i * cols + j]);
                    else for (int i = i0; i < i1; i++) dst[dRow + i] = src[so + i * cols + j];
                }
            }
        }
    }

    /** One tile where a side is 2-byte: element by element, widened as read, rounded as written. */
    private void tile16(int so, int dOff, int i0, int i1, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            int dRow = dOff + j * rows;
            for (int i = i0; i < i1; i++) {
                int s = so + i * cols + j;
                float v = src16 != null ? Bf16.fromBits(src16.get(H, 2L * s)) : src[s];
                if (dst16 != null) dst16.set(H, 2L * (dRow + i), Bf16.bits(v));
                else dst[dRow + i] = round ? Bf16.round(v) : v;
            }
        }
    }
}
