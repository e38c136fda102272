package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled micro-kernels and a vectorised exp for {@link Attention}.
 *
 * <p>All products are {@code C (+)= A * B}: A is read through two strides (so the same kernel
 * multiplies by A or by A transposed) and its elements are broadcast; B is stored
 * <em>panel-major</em> (see {@link #panelWidth}) with its columns in vector lanes; C is row-major.
 * M must be a multiple of {@link #MR} and N a multiple of {@link #L}: callers pad their buffers.
 * Every element of C is a plain sequential FMA chain over k, starting from 0 (or from C when
 * accumulating), so its value does not depend on which tile or chunk computed it.
 *
 * <p>The micro-kernels (6 rows by 4, 2 or 1 vectors; {@code u*} for A with unit k-stride,
 * {@code g*} for any k-stride) are written by {@code KernelGenerator} (in the tests, beside
 * {@code GeneratedKernelsTest}, which fails when they differ from its output).
 */
final class AttnKernels {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int L = S.length();
    /** Rows of C per micro-kernel call. */
    static final int MR = 6;
    /** Widest B panel: the micro-kernel's four vectors. */
    static final int NR = 4 * L;

    private AttnKernels() {}

    static int roundUp(int x, int m) {
        return (x + m - 1) / m * m;
    }

    /**
     * Width of the B panel that starts at column {@code n0} of an {@code nLen}-wide panel-major matrix
     * ({@code nLen} a multiple of L): panels of 4 vectors, then at most one of 2 and one of 1.
     * A K-row panel-major matrix keeps the panel starting at column n0 at offset {@code n0 * K},
     * element (k, n0 + i) at {@code n0 * K + k * width + i}. With nLen in {L, 2L, 4L} it is just
     * row-major.
     */
    static int panelWidth(int n0, int nLen) {
        return n0 + NR <= nLen ? NR : n0 + 2 * L <= nLen ? 2 * L : L;
    }

    /** Whether a row-major matrix with nLen columns already is panel-major. */
    static boolean rowMajorIsPanelMajor(int nLen) {
        return nLen <= NR && nLen != 3 * L;
    }

    /**
     * C[m][n] (+)= sum_{k0 &lt;= k &lt; k1} A(m,k) * B(k,n) for m &lt; mLen (multiple of MR) and
     * n &lt; nLen (multiple of L), with A(m,k) = a[ai + m*aRs + k*aCs], B panel-major with bRows rows
     * at offset bi, C(m,n) = c[ci + m*cRs + n]. The k range is walked in chunks of kc so that a chunk
     * of each B panel stays in L1 while all row strips use it.
     */
    static void gemm(float[] a, int ai, int aRs, int aCs, float[] b, int bi, int bRows,
                     float[] c, int ci, int cRs, int mLen, int nLen, int k0, int k1, int kc, boolean acc) {
        for (int kk = k0; kk < k1; kk += kc) {
            int kLen = Math.min(kc, k1 - kk);
            boolean accum = acc || kk > k0;
            int aK = ai + kk * aCs;
            for (int n = 0; n < nLen; ) {
                int w = panelWidth(n, nLen);
                int bp = bi + n * bRows + kk * w;
                if (aCs == 1) {
                    for (int m = 0; m < mLen; m += MR) {
                        int am = aK + m * aRs;
                        int cm = ci + m * cRs + n;
                        if (w == NR) u6x4(a, am, aRs, b, bp, c, cm, cRs, kLen, accum);
                        else if (w == 2 * L) u6x2(a, am, aRs, b, bp, c, cm, cRs, kLen, accum);
                        else u6x1(a, am, aRs, b, bp, c, cm, cRs, kLen, accum);
                    }
                } else {
                    for (int m = 0; m < mLen; m += MR) {
                        int am = aK + m * aRs;
                        int cm = ci + m * cRs + n;
                        if (w == NR) g6x4(a, am, aRs, aCs, b, bp, c, cm, cRs, kLen, accum);
                        else if (w == 2 * L) g6x2(a, am, aRs, aCs, b, bp, c, cm, cRs, kLen, accum);
                        else g6x1(a, am, aRs, aCs, b, bp, c, cm, cRs, kLen, accum);
                    }
                }
                n += w;
            }
        }
    }

    // ---- exp ----------------------------------------------------------------------------------

    /**
     * s[o + j] = e^(s[o + j] - shift) for j &lt; len (a multiple of L); the lane-wise sums of the new
     * values go to sums[so .. so+L) (see {@link #treeSum}); {@link VectorExp#exp} is exactly 0
     * below -87.34, including -inf, so masked scores vanish.
     *
     * <p>VectorExp.exp must be inlined here (NoAllocationTest would see it otherwise): a vector
     * passed to or returned from a call that the JIT does not inline gets boxed, i.e. allocated;
     * bin/jit-commands makes sure it is (and that this is compiled on its own, not inside a task).
     */
    static void expRow(float[] s, int o, int len, float shift, float[] sums, int so) {
        FloatVector m = FloatVector.broadcast(S, shift);
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < len; j += L) {
            FloatVector y = VectorExp.exp(FloatVector.fromArray(S, s, o + j).sub(m));
            y.intoArray(s, o + j);
            sum = sum.add(y);
        }
        sum.intoArray(sums, so);
    }

    /** Sum of a[o .. o+L) in a fixed pairwise order (destroys them). */
    static float treeSum(float[] a, int o) {
        for (int w = L >> 1; w >= 1; w >>= 1) {
            for (int i = o; i < o + w; i++) a[i] += a[i + w];
        }
        return a[o];
    }

    // ---- generated by KernelGenerator (src/test/java/hrm/tensor/cpu): edit and run it, not this ----
    /** C[6 x 4L] (+)= A * B, B panel-major with row stride 4L, A(m,k) = a[ai + m*aRs + k]. */
    static void u6x4(float[] a, int ai, int aRs, float[] b, int bi,
                     float[] c, int ci, int cRs, int kLen, boolean acc) {
        FloatVector c00, c01, c02, c03;
        FloatVector c10, c11, c12, c13;
        FloatVector c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33;
        FloatVector c40, c41, c42, c43;
        FloatVector c50, c51, c52, c53;
        if (acc) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + L);
            c02 = FloatVector.fromArray(S, c, ci + 2 * L);
            c03 = FloatVector.fromArray(S, c, ci + 3 * L);
            c10 = FloatVector.fromArray(S, c, ci + cRs);
            c11 = FloatVector.fromArray(S, c, ci + cRs + L);
            c12 = FloatVector.fromArray(S, c, ci + cRs + 2 * L);
            c13 = FloatVector.fromArray(S, c, ci + cRs + 3 * L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * cRs);
            c21 = FloatVector.fromArray(S, c, ci + 2 * cRs + L);
            c22 = FloatVector.fromArray(S, c, ci + 2 * cRs + 2 * L);
            c23 = FloatVector.fromArray(S, c, ci + 2 * cRs + 3 * L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * cRs);
            c31 = FloatVector.fromArray(S, c, ci + 3 * cRs + L);
            c32 = FloatVector.fromArray(S, c, ci + 3 * cRs + 2 * L);
            c33 = FloatVector.fromArray(S, c, ci + 3 * cRs + 3 * L);
            c40 = FloatVector.fromArray(S, c, ci + 4 * cRs);
            c41 = FloatVector.fromArray(S, c, ci + 4 * cRs + L);
            c42 = FloatVector.fromArray(S, c, ci + 4 * cRs + 2 * L);
            c43 = FloatVector.fromArray(S, c, ci + 4 * cRs + 3 * L);
            c50 = FloatVector.fromArray(S, c, ci + 5 * cRs);
            c51 = FloatVector.fromArray(S, c, ci + 5 * cRs + L);
            c52 = FloatVector.fromArray(S, c, ci + 5 * cRs + 2 * L);
            c53 = FloatVector.fromArray(S, c, ci + 5 * cRs + 3 * L);
        } else {
            c00 = FloatVector.zero(S); c01 = FloatVector.zero(S); c02 = FloatVector.zero(S); c03 = FloatVector.zero(S);
            c10 = FloatVector.zero(S); c11 = FloatVector.zero(S); c12 = FloatVector.zero(S); c13 = FloatVector.zero(S);
            c20 = FloatVector.zero(S); c21 = FloatVector.zero(S); c22 = FloatVector.zero(S); c23 = FloatVector.zero(S);
            c30 = FloatVector.zero(S); c31 = FloatVector.zero(S); c32 = FloatVector.zero(S); c33 = FloatVector.zero(S);
            c40 = FloatVector.zero(S); c41 = FloatVector.zero(S); c42 = FloatVector.zero(S); c43 = FloatVector.zero(S);
            c50 = FloatVector.zero(S); c51 = FloatVector.zero(S); c52 = FloatVector.zero(S); c53 = FloatVector.zero(S);
        }
        final int a0 = ai;
        final int a1 = ai + aRs;
        final int a2 = ai + 2 * aRs;
        final int a3 = ai + 3 * aRs;
        final int a4 = ai + 4 * aRs;
        final int a5 = ai + 5 * aRs;
        for (int k = 0; k < kLen; k++) {
            final int bk = bi + k * 4 * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bk + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02); c03 = b3.fma(x0, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12); c13 = b3.fma(x1, c13);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22); c23 = b3.fma(x2, c23);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32); c33 = b3.fma(x3, c33);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + k]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41); c42 = b2.fma(x4, c42); c43 = b3.fma(x4, c43);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + k]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51); c52 = b2.fma(x5, c52); c53 = b3.fma(x5, c53);
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L); c03.intoArray(c, ci + 3 * L);
        c10.intoArray(c, ci + cRs); c11.intoArray(c, ci + cRs + L); c12.intoArray(c, ci + cRs + 2 * L); c13.intoArray(c, ci + cRs + 3 * L);
        c20.intoArray(c, ci + 2 * cRs); c21.intoArray(c, ci + 2 * cRs + L); c22.intoArray(c, ci + 2 * cRs + 2 * L); c23.intoArray(c, ci + 2 * cRs + 3 * L);
        c30.intoArray(c, ci + 3 * cRs); c31.intoArray(c, ci + 3 * cRs + L); c32.intoArray(c, ci + 3 * cRs + 2 * L); c33.intoArray(c, ci + 3 * cRs + 3 * L);
        c40.intoArray(c, ci + 4 * cRs); c41.intoArray(c, ci + 4 * cRs + L); c42.intoArray(c, ci + 4 * cRs + 2 * L); c43.intoArray(c, ci + 4 * cRs + 3 * L);
        c50.intoArray(c, ci + 5 * cRs); c51.intoArray(c, ci + 5 * cRs + L); c52.intoArray(c, ci + 5 * cRs + 2 * L); c53.intoArray(c, ci + 5 * cRs + 3 * L);
    }

    /** C[6 x 2L] (+)= A * B, B panel-major with row stride 2L, A(m,k) = a[ai + m*aRs + k]. */
    static void u6x2(float[] a, int ai, int aRs, float[] b, int bi,
                     float[] c, int ci, int cRs, int kLen, boolean acc) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        if (acc) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + L);
            c10 = FloatVector.fromArray(S, c, ci + cRs);
            c11 = FloatVector.fromArray(S, c, ci + cRs + L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * cRs);
            c21 = FloatVector.fromArray(S, c, ci + 2 * cRs + L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * cRs);
            c31 = FloatVector.fromArray(S, c, ci + 3 * cRs + L);
            c40 = FloatVector.fromArray(S, c, ci + 4 * cRs);
            c41 = FloatVector.fromArray(S, c, ci + 4 * cRs + L);
            c50 = FloatVector.fromArray(S, c, ci + 5 * cRs);
            c51 = FloatVector.fromArray(S, c, ci + 5 * cRs + L);
        } else {
            c00 = FloatVector.zero(S); c01 = FloatVector.zero(S);
            c10 = FloatVector.zero(S); c11 = FloatVector.zero(S);
            c20 = FloatVector.zero(S); c21 = FloatVector.zero(S);
            c30 = FloatVector.zero(S); c31 = FloatVector.zero(S);
            c40 = FloatVector.zero(S); c41 = FloatVector.zero(S);
            c50 = FloatVector.zero(S); c51 = FloatVector.zero(S);
        }
        final int a0 = ai;
        final int a1 = ai + aRs;
        final int a2 = ai + 2 * aRs;
        final int a3 = ai + 3 * aRs;
        final int a4 = ai + 4 * aRs;
        final int a5 = ai + 5 * aRs;
        for (int k = 0; k < kLen; k++) {
            final int bk = bi + k * 2 * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + k]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + k]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + k]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + k]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + k]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + k]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + cRs); c11.intoArray(c, ci + cRs + L);
        c20.intoArray(c, ci + 2 * cRs); c21.intoArray(c, ci + 2 * cRs + L);
        c30.intoArray(c, ci + 3 * cRs); c31.intoArray(c, ci + 3 * cRs + L);
        c40.intoArray(c, ci + 4 * cRs); c41.intoArray(c, ci + 4 * cRs + L);
        c50.intoArray(c, ci + 5 * cRs); c51.intoArray(c, ci + 5 * cRs + L);
    }

    /** C[6 x 1L] (+)= A * B, B panel-major with row stride 1L, A(m,k) = a[ai + m*aRs + k]. */
    static void u6x1(float[] a, int ai, int aRs, float[] b, int bi,
                     float[] c, int ci, int cRs, int kLen, boolean acc) {
        FloatVector c00;
        FloatVector c10;
        FloatVector c20;
        FloatVector c30;
        FloatVector c40;
        FloatVector c50;
        if (acc) {
            c00 = FloatVector.fromArray(S, c, ci);
            c10 = FloatVector.fromArray(S, c, ci + cRs);
            c20 = FloatVector.fromArray(S, c, ci + 2 * cRs);
            c30 = FloatVector.fromArray(S, c, ci + 3 * cRs);
            c40 = FloatVector.fromArray(S, c, ci + 4 * cRs);
            c50 = FloatVector.fromArray(S, c, ci + 5 * cRs);
        } else {
            c00 = FloatVector.zero(S);
            c10 = FloatVector.zero(S);
            c20 = FloatVector.zero(S);
            c30 = FloatVector.zero(S);
            c40 = FloatVector.zero(S);
            c50 = FloatVector.zero(S);
        }
        final int a0 = ai;
        final int a1 = ai + aRs;
        final int a2 = ai + 2 * aRs;
        final int a3 = ai + 3 * aRs;
        final int a4 = ai + 4 * aRs;
        final int a5 = ai + 5 * aRs;
        for (int k = 0; k < kLen; k++) {
            final int bk = bi + k * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + k]);
            c00 = b0.fma(x0, c00);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + k]);
            c10 = b0.fma(x1, c10);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + k]);
            c20 = b0.fma(x2, c20);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + k]);
            c30 = b0.fma(x3, c30);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + k]);
            c40 = b0.fma(x4, c40);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + k]);
            c50 = b0.fma(x5, c50);
        }
        c00.intoArray(c, ci);
        c10.intoArray(c, ci + cRs);
        c20.intoArray(c, ci + 2 * cRs);
        c30.intoArray(c, ci + 3 * cRs);
        c40.intoArray(c, ci + 4 * cRs);
        c50.intoArray(c, ci + 5 * cRs);
    }

    /** C[6 x 4L] (+)= A * B, B panel-major with row stride 4L, A(m,k) = a[ai + m*aRs + k*aCs]. */
    static void g6x4(float[] a, int ai, int aRs, int aCs, float[] b, int bi,
                     float[] c, int ci, int cRs, int kLen, boolean acc) {
        FloatVector c00, c01, c02, c03;
        FloatVector c10, c11, c12, c13;
        FloatVector c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33;
        FloatVector c40, c41, c42, c43;
        FloatVector c50, c51, c52, c53;
        if (acc) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + L);
            c02 = FloatVector.fromArray(S, c, ci + 2 * L);
            c03 = FloatVector.fromArray(S, c, ci + 3 * L);
            c10 = FloatVector.fromArray(S, c, ci + cRs);
            c11 = FloatVector.fromArray(S, c, ci + cRs + L);
            c12 = FloatVector.fromArray(S, c, ci + cRs + 2 * L);
            c13 = FloatVector.fromArray(S, c, ci + cRs + 3 * L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * cRs);
            c21 = FloatVector.fromArray(S, c, ci + 2 * cRs + L);
            c22 = FloatVector.fromArray(S, c, ci + 2 * cRs + 2 * L);
            c23 = FloatVector.fromArray(S, c, ci + 2 * cRs + 3 * L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * cRs);
            c31 = FloatVector.fromArray(S, c, ci + 3 * cRs + L);
            c32 = FloatVector.fromArray(S, c, ci + 3 * cRs + 2 * L);
            c33 = FloatVector.fromArray(S, c, ci + 3 * cRs + 3 * L);
            c40 = FloatVector.fromArray(S, c, ci + 4 * cRs);
            c41 = FloatVector.fromArray(S, c, ci + 4 * cRs + L);
            c42 = FloatVector.fromArray(S, c, ci + 4 * cRs + 2 * L);
            c43 = FloatVector.fromArray(S, c, ci + 4 * cRs + 3 * L);
            c50 = FloatVector.fromArray(S, c, ci + 5 * cRs);
            c51 = FloatVector.fromArray(S, c, ci + 5 * cRs + L);
            c52 = FloatVector.fromArray(S, c, ci + 5 * cRs + 2 * L);
            c53 = FloatVector.fromArray(S, c, ci + 5 * cRs + 3 * L);
        } else {
            c00 = FloatVector.zero(S); c01 = FloatVector.zero(S); c02 = FloatVector.zero(S); c03 = FloatVector.zero(S);
            c10 = FloatVector.zero(S); c11 = FloatVector.zero(S); c12 = FloatVector.zero(S); c13 = FloatVector.zero(S);
            c20 = FloatVector.zero(S); c21 = FloatVector.zero(S); c22 = FloatVector.zero(S); c23 = FloatVector.zero(S);
            c30 = FloatVector.zero(S); c31 = FloatVector.zero(S); c32 = FloatVector.zero(S); c33 = FloatVector.zero(S);
            c40 = FloatVector.zero(S); c41 = FloatVector.zero(S); c42 = FloatVector.zero(S); c43 = FloatVector.zero(S);
            c50 = FloatVector.zero(S); c51 = FloatVector.zero(S); c52 = FloatVector.zero(S); c53 = FloatVector.zero(S);
        }
        final int a0 = ai;
        final int a1 = ai + aRs;
        final int a2 = ai + 2 * aRs;
        final int a3 = ai + 3 * aRs;
        final int a4 = ai + 4 * aRs;
        final int a5 = ai + 5 * aRs;
        for (int k = 0; k < kLen; k++) {
            final int bk = bi + k * 4 * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bk + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + k * aCs]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02); c03 = b3.fma(x0, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + k * aCs]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12); c13 = b3.fma(x1, c13);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + k * aCs]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22); c23 = b3.fma(x2, c23);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + k * aCs]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32); c33 = b3.fma(x3, c33);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + k * aCs]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41); c42 = b2.fma(x4, c42); c43 = b3.fma(x4, c43);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + k * aCs]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51); c52 = b2.fma(x5, c52); c53 = b3.fma(x5, c53);
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L); c02.intoArray(c, ci + 2 * L); c03.intoArray(c, ci + 3 * L);
        c10.intoArray(c, ci + cRs); c11.intoArray(c, ci + cRs + L); c12.intoArray(c, ci + cRs + 2 * L); c13.intoArray(c, ci + cRs + 3 * L);
        c20.intoArray(c, ci + 2 * cRs); c21.intoArray(c, ci + 2 * cRs + L); c22.intoArray(c, ci + 2 * cRs + 2 * L); c23.intoArray(c, ci + 2 * cRs + 3 * L);
        c30.intoArray(c, ci + 3 * cRs); c31.intoArray(c, ci + 3 * cRs + L); c32.intoArray(c, ci + 3 * cRs + 2 * L); c33.intoArray(c, ci + 3 * cRs + 3 * L);
        c40.intoArray(c, ci + 4 * cRs); c41.intoArray(c, ci + 4 * cRs + L); c42.intoArray(c, ci + 4 * cRs + 2 * L); c43.intoArray(c, ci + 4 * cRs + 3 * L);
        c50.intoArray(c, ci + 5 * cRs); c51.intoArray(c, ci + 5 * cRs + L); c52.intoArray(c, ci + 5 * cRs + 2 * L); c53.intoArray(c, ci + 5 * cRs + 3 * L);
    }

    /** C[6 x 2L] (+)= A * B, B panel-major with row stride 2L, A(m,k) = a[ai + m*aRs + k*aCs]. */
    static void g6x2(float[] a, int ai, int aRs, int aCs, float[] b, int bi,
                     float[] c, int ci, int cRs, int kLen, boolean acc) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        if (acc) {
            c00 = FloatVector.fromArray(S, c, ci);
            c01 = FloatVector.fromArray(S, c, ci + L);
            c10 = FloatVector.fromArray(S, c, ci + cRs);
            c11 = FloatVector.fromArray(S, c, ci + cRs + L);
            c20 = FloatVector.fromArray(S, c, ci + 2 * cRs);
            c21 = FloatVector.fromArray(S, c, ci + 2 * cRs + L);
            c30 = FloatVector.fromArray(S, c, ci + 3 * cRs);
            c31 = FloatVector.fromArray(S, c, ci + 3 * cRs + L);
            c40 = FloatVector.fromArray(S, c, ci + 4 * cRs);
            c41 = FloatVector.fromArray(S, c, ci + 4 * cRs + L);
            c50 = FloatVector.fromArray(S, c, ci + 5 * cRs);
            c51 = FloatVector.fromArray(S, c, ci + 5 * cRs + L);
        } else {
            c00 = FloatVector.zero(S); c01 = FloatVector.zero(S);
            c10 = FloatVector.zero(S); c11 = FloatVector.zero(S);
            c20 = FloatVector.zero(S); c21 = FloatVector.zero(S);
            c30 = FloatVector.zero(S); c31 = FloatVector.zero(S);
            c40 = FloatVector.zero(S); c41 = FloatVector.zero(S);
            c50 = FloatVector.zero(S); c51 = FloatVector.zero(S);
        }
        final int a0 = ai;
        final int a1 = ai + aRs;
        final int a2 = ai + 2 * aRs;
        final int a3 = ai + 3 * aRs;
        final int a4 = ai + 4 * aRs;
        final int a5 = ai + 5 * aRs;
        for (int k = 0; k < kLen; k++) {
            final int bk = bi + k * 2 * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + L);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + k * aCs]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + k * aCs]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + k * aCs]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + k * aCs]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + k * aCs]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + k * aCs]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + cRs); c11.intoArray(c, ci + cRs + L);
        c20.intoArray(c, ci + 2 * cRs); c21.intoArray(c, ci + 2 * cRs + L);
        c30.intoArray(c, ci + 3 * cRs); c31.intoArray(c, ci + 3 * cRs + L);
        c40.intoArray(c, ci + 4 * cRs); c41.intoArray(c, ci + 4 * cRs + L);
        c50.intoArray(c, ci + 5 * cRs); c51.intoArray(c, ci + 5 * cRs + L);
    }

    /** C[6 x 1L] (+)= A * B, B panel-major with row stride 1L, A(m,k) = a[ai + m*aRs + k*aCs]. */
    static void g6x1(float[] a, int ai, int aRs, int aCs, float[] b, int bi,
                     float[] c, int ci, int cRs, int kLen, boolean acc) {
        FloatVector c00;
        FloatVector c10;
        FloatVector c20;
        FloatVector c30;
        FloatVector c40;
        FloatVector c50;
        if (acc) {
            c00 = FloatVector.fromArray(S, c, ci);
            c10 = FloatVector.fromArray(S, c, ci + cRs);
            c20 = FloatVector.fromArray(S, c, ci + 2 * cRs);
            c30 = FloatVector.fromArray(S, c, ci + 3 * cRs);
            c40 = FloatVector.fromArray(S, c, ci + 4 * cRs);
            c50 = FloatVector.fromArray(S, c, ci + 5 * cRs);
        } else {
            c00 = FloatVector.zero(S);
            c10 = FloatVector.zero(S);
            c20 = FloatVector.zero(S);
            c30 = FloatVector.zero(S);
            c40 = FloatVector.zero(S);
            c50 = FloatVector.zero(S);
        }
        final int a0 = ai;
        final int a1 = ai + aRs;
        final int a2 = ai + 2 * aRs;
        final int a3 = ai + 3 * aRs;
        final int a4 = ai + 4 * aRs;
        final int a5 = ai + 5 * aRs;
        for (int k = 0; k < kLen; k++) {
            final int bk = bi + k * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + k * aCs]);
            c00 = b0.fma(x0, c00);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + k * aCs]);
            c10 = b0.fma(x1, c10);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + k * aCs]);
            c20 = b0.fma(x2, c20);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + k * aCs]);
            c30 = b0.fma(x3, c30);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + k * aCs]);
            c40 = b0.fma(x4, c40);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + k * aCs]);
            c50 = b0.fma(x5, c50);
        }
        c00.intoArray(c, ci);
        c10.intoArray(c, ci + cRs);
        c20.intoArray(c, ci + 2 * cRs);
        c30.intoArray(c, ci + 3 * cRs);
        c40.intoArray(c, ci + 4 * cRs);
        c50.intoArray(c, ci + 5 * cRs);
    }
    // ---- end of generated code ----
}
