package hrm.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SgemmTest {

    private static WorkerPool pool1, pool2;
    private static Sgemm gemm1, gemm2;
    /** Tiny blocks and caps: many row/column blocks, and one k-block per pass over C. */
    private static Sgemm tiny1, tiny2;
    /**
     * Short k-blocks, one-panel column blocks and large caps: many k-blocks per pass, so each row
     * block keeps several packed A blocks and reuses them for every column block.
     */
    private static Sgemm shortK2;

    @BeforeAll
    static void setUp() {
        pool1 = new WorkerPool(1);
        pool2 = new WorkerPool(2);
        gemm1 = new Sgemm(pool1);
        gemm2 = new Sgemm(pool2);
        tiny1 = new Sgemm(pool1, 24, 64, 1, 1);
        tiny2 = new Sgemm(pool2, 36, 2 * Sgemm.NR, 1, 1);
        shortK2 = new Sgemm(pool2, 36, Sgemm.NR, 8, Sgemm.B_CAP, Sgemm.A_CAP);
    }

    @AfterAll
    static void tearDown() {
        pool1.close();
        pool2.close();
    }

    /** Which entry point a case goes through. */
    enum Mode { ONE_THREAD, TWO_THREADS, SINGLE_SLOT0, SINGLE_SLOT1, TINY_ONE_THREAD, TINY_TWO_THREADS, TINY_SINGLE_SLOT1,
        SHORT_K_TWO_THREADS, SHORT_K_SINGLE_SLOT1 }

    private static float[] random(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    /**
     * Runs one case through {@code mode} and checks it against a double-precision triple loop.
     * Padding (pad > 0) makes leading dimensions larger than rows and adds offsets; the padding of C
     * must be left untouched.
     */
    private static void check(Mode mode, boolean tA, boolean tB, int m, int n, int k, float alpha, float beta,
                              int pad, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int aRows = tA ? k : m, aCols = tA ? m : k;
        int bRows = tB ? n : k, bCols = tB ? k : n;
        int lda = aCols + pad, ldb = bCols + pad + (pad > 0 ? 3 : 0), ldc = n + 2 * pad;
        int aOff = pad * 5, bOff = pad * 7, cOff = pad * 11;
        float[] a = random(r, aOff + Math.max(0, aRows * lda) + pad);
        float[] b = random(r, bOff + Math.max(0, bRows * ldb) + pad);
        float[] c = random(r, cOff + m * ldc + pad);
        if (beta == 0f) {
            for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
        }
        float[] c0 = c.clone();

        double[] ref = new double[m * n];
        double maxRef = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = tA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = tB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                double v = alpha * s + (beta == 0f ? 0 : beta * (double) c0[cOff + i * ldc + j]);
                ref[i * n + j] = v;
                maxRef = Math.max(maxRef, Math.abs(v));
            }
        }

        switch (mode) {
            case ONE_THREAD -> gemm1.gemm(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            case TWO_THREADS -> gemm2.gemm(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            case SINGLE_SLOT0 -> gemm2.gemmSingle(0, tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            case SINGLE_SLOT1 -> gemm2.gemmSingle(1, tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            case TINY_ONE_THREAD -> tiny1.gemm(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            case TINY_TWO_THREADS -> tiny2.gemm(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            case TINY_SINGLE_SLOT1 -> tiny2.gemmSingle(1, tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            case SHORT_K_TWO_THREADS -> shortK2.gemm(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            case SHORT_K_SINGLE_SLOT1 -> shortK2.gemmSingle(1, tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        String what = mode + " tA=" + tA + " tB=" + tB + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta + " pad=" + pad;
        double maxDiff = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float got = c[cOff + i * ldc + j];
                assertTrue(Float.isFinite(got), what + ": non-finite at " + i + "," + j);
                maxDiff = Math.max(maxDiff, Math.abs(got - ref[i * n + j]));
            }
        }
        double tol = 1e-5 * Math.max(maxRef, 1e-30) + (maxRef == 0 ? 0 : 0);
        assertTrue(maxDiff <= tol, what + ": max |diff| " + maxDiff + " vs max |ref| " + maxRef);
        // Everything outside the m x n window of C is untouched.
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - cOff;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside) assertEquals(Float.floatToRawIntBits(c0[idx]), Float.floatToRawIntBits(c[idx]), what + ": wrote outside C at " + idx);
        }
        // A and B untouched.
    }

    private static final int[] ODD = {1, 3, 17, 31, 33, 47, 95, 257};

    @Test
    void allTransposesOddSizes() {
        long seed = 1;
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                for (int s : ODD) {
                    // vary one dimension over the odd sizes, keep the others moderate and odd
                    check(Mode.TWO_THREADS, tA, tB, s, 29, 45, 1f, 0f, 0, seed++);
                    check(Mode.ONE_THREAD, tA, tB, 35, s, 45, -0.5f, 1f, 1, seed++);
                    check(Mode.TWO_THREADS, tA, tB, 37, 33, s, 1.5f, 1f, 2, seed++);
                }
            }
        }
    }

    @Test
    void tinyAndKZero() {
        long seed = 100;
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                for (Mode mode : Mode.values()) {
                    check(mode, tA, tB, 1, 1, 1, 1f, 0f, 0, seed++);
                    check(mode, tA, tB, 1, 1, 1, 2f, 1f, 3, seed++);
                    check(mode, tA, tB, 2, 3, 1, 1f, 0.5f, 1, seed++);
                    check(mode, tA, tB, 5, 7, 0, 1f, 0f, 0, seed++);   // k = 0, beta = 0: zeros (NaN ignored)
                    check(mode, tA, tB, 5, 7, 0, 1f, 1f, 2, seed++);   // k = 0, beta = 1: unchanged
                    check(mode, tA, tB, 5, 7, 0, 1f, -2f, 1, seed++);  // k = 0, other beta: scaled
                    check(mode, tA, tB, 0, 7, 3, 1f, 0f, 1, seed++);
                    check(mode, tA, tB, 7, 0, 3, 1f, 0f, 1, seed++);
                    check(mode, tA, tB, 9, 11, 13, 0f, 1f, 1, seed++); // alpha = 0
                }
            }
        }
    }

    @Test
    void betaAlphaAndStridesAllModes() {
        long seed = 200;
        float[][] ab = {{1f, 0f}, {1f, 1f}, {-0.75f, 0f}, {2f, 1f}, {0.5f, -1.5f}};
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                for (Mode mode : Mode.values()) {
                    for (float[] x : ab) {
                        check(mode, tA, tB, 50, 70, 64, x[0], x[1], 0, seed++);
                        check(mode, tA, tB, 61, 47, 95, x[0], x[1], 4, seed++);
                    }
                }
            }
        }
    }

    @Test
    void blockBoundaries() {
        // Sizes straddling the k-block (KC), the row block (MC) and many tiles, both pools.
        long seed = 300;
        int kc = Sgemm.KC, mc = Sgemm.MC;
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                check(Mode.TWO_THREADS, tA, tB, mc + 13, 2 * Sgemm.NR + 5, kc + 1, 1f, 0f, 1, seed++);
                check(Mode.ONE_THREAD, tA, tB, 2 * Sgemm.MR + 1, 3 * Sgemm.NR - 1, 2 * kc + 3, 0.5f, 1f, 0, seed++);
                check(Mode.SINGLE_SLOT1, tA, tB, mc + Sgemm.MR, Sgemm.NR, 3 * kc - 1, 1f, 1f, 2, seed++);
            }
        }
        // Model-like small shapes: 8 samples x 82 tokens, hidden 64, 4 heads.
        check(Mode.TWO_THREADS, false, true, 656, 192, 64, 1f, 0f, 0, seed++);
        check(Mode.TWO_THREADS, false, false, 656, 64, 192, 1f, 0f, 0, seed++);
        check(Mode.TWO_THREADS, true, false, 192, 64, 656, 1f, 1f, 0, seed++);
        check(Mode.TWO_THREADS, false, true, 82, 82, 16, 0.25f, 0f, 0, seed++);
    }

    @Test
    void manyBlocksAndPasses() {
        // Row, column and k blocking all active: several row/column blocks per task and one
        // k-block of packed B per pass over C (so beta = 0 must only apply on the first pass).
        long seed = 600;
        int k3 = 2 * Sgemm.KC + 17;
        float[][] ab = {{1f, 0f}, {0.5f, 1f}, {-1f, -0.5f}};
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                for (Mode mode : new Mode[] {Mode.TINY_ONE_THREAD, Mode.TINY_TWO_THREADS, Mode.TINY_SINGLE_SLOT1,
                        Mode.SHORT_K_TWO_THREADS, Mode.SHORT_K_SINGLE_SLOT1}) {
                    for (float[] x : ab) {
                        check(mode, tA, tB, 131, 5 * Sgemm.NR + 3, k3, x[0], x[1], 1, seed++);
                    }
                    check(mode, tA, tB, 13, 3 * Sgemm.NR, Sgemm.KC + 1, 1f, 0f, 0, seed++);
                    check(mode, tA, tB, 200, 7, 40, 1f, 0f, 2, seed++);
                }
            }
        }
    }

    @Test
    void modelShapesAgreeAcrossBlockings() {
        // The reference configuration's three products at full size (2624 token rows, the gate_up
        // layer 512 -> 3072, and the down layer's k = 1536): the production blocking on two threads
        // against tiny blocks on one thread. Both sum each element in k order, but in different
        // k-blocks, so they agree to rounding; a lost or doubled block would not.
        SplittableRandom r = new SplittableRandom(800);
        int rows = 2624;
        int[][] shapes = {{3072, 512}, {512, 1536}};
        for (int[] s : shapes) {
            int out = s[0], in = s[1];
            float[] x = random(r, rows * in), w = random(r, out * in), dy = random(r, rows * out);
            float[] y1 = new float[rows * out], y2 = new float[rows * out];
            gemm2.gemm(false, true, rows, out, in, 1f, x, 0, in, w, 0, in, 0f, y1, 0, out);
            tiny1.gemm(false, true, rows, out, in, 1f, x, 0, in, w, 0, in, 0f, y2, 0, out);
            assertClose(y2, y1, in, "fwd " + out + "x" + in);
            float[] dx1 = new float[rows * in], dx2 = new float[rows * in];
            gemm2.gemm(false, false, rows, in, out, 1f, dy, 0, out, w, 0, in, 0f, dx1, 0, in);
            tiny1.gemm(false, false, rows, in, out, 1f, dy, 0, out, w, 0, in, 0f, dx2, 0, in);
            assertClose(dx2, dx1, out, "dx " + out + "x" + in);
            float[] dw1 = random(r, out * in), dw2 = dw1.clone();
            gemm2.gemm(true, false, out, in, rows, 1f, dy, 0, out, x, 0, in, 1f, dw1, 0, in);
            tiny1.gemm(true, false, out, in, rows, 1f, dy, 0, out, x, 0, in, 1f, dw2, 0, in);
            assertClose(dw2, dw1, rows, "dW " + out + "x" + in);
        }
    }

    /** Every element within float rounding of a sum of k products of numbers in [-1, 1]. */
    private static void assertClose(float[] want, float[] got, int k, String what) {
        double tol = 1e-6 * k;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", expected " + want[i]);
            }
        }
    }

    @Test
    void wideAndTallSplits() {
        // Shapes that make gemm() split along n (few rows) and along m (few columns).
        long seed = 400;
        for (boolean tA : new boolean[] {false, true}) {
            for (boolean tB : new boolean[] {false, true}) {
                check(Mode.TWO_THREADS, tA, tB, 5, 1000, 70, 1f, 0f, 1, seed++);
                check(Mode.TWO_THREADS, tA, tB, 1000, 5, 70, 1f, 1f, 1, seed++);
                check(Mode.TWO_THREADS, tA, tB, 100, 300, 40, 1f, 0f, 0, seed++);
            }
        }
    }

    @Test
    void repeatedCallsReuseScratch() {
        // A large then a small then a large call: scratch grown once, results still right.
        long seed = 500;
        check(Mode.TWO_THREADS, false, true, 300, 200, 300, 1f, 0f, 0, seed++);
        check(Mode.TWO_THREADS, false, true, 3, 3, 3, 1f, 0f, 0, seed++);
        check(Mode.TWO_THREADS, true, false, 300, 200, 300, 1f, 1f, 1, seed++);
    }

    @Test
    void gemmSingleConcurrentlyFromPoolWorkers() {
        // Each pool task runs its own gemmSingle on its worker slot, as other parallel kernels will.
        int tasks = 6, m = 70, n = 90, k = 300;
        SplittableRandom r = new SplittableRandom(700);
        float[][] as = new float[tasks][], bs = new float[tasks][], cs = new float[tasks][];
        for (int i = 0; i < tasks; i++) {
            as[i] = random(r, m * k);
            bs[i] = random(r, n * k);
            cs[i] = new float[m * n];
        }
        for (int rep = 0; rep < 3; rep++) {
            pool2.run(tasks, (i, w) -> gemm2.gemmSingle(w, false, true, m, n, k, 1f, as[i], 0, k, bs[i], 0, k, 0f, cs[i], 0, n));
        }
        for (int i = 0; i < tasks; i++) {
            float[] want = new float[m * n];
            gemm1.gemm(false, true, m, n, k, 1f, as[i], 0, k, bs[i], 0, k, 0f, want, 0, n);
            for (int x = 0; x < want.length; x++) {
                assertEquals(want[x], cs[i][x], 1e-4f * (1 + Math.abs(want[x])), "task " + i + " element " + x);
            }
        }
    }

    /**
     * B as bfloat16 values in a memory segment gives, bit for bit, the product over the same values
     * held as floats (widening is exact and the packed panels are the same), for every transpose,
     * edge panels, offsets and strides, and every blocking; B's range is checked.
     */
    @Test
    void bfloat16BIsTheProductOverTheSameValuesAsFloats() {
        SplittableRandom r = new SplittableRandom(900);
        int[][] shapes = {{1, 1, 1}, {13, 3 * Sgemm.NR - 5, 45}, {61, 47, 95}, {131, 5 * Sgemm.NR + 3, 2 * Sgemm.KC + 17}, {300, 200, 64}};
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) { // shared: the pool's workers read B
            for (Sgemm g : new Sgemm[] {gemm1, gemm2, tiny1, tiny2, shortK2})
                for (boolean tA : new boolean[] {false, true})
                    for (boolean tB : new boolean[] {false, true})
                        for (int[] sh : shapes) {
                            int m = sh[0], n = sh[1], k = sh[2], pad = (m + n) % 3;
                            int lda = (tA ? m : k) + pad, ldb = (tB ? k : n) + pad, ldc = n + pad, bOff = 5 * pad;
                            float[] a = random(r, (tA ? k : m) * lda);
                            float[] b = random(r, bOff + (tB ? n : k) * ldb);
                            for (int i = 0; i < b.length; i++) b[i] = Bf16.round(b[i]);
                            var b16 = arena.allocate(2L * b.length, 64);
                            Bf16.pack(b, 0, b.length, b16, 0);
                            float[] want = random(r, m * ldc), got = want.clone();
                            g.gemm(tA, tB, m, n, k, 0.75f, a, 0, lda, b, bOff, ldb, 0.5f, want, 0, ldc);
                            g.gemmMixed(tA, tB, m, n, k, 0.75f, a, null, 0, lda, null, b16, bOff, ldb, 0.5f, got, null, 0, ldc);
                            for (int i = 0; i < want.length; i++)
                                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                                        "tA=" + tA + " tB=" + tB + " " + m + "x" + n + "x" + k + " element " + i);
                        }
            var small = arena.allocate(2L * 15, 64);
            float[] x = new float[16];
            assertThrows(IndexOutOfBoundsException.class, () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, x, null, 0, 4, null, small, 0, 4, 0f, x, null, 0, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> gemm1.gemmMixed(false, true, 2, 2, 4, 1f, x, null, 0, 4, null, small, 8, 4, 0f, x, null, 0, 2));
        }
    }

    /** An operand of {@link Sgemm#gemmMixed}: its values as floats, and when bfloat16 also in a segment (then {@code f} is only the reference's copy). */
    private record Operand(float[] f, java.lang.foreign.MemorySegment s) {
        float[] floats() { return s == null ? f : null; }
    }

    /** len random values (rounded to bfloat16 and copied into a segment when {@code bf16}). */
    private static Operand operand(SplittableRandom r, java.lang.foreign.Arena arena, int len, boolean bf16) {
        float[] f = random(r, len);
        if (!bf16) return new Operand(f, null);
        for (int i = 0; i < len; i++) f[i] = Bf16.round(f[i]);
        var s = arena.allocate(2L * Math.max(1, len), 64);
        Bf16.pack(f, 0, len, s, 0);
        return new Operand(f, s);
    }

    /**
     * One case of {@link Sgemm#gemmMixed} with A, B, C in bfloat16 where bits 1, 2, 4 of {@code which} are
     * set, against {@link Sgemm#gemm} on the same instance over the same values as floats (then every
     * element of a bfloat16 C rounded): bit for bit, and nothing written outside C's m x n window.
     */
    private static void mixedCase(Sgemm g, java.lang.foreign.Arena arena, SplittableRandom r, int which, boolean tA, boolean tB,
                                  int m, int n, int k, float beta) {
        boolean a16 = (which & 1) != 0, b16 = (which & 2) != 0, c16 = (which & 4) != 0;
        int pad = (m + n + which) % 3;
        int lda = (tA ? m : k) + pad, ldb = (tB ? k : n) + pad + 1, ldc = n + pad + 2;
        int aOff = 1 + 2 * pad, bOff = 2 + 5 * pad, cOff = 3 + 7 * pad;
        Operand a = operand(r, arena, aOff + (tA ? k : m) * lda + pad, a16);
        Operand b = operand(r, arena, bOff + (tB ? n : k) * ldb + pad, b16);
        float[] cv = random(r, cOff + m * ldc + pad);
        if (beta == 0f) for (int i = 0; i < m; i++) Arrays.fill(cv, cOff + i * ldc, cOff + i * ldc + n, Float.NaN); // ignored
        if (c16) for (int i = 0; i < cv.length; i++) cv[i] = Bf16.round(cv[i]);
        float[] want = cv.clone(), got = c16 ? null : cv.clone();
        java.lang.foreign.MemorySegment cs = null;
        short[] before = null;
        if (c16) {
            cs = arena.allocate(2L * cv.length, 64);
            for (int i = 0; i < cv.length; i++) cs.setAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) (Float.floatToRawIntBits(cv[i]) >>> 16));
            before = cs.toArray(java.lang.foreign.ValueLayout.JAVA_SHORT);
        }
        g.gemm(tA, tB, m, n, k, 0.75f, a.f(), aOff, lda, b.f(), bOff, ldb, beta, want, cOff, ldc);
        g.gemmMixed(tA, tB, m, n, k, 0.75f, a.floats(), a.s(), aOff, lda, b.floats(), b.s(), bOff, ldb, beta, got, cs, cOff, ldc);
        String what = "A" + (a16 ? "16" : "32") + " B" + (b16 ? "16" : "32") + " C" + (c16 ? "16" : "32")
                + " tA=" + tA + " tB=" + tB + " " + m + "x" + n + "x" + k + " beta=" + beta;
        for (int idx = 0; idx < cv.length; idx++) {
            int rel = idx - cOff;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (c16) {
                short w = inside ? Bf16.bits(want[idx]) : before[idx];
                short x = cs.getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, idx);
                if (w != x) assertEquals(Integer.toHexString(w & 0xffff), Integer.toHexString(x & 0xffff), what + ": element " + idx + (inside ? "" : " (outside C)"));
            } else {
                int w = Float.floatToRawIntBits(inside ? want[idx] : cv[idx]), x = Float.floatToRawIntBits(got[idx]);
                if (w != x) assertEquals(w, x, what + ": element " + idx + (inside ? "" : " (outside C)"));
            }
        }
    }

    /**
     * Any of A, B, C as bfloat16 values (8 combinations) gives, bit for bit, gemm over the same values as
     * floats, a bfloat16 C rounded once from the float result: every transpose, beta 0, 1 and 0.5, edge
     * tiles, several k-blocks, offsets and strides, and every blocking (the tiny caps would take a pass per
     * k-block over a float C).
     */
    @Test
    void mixedOperandsAreTheProductOverTheSameValuesAsFloats() {
        SplittableRandom r = new SplittableRandom(1000);
        int[][] shapes = {{1, 1, 1}, {13, 3 * Sgemm.NR - 5, 45}, {61, 47, Sgemm.KC + 3}, {131, 5 * Sgemm.NR + 3, 2 * Sgemm.KC + 17},
                {300, 200, 64}};
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) { // shared: the pool's workers read it
            for (Sgemm g : new Sgemm[] {gemm1, gemm2, tiny1, tiny2, shortK2})
                for (int which = 0; which < 8; which++)
                    for (boolean tA : new boolean[] {false, true})
                        for (boolean tB : new boolean[] {false, true})
                            for (int[] sh : shapes)
                                for (float beta : new float[] {0f, 1f, 0.5f})
                                    mixedCase(g, arena, r, which, tA, tB, sh[0], sh[1], sh[2], beta);
        }
    }

    /** k = 0 or alpha = 0 with a bfloat16 C: C = round(beta * C), zeros for beta = 0 (NaN ignored), C untouched for beta = 1. */
    @Test
    void mixedWithoutProductScalesC() {
        SplittableRandom r = new SplittableRandom(1100);
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            for (int which = 0; which < 8; which++)
                for (float beta : new float[] {0f, 1f, 0.5f, -3f}) {
                    mixedCase(gemm2, arena, r, which, false, true, 5, 7, 0, beta);
                    mixedCase(gemm2, arena, r, which, true, false, 9, 11, 13, beta);
                }
        }
        // alpha = 0 (mixedCase uses 0.75)
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            var c = arena.allocate(2L * 6, 64);
            for (int i = 0; i < 6; i++) c.setAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, i, Bf16.bits(i + 0.5f));
            float[] x = new float[16];
            gemm1.gemmMixed(false, false, 2, 2, 4, 0f, x, null, 0, 4, x, null, 0, 2, 3f, null, c, 1, 3);
            float[] want = {0.5f, 3 * 1.5f, 3 * 2.5f, 3.5f, 3 * 4.5f, 3 * 5.5f};
            for (int i = 0; i < 6; i++)
                assertEquals(Bf16.round(want[i]), Bf16.fromBits(c.getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, i)), "element " + i);
        }
    }

    @Test
    void mixedChecksItsOperands() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            var small = arena.allocate(2L * 15, 64);
            var enough = arena.allocate(2L * 16, 64);
            float[] x = new float[16];
            for (String name : new String[] {"A", "B", "C"}) {
                java.lang.foreign.MemorySegment a = name.equals("A") ? small : enough, b = name.equals("B") ? small : enough,
                        c = name.equals("C") ? small : enough;
                var e = assertThrows(IndexOutOfBoundsException.class,
                        () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, null, a, 0, 4, null, b, 0, 4, 0f, null, c, 0, 4));
                assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
                e = assertThrows(IndexOutOfBoundsException.class,
                        () -> gemm1.gemmMixed(true, true, 4, 4, 4, 1f, null, enough, name.equals("A") ? 1 : 0, 4,
                                null, enough, name.equals("B") ? 1 : 0, 4, 0f, null, enough, name.equals("C") ? 1 : 0, 4));
                assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
                e = assertThrows(IndexOutOfBoundsException.class,
                        () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, null, enough, name.equals("A") ? -1 : 0, 4,
                                null, enough, name.equals("B") ? -1 : 0, 4, 0f, null, enough, name.equals("C") ? -1 : 0, 4));
                assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
            }
            // floats too, with long offsets
            assertThrows(IndexOutOfBoundsException.class, () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, x, null, 1, 4, null, enough, 0, 4, 0f, null, enough, 0, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, null, enough, 0, 4, null, enough, 0, 4, 0f, x, null, 1L << 32, 4));
            // both or neither
            assertThrows(IllegalArgumentException.class, () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, x, enough, 0, 4, x, null, 0, 4, 0f, x, null, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, x, null, 0, 4, null, null, 0, 4, 0f, x, null, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, x, null, 0, 4, x, null, 0, 4, 0f, x, enough, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, x, null, 0, 4, x, null, 0, 4, 0f, null, null, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> gemm1.gemmMixed(false, false, 4, 4, 4, 1f, x, null, 0, 3, x, null, 0, 4, 0f, null, enough, 0, 4));
        }
    }

    /**
     * Once the JIT is quiet, a product with bfloat16 operands and C allocates nothing on the calling thread
     * nor on the pool's workers: every worker slot's packed A and C block were sized before the tasks ran.
     */
    @Test
    void mixedWithBfloat16CAllocatesNothingOnceWarm() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        SplittableRandom r = new SplittableRandom(1200);
        int m = 200, n = 300, k = Sgemm.KC + 88;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            Operand a = operand(r, arena, m * k, true), b = operand(r, arena, n * k, true), c = operand(r, arena, m * n, true);
            long[] w = pool2.workerThreadIds(), ids = Arrays.copyOf(w, w.length + 1);
            ids[w.length] = Thread.currentThread().threadId();
            Runnable step = () -> {
                gemm2.gemmMixed(false, true, m, n, k, 1f, null, a.s(), 0, k, null, b.s(), 0, k, 0.5f, null, c.s(), 0, n);
                gemm1.gemmMixed(true, false, 13, 40, k, 1f, null, a.s(), 0, 13, b.f(), null, 0, 40, 0f, null, c.s(), 0, 40);
            };
            // until three rounds in a row compile nothing (compilation time counts in milliseconds); code not yet
            // compiled by C2 boxes its vectors, so a window may still allocate: the least of a few windows is checked
            var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            for (int round = 0, quiet = 0; round < 60 && quiet < 3; round++) {
                long t = jit.getTotalCompilationTime();
                for (int i = 0; i < 20; i++) step.run();
                quiet = jit.getTotalCompilationTime() == t ? quiet + 1 : 0;
            }
            long least = Long.MAX_VALUE;
            for (int window = 0; window < 5 && least > 0; window++) {
                long before = 0, after = 0;
                for (long id : ids) before += mx.getThreadAllocatedBytes(id);
                for (int i = 0; i < 5; i++) step.run();
                for (long id : ids) after += mx.getThreadAllocatedBytes(id);
                least = Math.min(least, after - before);
            }
            assertEquals(0, least, "bytes allocated by 5 warm calls (the least of 5 windows)");
        }
    }

    @Test
    void rejectsBadArguments() {
        float[] x = new float[16];
        assertThrows(IllegalArgumentException.class, () -> gemm1.gemm(false, false, -1, 1, 1, 1f, x, 0, 1, x, 0, 1, 0f, x, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> gemm1.gemm(false, false, 2, 2, 2, 1f, x, 0, 1, x, 0, 2, 0f, x, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> gemm1.gemm(false, false, 4, 4, 4, 1f, x, 1, 4, x, 0, 4, 0f, x, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> gemm2.gemmSingle(2, false, false, 1, 1, 1, 1f, x, 0, 1, x, 0, 1, 0f, x, 0, 1));
    }
}
