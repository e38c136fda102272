package hrm.tensor.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply, {@code C = alpha * op(A) * op(B) + beta * C}, on row-major
 * float arrays with explicit offsets and leading dimensions.
 *
 * <p>BLIS-style structure: for each block of {@code NC} columns and {@code KC} (at most) steps of
 * k, the block of op(B) is packed into micro-panels of {@code NR} columns ({@code [p][NR]},
 * contiguous), then for each block of {@code MC} rows the block of op(A) is packed (times alpha)
 * into micro-panels of {@code MR} rows, and a register-tiled {@code MR x NR} microkernel (rows of
 * A broadcast, two vectors of B per k step, 24 vector accumulators) updates C. Packing makes
 * transB free; for A, two packed layouts are used so that packing is always a contiguous copy:
 * row-wise ({@code [i][KC]}) for plain A and column-wise ({@code [p][MR]}) for transposed A,
 * each with its own microkernel. Edge tiles are computed into a scratch tile and copied out.
 *
 * <p>{@link #gemm} splits C into blocks of whole micro-tiles and hands them to the pool;
 * {@link #gemmSingle} runs on the calling thread. Packing scratch is per worker slot and only
 * grows, so steady-state calls allocate nothing. One {@code Sgemm} must not run two
 * {@link #gemm} calls at once, nor two {@link #gemmSingle} calls with the same worker slot.
 */
public final class Sgemm {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector (16 with AVX-512, 8 with AVX2). */
    static final int VL = S.length();
    /** Rows of the microkernel tile (fixed by the kernel code below). */
    static final int MR = 12;
    /** Columns of the microkernel tile: two vectors. */
    static final int NR = 2 * VL;
    /** Largest k-block; also the row stride of row-wise packed A (a constant, so the kernel's 12 broadcasts fold to fixed displacements). */
    static final int KC = Integer.getInteger("hrm.sgemm.kc", 256);
    /** Rows of C per packed A block (multiple of MR); the packed block (MC x KC floats) should sit in L2. */
    static final int MC = roundUp(Integer.getInteger("hrm.sgemm.mc", 480), MR);
    /** Columns of C per packed B block (multiple of NR). */
    static final int NC = roundUp(Integer.getInteger("hrm.sgemm.nc", 3072), NR);
    /** Target number of parallel tasks per thread (more balances better under noise, fewer packs less). */
    static final int TASKS_PER_THREAD = Integer.getInteger("hrm.sgemm.tpt", 1);
    /** k-rows per group in {@link #packAT}. */
    static final int PB = 32;
    /** Most floats of packed B kept per worker (the k-blocks of one NC block of columns, as many as fit). */
    static final long B_CAP = Integer.getInteger("hrm.sgemm.bcap", 2 << 20);
    /** Below this many multiply-adds gemm() stays on the calling thread. */
    static final long PARALLEL_MIN = 1L << 18;

    private final WorkerPool pool;
    private final float[][] packA;
    private final float[][] packB;
    private final float[][] tile;
    private final Task task = new Task();

    public Sgemm(WorkerPool pool) {
        this.pool = pool;
        int t = pool.threads();
        packA = new float[t][];
        packB = new float[t][];
        tile = new float[t][];
        for (int i = 0; i < t; i++) tile[i] = new float[MR * NR];
    }

    /** The pool this instance parallelizes over. */
    public WorkerPool pool() {
        return pool;
    }

    /**
     * C[m x n] = alpha * op(A) * op(B) + beta * C. op(A) is m x k: A stored m x k (lda >= k) or,
     * if transA, k x m (lda >= m). op(B) is k x n: B stored k x n (ldb >= n) or, if transB, n x k
     * (ldb >= k). C stored m x n (ldc >= n). With beta = 0, C's old contents are ignored (may be
     * NaN). Parallel over the pool; the caller uses worker slot 0.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        int threads = pool.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_MIN) {
            block(0, transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Split C into equal blocks of whole micro-tiles, along the longer side first.
        int mu = (m + MR - 1) / MR, nu = (n + NR - 1) / NR;
        int target = threads * TASKS_PER_THREAD;
        int mChunks, nChunks;
        if ((long) mu * MR >= (long) nu * NR) {
            mChunks = Math.min(target, mu);
            nChunks = Math.min(nu, (target + mChunks - 1) / mChunks);
        } else {
            nChunks = Math.min(target, nu);
            mChunks = Math.min(mu, (target + nChunks - 1) / nChunks);
        }
        int mStep = (mu + mChunks - 1) / mChunks * MR;
        int nStep = (nu + nChunks - 1) / nChunks * NR;
        mChunks = (m + mStep - 1) / mStep;
        nChunks = (n + nStep - 1) / nStep;
        Task t = task;
        t.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, mStep, nStep, nChunks);
        try {
            pool.run(mChunks * nChunks, t);
        } finally {
            t.clear();
        }
    }

    /** Same as {@link #gemm}, single-threaded on the calling thread, using worker slot {@code worker}'s scratch. */
    public void gemmSingle(int worker, boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc) {
        if (worker < 0 || worker >= tile.length) {
            throw new IllegalArgumentException("worker " + worker + " not in [0, " + tile.length + ")");
        }
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        block(worker, transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void check(boolean tA, boolean tB, int m, int n, int k, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative size " + m + "x" + n + "x" + k);
        if (m == 0 || n == 0) return;
        if (ldc < n) throw new IllegalArgumentException("ldc " + ldc + " < n " + n);
        checkRange("C", c, cOff, m, n, ldc);
        if (k == 0) return;
        if (tA) {
            if (lda < m) throw new IllegalArgumentException("lda " + lda + " < m " + m + " (transA)");
            checkRange("A", a, aOff, k, m, lda);
        } else {
            if (lda < k) throw new IllegalArgumentException("lda " + lda + " < k " + k);
            checkRange("A", a, aOff, m, k, lda);
        }
        if (tB) {
            if (ldb < k) throw new IllegalArgumentException("ldb " + ldb + " < k " + k + " (transB)");
            checkRange("B", b, bOff, n, k, ldb);
        } else {
            if (ldb < n) throw new IllegalArgumentException("ldb " + ldb + " < n " + n);
            checkRange("B", b, bOff, k, n, ldb);
        }
    }

    private static void checkRange(String name, float[] x, int off, int rows, int cols, int ld) {
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IndexOutOfBoundsException(name + ": offset " + off + ", " + rows + " rows of " + cols
                    + " with stride " + ld + " exceed length " + x.length);
        }
    }

    private final class Task implements WorkerPool.Task {
        private boolean tA, tB;
        private int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, mStep, nStep, nChunks;
        private float alpha, beta;
        private float[] a, b, c;

        void set(boolean tA, boolean tB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                 int mStep, int nStep, int nChunks) {
            this.tA = tA; this.tB = tB; this.m = m; this.n = n; this.k = k; this.alpha = alpha;
            this.a = a; this.aOff = aOff; this.lda = lda; this.b = b; this.bOff = bOff; this.ldb = ldb;
            this.beta = beta; this.c = c; this.cOff = cOff; this.ldc = ldc;
            this.mStep = mStep; this.nStep = nStep; this.nChunks = nChunks;
        }

        void clear() {
            a = b = c = null;
        }

        @Override
        public void run(int index, int worker) {
            int m0 = index / nChunks * mStep, n0 = index % nChunks * nStep;
            block(worker, tA, tB, m0, Math.min(m, m0 + mStep), n0, Math.min(n, n0 + nStep), k, alpha,
                    a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** Computes rows [m0, m1) and columns [n0, n1) of C, using worker slot {@code w}'s scratch. */
    private void block(int w, boolean tA, boolean tB, int m0, int m1, int n0, int n1, int k, float alpha,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float beta, float[] c, int cOff, int ldc) {
        if (k == 0 || alpha == 0f) {
            scale(beta, c, cOff, ldc, m0, m1, n0, n1);
            return;
        }
        if (beta != 0f && beta != 1f) {
            scale(beta, c, cOff, ldc, m0, m1, n0, n1);
            beta = 1f;
        }
        // k is cut into equal blocks of at most KC.
        int kBlocks = (k + KC - 1) / KC;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int ncMax = Math.min(NC, roundUp(n1 - n0, NR));
        // As many k-blocks of packed B as B_CAP allows are packed at once, so that the C block
        // (MC x NC) stays in L2 while all of them are applied to it.
        int chunk = (int) Math.max(1, Math.min(kBlocks, B_CAP / ((long) kcMax * ncMax)));
        int bStride = kcMax * ncMax;
        float[] ap = packA[w];
        int aNeed = Math.min(MC, roundUp(m1 - m0, MR)) * KC + VL;
        if (ap == null || ap.length < aNeed) packA[w] = ap = new float[aNeed];
        float[] bp = packB[w];
        int bNeed = chunk * bStride + VL;
        if (bp == null || bp.length < bNeed) packB[w] = bp = new float[bNeed];
        float[] t = tile[w];
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            for (int kb0 = 0; kb0 < kBlocks; kb0 += chunk) {
                int kb1 = Math.min(kBlocks, kb0 + chunk);
                for (int kb = kb0; kb < kb1; kb++) {
                    int pc = kb * kcMax, kc = Math.min(kcMax, k - pc), bo = (kb - kb0) * bStride;
                    if (tB) packBT(b, bOff, ldb, pc, kc, jc, nc, alpha, bp, bo);
                    else packBN(b, bOff, ldb, pc, kc, jc, nc, alpha, bp, bo);
                }
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    for (int kb = kb0; kb < kb1; kb++) {
                        int pc = kb * kcMax, kc = Math.min(kcMax, k - pc), bo = (kb - kb0) * bStride;
                        int co = cOff + ic * ldc + jc;
                        boolean acc = kb > 0 || beta != 0f;
                        if (tA) packAT(a, aOff, lda, ic, mc, pc, kc, ap);
                        else packAN(a, aOff, lda, ic, mc, pc, kc, ap);
                        macro(tA, kc, mc, nc, ap, bp, bo, c, co, ldc, acc, t);
                    }
                }
            }
        }
    }

    /**
     * Applies the packed mc x kc block of A ({@code ap}; row-wise panels if !tA, column-wise if tA)
     * and the packed kc x nc block of B at {@code bp[bOff]} to C[co]. Loops: B micro-panel (kept
     * in L1) outer, A micro-panels (streamed from L2) inner.
     */
    static void macro(boolean tA, int kc, int mc, int nc, float[] ap, float[] bp, int bOff,
                      float[] c, int co, int ldc, boolean acc, float[] t) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bo = bOff + jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int cij = co + ir * ldc + jr, ao = ir * KC;
                if (nr == NR && ir + MR <= mc) {
                    if (tA) kernelColA(kc, ap, ao, MR, bp, bo, c, cij, ldc, acc);
                    else kernelRowA(kc, ap, ao, bp, bo, c, cij, ldc, acc);
                } else {
                    if (tA) kernelColA(kc, ap, ao, MR, bp, bo, t, 0, NR, false);
                    else kernelRowA(kc, ap, ao, bp, bo, t, 0, NR, false);
                    flushTile(t, c, cij, ldc, acc, Math.min(MR, mc - ir), nr);
                }
            }
        }
    }

    /** Adds (acc) or copies the mr x nr corner of the scratch tile {@code t} (row stride NR) into C. */
    private static void flushTile(float[] t, float[] c, int cij, int ldc, boolean acc, int mr, int nr) {
        for (int i = 0; i < mr; i++) {
            int ci = cij + i * ldc, ti = i * NR;
            if (acc) for (int j = 0; j < nr; j++) c[ci + j] += t[ti + j];
            else System.arraycopy(t, ti, c, ci, nr);
        }
    }

    /** Packs rows [ic, ic+mc) x cols [pc, pc+kc) of plain A: row r at r * KC, rows padded with zeros to a multiple of MR. */
    static void packAN(float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        int rows = roundUp(mc, MR);
        int kv = kc & -VL;
        for (int r = 0; r < rows; r++) {
            int d = r * KC;
            if (r < mc) {
                int s = aOff + (ic + r) * lda + pc;
                int p = 0;
                for (; p < kv; p += VL) FloatVector.fromArray(S, a, s + p).intoArray(ap, d + p);
                for (; p < kc; p++) ap[d + p] = a[s + p];
            } else {
                Arrays.fill(ap, d, d + kc, 0f);
            }
        }
    }

    /**
     * Packs op(A) = A^T rows [ic, ic+mc) x [pc, pc+kc) (A stored k x m): panel of MR rows at
     * ir * KC, element (i, p) at + p * MR + i, the last panel zero-padded. Works on groups of
     * PB k-rows so that both the reads (PB rows of A) and the writes (PB * MR floats per panel)
     * stay local.
     */
    static void packAT(float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        int full = VL >= MR ? mc / MR * MR : 0;
        int limit = a.length - VL;
        VectorMask<Float> st = S.indexInRange(0, Math.min(MR, VL));
        for (int p0 = 0; p0 < kc; p0 += PB) {
            int pe = Math.min(kc, p0 + PB);
            for (int ir = 0; ir < full; ir += MR) {
                int s = aOff + (pc + p0) * lda + ic + ir, d = ir * KC + p0 * MR;
                for (int p = p0; p < pe; p++, s += lda, d += MR) {
                    FloatVector v = s <= limit ? FloatVector.fromArray(S, a, s) : FloatVector.fromArray(S, a, s, st);
                    v.intoArray(ap, d, st);
                }
            }
            for (int ir = full; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int s = aOff + (pc + p0) * lda + ic + ir, d = ir * KC + p0 * MR;
                for (int p = p0; p < pe; p++, s += lda, d += MR) {
                    int i = 0;
                    for (; i < mr; i++) ap[d + i] = a[s + i];
                    for (; i < MR; i++) ap[d + i] = 0f;
                }
            }
        }
    }

    /** Packs alpha times rows [pc, pc+kc) x cols [jc, jc+nc) of plain B: panel of NR columns at bOff0 + jr * kc, element (p, j) at + p * NR + j, zero-padded. */
    static void packBN(float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float alpha, float[] bp, int bOff0) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int s = bOff + pc * ldb + jc + jr;
            int d = bOff0 + jr * kc;
            if (nr == NR) {
                for (int p = 0; p < kc; p++, s += ldb, d += NR) {
                    FloatVector.fromArray(S, b, s).mul(alpha).intoArray(bp, d);
                    FloatVector.fromArray(S, b, s + VL).mul(alpha).intoArray(bp, d + VL);
                }
            } else {
                VectorMask<Float> m0 = S.indexInRange(0, nr), m1 = S.indexInRange(VL, nr);
                for (int p = 0; p < kc; p++, s += ldb, d += NR) {
                    FloatVector.fromArray(S, b, s, m0).mul(alpha).intoArray(bp, d);
                    FloatVector.fromArray(S, b, s + VL, m1).mul(alpha).intoArray(bp, d + VL);
                }
            }
        }
    }

    /** Packs alpha times op(B) = B^T (B stored n x k) rows [pc, pc+kc) x cols [jc, jc+nc), same layout as {@link #packBN}. */
    static void packBT(float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float alpha, float[] bp, int bOff0) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int d0 = bOff0 + jr * kc;
            for (int j = 0; j < NR; j++) {
                int d = d0 + j;
                if (j < nr) {
                    int s = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[d + p * NR] = alpha * b[s + p];
                } else {
                    for (int p = 0; p < kc; p++) bp[d + p * NR] = 0f;
                }
            }
        }
    }

    /** C[m0:m1, n0:n1] *= beta (beta = 0 writes zeros, ignoring NaN). */
    private static void scale(float beta, float[] c, int cOff, int ldc, int m0, int m1, int n0, int n1) {
        if (beta == 1f) return;
        for (int i = m0; i < m1; i++) {
            int o = cOff + i * ldc;
            if (beta == 0f) Arrays.fill(c, o + n0, o + n1, 0f);
            else for (int j = n0; j < n1; j++) c[o + j] *= beta;
        }
    }

    private static int roundUp(int x, int q) {
        return (x + q - 1) / q * q;
    }

    /** Microkernel, A micro-panel packed row-wise: element (i, p) at {@code ao + i * KC + p}. */
    static void kernelRowA(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, boolean acc) {
        FloatVector r0a = FloatVector.zero(S), r0b = FloatVector.zero(S);
        FloatVector r1a = FloatVector.zero(S), r1b = FloatVector.zero(S);
        FloatVector r2a = FloatVector.zero(S), r2b = FloatVector.zero(S);
        FloatVector r3a = FloatVector.zero(S), r3b = FloatVector.zero(S);
        FloatVector r4a = FloatVector.zero(S), r4b = FloatVector.zero(S);
        FloatVector r5a = FloatVector.zero(S), r5b = FloatVector.zero(S);
        FloatVector r6a = FloatVector.zero(S), r6b = FloatVector.zero(S);
        FloatVector r7a = FloatVector.zero(S), r7b = FloatVector.zero(S);
        FloatVector r8a = FloatVector.zero(S), r8b = FloatVector.zero(S);
        FloatVector r9a = FloatVector.zero(S), r9b = FloatVector.zero(S);
        FloatVector r10a = FloatVector.zero(S), r10b = FloatVector.zero(S);
        FloatVector r11a = FloatVector.zero(S), r11b = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            int ai = ao + p;
            FloatVector ba = FloatVector.fromArray(S, b, bi), bb = FloatVector.fromArray(S, b, bi + VL);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai]); r0a = x.fma(ba, r0a); r0b = x.fma(bb, r0b);
            x = FloatVector.broadcast(S, a[ai + KC]); r1a = x.fma(ba, r1a); r1b = x.fma(bb, r1b);
            x = FloatVector.broadcast(S, a[ai + 2 * KC]); r2a = x.fma(ba, r2a); r2b = x.fma(bb, r2b);
            x = FloatVector.broadcast(S, a[ai + 3 * KC]); r3a = x.fma(ba, r3a); r3b = x.fma(bb, r3b);
            x = FloatVector.broadcast(S, a[ai + 4 * KC]); r4a = x.fma(ba, r4a); r4b = x.fma(bb, r4b);
            x = FloatVector.broadcast(S, a[ai + 5 * KC]); r5a = x.fma(ba, r5a); r5b = x.fma(bb, r5b);
            x = FloatVector.broadcast(S, a[ai + 6 * KC]); r6a = x.fma(ba, r6a); r6b = x.fma(bb, r6b);
            x = FloatVector.broadcast(S, a[ai + 7 * KC]); r7a = x.fma(ba, r7a); r7b = x.fma(bb, r7b);
            x = FloatVector.broadcast(S, a[ai + 8 * KC]); r8a = x.fma(ba, r8a); r8b = x.fma(bb, r8b);
            x = FloatVector.broadcast(S, a[ai + 9 * KC]); r9a = x.fma(ba, r9a); r9b = x.fma(bb, r9b);
            x = FloatVector.broadcast(S, a[ai + 10 * KC]); r10a = x.fma(ba, r10a); r10b = x.fma(bb, r10b);
            x = FloatVector.broadcast(S, a[ai + 11 * KC]); r11a = x.fma(ba, r11a); r11b = x.fma(bb, r11b);
        }
        int o = co;
        if (acc) {
            r0a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r0b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r1a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r1b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r2a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r2b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r3a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r3b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r4a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r4b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r5a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r5b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r6a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r6b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r7a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r7b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r8a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r8b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r9a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r9b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r10a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r10b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r11a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r11b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
        } else {
            r0a.intoArray(c, o); r0b.intoArray(c, o + VL);
            o += ldc;
            r1a.intoArray(c, o); r1b.intoArray(c, o + VL);
            o += ldc;
            r2a.intoArray(c, o); r2b.intoArray(c, o + VL);
            o += ldc;
            r3a.intoArray(c, o); r3b.intoArray(c, o + VL);
            o += ldc;
            r4a.intoArray(c, o); r4b.intoArray(c, o + VL);
            o += ldc;
            r5a.intoArray(c, o); r5b.intoArray(c, o + VL);
            o += ldc;
            r6a.intoArray(c, o); r6b.intoArray(c, o + VL);
            o += ldc;
            r7a.intoArray(c, o); r7b.intoArray(c, o + VL);
            o += ldc;
            r8a.intoArray(c, o); r8b.intoArray(c, o + VL);
            o += ldc;
            r9a.intoArray(c, o); r9b.intoArray(c, o + VL);
            o += ldc;
            r10a.intoArray(c, o); r10b.intoArray(c, o + VL);
            o += ldc;
            r11a.intoArray(c, o); r11b.intoArray(c, o + VL);
        }
    }

    /** Microkernel, A micro-panel column-wise: element (i, p) at {@code ao + p * as + i} (packed: as = MR; or read in place from a transposed A: as = lda). */
    static void kernelColA(int kc, float[] a, int ao, int as, float[] b, int bo, float[] c, int co, int ldc, boolean acc) {
        FloatVector r0a = FloatVector.zero(S), r0b = FloatVector.zero(S);
        FloatVector r1a = FloatVector.zero(S), r1b = FloatVector.zero(S);
        FloatVector r2a = FloatVector.zero(S), r2b = FloatVector.zero(S);
        FloatVector r3a = FloatVector.zero(S), r3b = FloatVector.zero(S);
        FloatVector r4a = FloatVector.zero(S), r4b = FloatVector.zero(S);
        FloatVector r5a = FloatVector.zero(S), r5b = FloatVector.zero(S);
        FloatVector r6a = FloatVector.zero(S), r6b = FloatVector.zero(S);
        FloatVector r7a = FloatVector.zero(S), r7b = FloatVector.zero(S);
        FloatVector r8a = FloatVector.zero(S), r8b = FloatVector.zero(S);
        FloatVector r9a = FloatVector.zero(S), r9b = FloatVector.zero(S);
        FloatVector r10a = FloatVector.zero(S), r10b = FloatVector.zero(S);
        FloatVector r11a = FloatVector.zero(S), r11b = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            int ai = ao + p * as;
            FloatVector ba = FloatVector.fromArray(S, b, bi), bb = FloatVector.fromArray(S, b, bi + VL);
            FloatVector x;
            x = FloatVector.broadcast(S, a[ai]); r0a = x.fma(ba, r0a); r0b = x.fma(bb, r0b);
            x = FloatVector.broadcast(S, a[ai + 1]); r1a = x.fma(ba, r1a); r1b = x.fma(bb, r1b);
            x = FloatVector.broadcast(S, a[ai + 2]); r2a = x.fma(ba, r2a); r2b = x.fma(bb, r2b);
            x = FloatVector.broadcast(S, a[ai + 3]); r3a = x.fma(ba, r3a); r3b = x.fma(bb, r3b);
            x = FloatVector.broadcast(S, a[ai + 4]); r4a = x.fma(ba, r4a); r4b = x.fma(bb, r4b);
            x = FloatVector.broadcast(S, a[ai + 5]); r5a = x.fma(ba, r5a); r5b = x.fma(bb, r5b);
            x = FloatVector.broadcast(S, a[ai + 6]); r6a = x.fma(ba, r6a); r6b = x.fma(bb, r6b);
            x = FloatVector.broadcast(S, a[ai + 7]); r7a = x.fma(ba, r7a); r7b = x.fma(bb, r7b);
            x = FloatVector.broadcast(S, a[ai + 8]); r8a = x.fma(ba, r8a); r8b = x.fma(bb, r8b);
            x = FloatVector.broadcast(S, a[ai + 9]); r9a = x.fma(ba, r9a); r9b = x.fma(bb, r9b);
            x = FloatVector.broadcast(S, a[ai + 10]); r10a = x.fma(ba, r10a); r10b = x.fma(bb, r10b);
            x = FloatVector.broadcast(S, a[ai + 11]); r11a = x.fma(ba, r11a); r11b = x.fma(bb, r11b);
        }
        int o = co;
        if (acc) {
            r0a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r0b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r1a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r1b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r2a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r2b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r3a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r3b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r4a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r4b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r5a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r5b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r6a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r6b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r7a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r7b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r8a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r8b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r9a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r9b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r10a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r10b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r11a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r11b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
        } else {
            r0a.intoArray(c, o); r0b.intoArray(c, o + VL);
            o += ldc;
            r1a.intoArray(c, o); r1b.intoArray(c, o + VL);
            o += ldc;
            r2a.intoArray(c, o); r2b.intoArray(c, o + VL);
            o += ldc;
            r3a.intoArray(c, o); r3b.intoArray(c, o + VL);
            o += ldc;
            r4a.intoArray(c, o); r4b.intoArray(c, o + VL);
            o += ldc;
            r5a.intoArray(c, o); r5b.intoArray(c, o + VL);
            o += ldc;
            r6a.intoArray(c, o); r6b.intoArray(c, o + VL);
            o += ldc;
            r7a.intoArray(c, o); r7b.intoArray(c, o + VL);
            o += ldc;
            r8a.intoArray(c, o); r8b.intoArray(c, o + VL);
            o += ldc;
            r9a.intoArray(c, o); r9b.intoArray(c, o + VL);
            o += ldc;
            r10a.intoArray(c, o); r10b.intoArray(c, o + VL);
            o += ldc;
            r11a.intoArray(c, o); r11b.intoArray(c, o + VL);
        }
    }
}
