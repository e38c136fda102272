package hrm.tensor.cpu;

/**
 * Per-sample transposes (batch matrices of rows x cols into cols x rows), in parallel over strips
 * of {@link #TILE} source rows. Within a strip, tiles of TILE x TILE are moved so that both the
 * TILE source rows being read and the TILE destination rows being written stay in L1.
 */
final class TransposeTask extends RowTask {
    static final int TILE = 16;
    private float[] src, dst;
    private int srcOff, dstOff, rows, cols, strips;
    private boolean round;

    void run(WorkerPool pool, CpuTensor s, CpuTensor d, int batch, int rows, int cols) {
        src = s.a();
        dst = d.a();
        srcOff = s.off();
        dstOff = d.off();
        this.rows = rows;
        this.cols = cols;
        strips = (rows + TILE - 1) / TILE;
        round = d.bf16() && !s.bf16();
        launch(pool, batch * strips, 4);
    }

    @Override
    void rows(int from, int to, int worker) {
        for (int u = from; u < to; u++) {
            int b = u / strips, i0 = (u % strips) * TILE, i1 = Math.min(i0 + TILE, rows);
            int so = srcOff + b * rows * cols, dOff = dstOff + b * rows * cols;
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(j0 + TILE, cols);
                for (int j = j0; j < j1; j++) {
                    int dRow = dOff + j * rows;
                    if (round) for (int i = i0; i < i1; i++) dst[dRow + i] = Bf16.round(src[so + i * cols + j]);
                    else for (int i = i0; i < i1; i++) dst[dRow + i] = src[so + i * cols + j];
                }
            }
        }
    }
}
