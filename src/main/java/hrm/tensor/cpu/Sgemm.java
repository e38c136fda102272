package hrm.tensor.cpu;

/** PLACEHOLDER (replaced by the tiled kernel): plain parallel loops with the final API. */
public final class Sgemm {
    private final WorkerPool pool;

    public Sgemm(WorkerPool pool) {
        this.pool = pool;
    }

    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        int chunks = Math.max(1, Math.min(m, pool.threads() * 8));
        int per = (m + chunks - 1) / chunks;
        pool.run(chunks, (idx, w) -> {
            int from = idx * per, to = Math.min(m, from + per);
            if (from < to) block(transA, transB, from, to, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        });
    }

    public void gemmSingle(int worker, boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc) {
        block(transA, transB, 0, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void block(boolean transA, boolean transB, int from, int to, int n, int k, float alpha,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float beta, float[] c, int cOff, int ldc) {
        float[] acc = new float[n];
        for (int i = from; i < to; i++) {
            java.util.Arrays.fill(acc, 0f);
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (transB) for (int j = 0; j < n; j++) acc[j] += av * b[bOff + j * ldb + p];
                else {
                    int bb = bOff + p * ldb;
                    for (int j = 0; j < n; j++) acc[j] += av * b[bb + j];
                }
            }
            int cb = cOff + i * ldc;
            for (int j = 0; j < n; j++) c[cb + j] = alpha * acc[j] + (beta == 0f ? 0f : beta * c[cb + j]);
        }
    }
}
