package hrm.tensor.cpu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply, {@code C = alpha * op(A) * op(B) + beta * C}, on row-major
 * float arrays with explicit offsets and leading dimensions.
 *
 * <p>BLIS-style structure. k is cut into equal blocks of at most {@code kcLimit} ({@link #KC} by
 * default). op(B), times alpha, is packed for as many k-blocks as fit a cap into micro-panels of
 * {@link #NR} columns ({@code [p][NR]}, contiguous, zero-padded), which also makes transB free.
 * C is cut into row blocks (at most {@link #MC} rows) and column blocks (at most {@link #NC}
 * columns); op(A) is packed into micro-panels of {@link #MR} rows, always column-wise
 * ({@code [p][MR]}: the MR elements of one k step side by side), just before the first column
 * block uses it, and kept for the others. The register-tiled {@code MR x NR} microkernel
 * broadcasts 12 consecutive floats of A and loads two vectors of B per k step into 24 vector
 * accumulators; the loops around it keep one A micro-panel in L1 while B micro-panels stream
 * from L2. Column-wise A matters: it makes the kernel's A reads one sequential stream (row-wise
 * A, 12 streams, ran 25-35% slower on this machine), so plain A is transposed while packing,
 * as is transposed B. Edge tiles are computed into a scratch tile and copied out.
 *
 * <p>{@link #gemm} packs B once into a shared buffer (the pool's threads each take panels), then
 * hands out blocks of C (about {@link #TASKS_PER_THREAD} per thread, so that a thread slowed by
 * other load does not hold up the call). {@link #gemmSingle} runs on the calling thread with the
 * worker slot's own buffers. Scratch only grows, so steady-state calls allocate nothing.
 *
 * <p>{@link #gemmMixed} lets any of A, B and C be bfloat16 values in a memory segment (2 bytes each: a
 * weight's bfloat16 copy, read by both product paths; an activation stored compact). Packing widens each
 * A and B value to the float with the same upper 16 bits (a shift), so the product is the one over the
 * same values held as floats; a bfloat16 C is
 * computed in one pass over the whole k, block by block into a per-worker float block, and each block
 * written rounded once (to nearest-even) after its last k-block.
 * One {@code Sgemm} must not run two {@link #gemm} calls at once, nor two {@link #gemmSingle}
 * calls with the same worker slot; {@link #gemmSingle} with distinct slots may run concurrently
 * (e.g. inside another kernel's {@code pool.run}), but not concurrently with {@link #gemm}.
 */
public final class Sgemm {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** As many ints as S has floats, and shorts of half their width: bfloat16 values widened to floats. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final VectorSpecies<Short> H = VectorSpecies.of(short.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Floats per vector (16 with AVX-512, 8 with AVX2). */
    static final int VL = S.length();
    /** Rows of the microkernel tile (fixed by the kernel code below). */
    static final int MR = 12;
    /** Columns of the microkernel tile: two vectors. */
    static final int NR = 2 * VL;
    /** Whether one (masked) vector holds an A micro-panel's MR elements of one k step. */
    static final boolean WIDE = VL >= MR;
    /**
     * Default largest k-block: the forward's k = 512 in one block, so C is written once. An A
     * micro-panel (12 x 512 floats, 24 KiB) stays in the 48 KiB L1 while B micro-panels stream.
     */
    static final int KC = 512;
    /** Most rows of C per row block (multiple of MR); its packed A (MC x KC per k-block) sits in L2. */
    static final int MC = 240;
    /** Most columns of C per column block (multiple of NR); its packed B block (KC x NC, 512 KiB) stays in L2. */
    static final int NC = 256;
    /** Blocks of C handed out per thread by {@link #gemm}. */
    static final int TASKS_PER_THREAD = 4;
    /** A block of C for one task has at least this many micro-rows (else the task re-reads packed B too often)... */
    static final int MIN_TASK_MICRO_ROWS = 8;
    /** ...and at least this many micro-columns when C is split by columns. */
    static final int MIN_TASK_MICRO_COLS = 4;
    /** k-rows per group in {@link #packAT}. */
    static final int PB = 32;
    /** k steps per block in {@link #packBT}. */
    static final int PT = 16;
    /** Most floats of packed B at once (16 MiB); more k is done in several passes over C. */
    static final int B_CAP = 4 << 20;
    /** Most floats of packed A per worker (8 MiB); also bounds the k-blocks done in one pass. */
    static final int A_CAP = 2 << 20;
    /** Below this many multiply-adds {@link #gemm} stays on the calling thread. */
    static final long PARALLEL_MIN = 1L << 20;

    private final WorkerPool pool;
    private final int threads;
    /** Row, column and k block sizes and caps of this instance (MC, NC, KC, B_CAP, A_CAP unless changed for tests). */
    private final int mcMax, ncMax, kcLimit, bCap, aCap;
    /** Packed B shared by the threads of {@link #gemm}. */
    private float[] sharedB = new float[0];
    /** Per worker slot: packed A, packed B (for {@link #gemmSingle}), an edge tile, a job. */
    private final float[][] packA, packB, tile;
    /** Per worker slot: the float block of a bfloat16 C ({@link #gemmMixed}) summed before it is rounded. */
    private final float[][] cBlock;
    private final Job[] single;
    private final Job job = new Job();
    private final PackTask packTask = new PackTask();
    private final ComputeTask computeTask = new ComputeTask();

    public Sgemm(WorkerPool pool) {
        this(pool, MC, NC, KC, B_CAP, A_CAP);
    }

    /** With other block sizes and caps on packed floats, for tuning and tests. */
    Sgemm(WorkerPool pool, int mc, int nc, int bCap, int aCap) {
        this(pool, mc, nc, KC, bCap, aCap);
    }

    /** With another largest k-block too. */
    Sgemm(WorkerPool pool, int mc, int nc, int kc, int bCap, int aCap) {
        if (kc < 1) throw new IllegalArgumentException("kc must be >= 1, got " + kc);
        this.pool = pool;
        this.bCap = bCap;
        this.aCap = aCap;
        this.kcLimit = kc;
        this.threads = pool.threads();
        this.mcMax = roundUp(Math.max(mc, MR), MR);
        this.ncMax = roundUp(Math.max(nc, NR), NR);
        packA = new float[threads][0];
        packB = new float[threads][0];
        tile = new float[threads][MR * NR];
        cBlock = new float[threads][0];
        single = new Job[threads];
        for (int i = 0; i < threads; i++) single[i] = new Job();
    }

    /** The pool this instance parallelizes over. */
    public WorkerPool pool() {
        return pool;
    }

    /**
     * C[m x n] = alpha * op(A) * op(B) + beta * C. op(A) is m x k: A stored m x k (lda >= k) or,
     * if transA, k x m (lda >= m). op(B) is k x n: B stored k x n (ldb >= n) or, if transB, n x k
     * (ldb >= k). C stored m x n (ldc >= n). With beta = 0, C's old contents are ignored (may be
     * NaN). Parallel over the pool; the caller takes part as worker slot 0.
     */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(beta, c, cOff, ldc, 0, m, 0, n);
            return;
        }
        job.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        run(job);
    }

    /**
     * As gemm, with each operand either floats (float[] non-null, its segment null) or bfloat16 values
     * (segment non-null, its float[] null): element (r, q) of a stored matrix X at X's offset + r * ldx + q,
     * in elements. A and B in bfloat16 are widened (exact) as they are packed. A bfloat16 C is read
     * widened where beta != 0 and written rounded once to nearest-even (Bf16.round) from the float32 result:
     * bit for bit what gemm over the same values as floats followed by Bf16.round of every element of C gives
     * (for results that are normal floats below {@link Bf16#VECTOR_ROUND_LIMIT} in magnitude, or zero: the
     * blocks are rounded as {@link Bf16#pack} rounds). A bfloat16 C makes the whole k one pass, so packed B
     * (k x n floats) and each worker's packed A are not bounded by the caps. The pool's workers read and
     * write the segments: they must be accessible from any thread (a shared or global arena).
     */
    public void gemmMixed(boolean transA, boolean transB, int m, int n, int k, float alpha,
                          float[] a, MemorySegment a16, long aOff, int lda,
                          float[] b, MemorySegment b16, long bOff, int ldb,
                          float beta, float[] c, MemorySegment c16, long cOff, int ldc) {
        oneOf("A", a, a16);
        oneOf("B", b, b16);
        oneOf("C", c, c16);
        check(transA, transB, m, n, k, a, a16, aOff, lda, b, b16, bOff, ldb, c, c16, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            if (c16 != null) scale16(beta, c16, cOff, ldc, m, n);
            else scale(beta, c, (int) cOff, ldc, 0, m, 0, n);
            return;
        }
        // float offsets passed their range check: they lie within an array, so they fit an int
        job.set(transA, transB, m, n, k, alpha, a, a == null ? 0 : (int) aOff, lda, b, b == null ? 0 : (int) bOff, ldb,
                beta, c, c == null ? 0 : (int) cOff, ldc);
        job.a16 = a16;
        job.a16Off = aOff;
        job.b16 = b16;
        job.b16Off = bOff;
        job.c16 = c16;
        job.c16Off = cOff;
        run(job);
    }

    /** Runs a job set up by {@link #gemm} or {@link #gemmMixed} over the pool. */
    private void run(Job j) {
        int m = j.m, n = j.n, k = j.k;
        // Split C into blocks of whole micro-tiles: rows first (packed B is shared, so row blocks
        // cost nothing extra), columns too when there are not enough rows.
        int mu = (m + MR - 1) / MR, nu = (n + NR - 1) / NR;
        int target = threads * TASKS_PER_THREAD;
        int mChunks = Math.max(1, Math.min(target, mu / MIN_TASK_MICRO_ROWS));
        int nChunks = mChunks >= target ? 1 : Math.max(1, Math.min((target + mChunks - 1) / mChunks, nu / MIN_TASK_MICRO_COLS));
        int mStep = (mu + mChunks - 1) / mChunks * MR, nStep = (nu + nChunks - 1) / nChunks * NR;
        mChunks = (m + mStep - 1) / mStep;
        nChunks = (n + nStep - 1) / nStep;
        try {
            if (threads == 1 || mChunks * nChunks == 1 || (long) m * n * k < PARALLEL_MIN) {
                j.plan(kcLimit, bCap, aCap / roundUp(Math.min(mcMax, m), MR));
                sharedB = j.bp = grow(sharedB, j.bNeed());
                sizeScratch(j, 1, m, n);
                for (j.kb0 = 0; j.kb0 < j.kBlocks; j.kb0 = j.kb1) {
                    j.kb1 = Math.min(j.kBlocks, j.kb0 + j.chunk);
                    for (int kb = j.kb0; kb < j.kb1; kb++) packB(j, kb, 0, j.nPad);
                    computeBlock(j, 0, 0, m, 0, n);
                }
                return;
            }
            j.plan(kcLimit, bCap, aCap / roundUp(Math.min(mcMax, mStep), MR));
            sharedB = j.bp = grow(sharedB, j.bNeed());
            // every worker slot's packed A (and C block) sized here for any task of this job (computeBlock grows it
            // no further): which slot takes which task is the scheduler's, so a slot could first meet a larger task in
            // any later call
            sizeScratch(j, threads, mStep, nStep);
            int panels = j.nPad / NR;
            for (j.kb0 = 0; j.kb0 < j.kBlocks; j.kb0 = j.kb1) {
                j.kb1 = Math.min(j.kBlocks, j.kb0 + j.chunk);
                int blocks = j.kb1 - j.kb0;
                int groups = Math.min(panels, Math.max(1, (2 * threads + blocks - 1) / blocks));
                packTask.set(j, groups, (panels + groups - 1) / groups);
                pool.run(blocks * groups, packTask);
                computeTask.set(j, mStep, nStep, nChunks);
                pool.run(mChunks * nChunks, computeTask);
            }
        } finally {
            j.clear();
        }
    }

    /**
     * Sizes the packed A (and, for a bfloat16 C, the C block) of worker slots [0, slots) for any block of
     * C of at most rows x cols that {@link #computeBlock} may be given for job j.
     */
    private void sizeScratch(Job j, int slots, int rows, int cols) {
        int mc = Math.min(mcMax, roundUp(rows, MR));
        int aNeed = j.chunk * mc * j.kcMax + VL;
        int cNeed = j.c16 == null ? 0 : mc * Math.min(ncMax, roundUp(cols, NR));
        for (int w = 0; w < slots; w++) {
            packA[w] = grow(packA[w], aNeed);
            cBlock[w] = grow(cBlock[w], cNeed);
        }
    }

    /** Same as {@link #gemm}, single-threaded on the calling thread, using worker slot {@code worker}'s scratch. */
    public void gemmSingle(int worker, boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float beta, float[] c, int cOff, int ldc) {
        if (worker < 0 || worker >= threads) {
            throw new IllegalArgumentException("worker " + worker + " not in [0, " + threads + ")");
        }
        check(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(beta, c, cOff, ldc, 0, m, 0, n);
            return;
        }
        Job j = single[worker];
        j.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        try {
            j.plan(kcLimit, bCap / 4, aCap / roundUp(Math.min(mcMax, m), MR));
            packB[worker] = j.bp = grow(packB[worker], j.bNeed());
            for (j.kb0 = 0; j.kb0 < j.kBlocks; j.kb0 = j.kb1) {
                j.kb1 = Math.min(j.kBlocks, j.kb0 + j.chunk);
                for (int kb = j.kb0; kb < j.kb1; kb++) packB(j, kb, 0, j.nPad);
                computeBlock(j, worker, 0, m, 0, n);
            }
        } finally {
            j.clear();
        }
    }

    /** One call's operands and its k-blocking; {@code [kb0, kb1)} are the k-blocks whose B is packed in {@code bp}. */
    private static final class Job {
        boolean tA, tB;
        int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        float alpha, beta;
        float[] a, b, c, bp;
        /** A, B, C as bfloat16 values instead of {@code a}, {@code b}, {@code c} (null: the float array), offsets in elements. */
        MemorySegment a16, b16, c16;
        long a16Off, b16Off, c16Off;
        /** Number of k-blocks, their size (the last may be smaller), n rounded up to NR, k-blocks per pass. */
        int kBlocks, kcMax, nPad, chunk;
        int kb0, kb1;

        void set(boolean tA, boolean tB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            this.tA = tA; this.tB = tB; this.m = m; this.n = n; this.k = k; this.alpha = alpha;
            this.a = a; this.aOff = aOff; this.lda = lda; this.b = b; this.bOff = bOff; this.ldb = ldb;
            this.beta = beta; this.c = c; this.cOff = cOff; this.ldc = ldc;
        }

        /**
         * Cuts k into equal blocks of at most kcLimit (the last may be smaller); as many per pass
         * as both caps allow (aFloats: packed A floats per worker over the rows of a row block).
         */
        void plan(int kcLimit, int bCap, int aFloats) {
            kBlocks = (k + kcLimit - 1) / kcLimit;
            kcMax = (k + kBlocks - 1) / kBlocks;
            nPad = roundUp(n, NR);
            int byB = (int) Math.min(Integer.MAX_VALUE, bCap / ((long) kcMax * nPad));
            int byA = aFloats / kcMax;
            chunk = Math.max(1, Math.min(kBlocks, Math.min(byB, byA)));
            if (c16 != null) {
                // a bfloat16 C is rounded once, after the whole k: one pass, whatever the caps
                if ((long) kBlocks * kcMax * nPad + VL > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("k x n = " + k + " x " + n + " too large for one pass (bfloat16 C)");
                }
                chunk = kBlocks;
            }
        }

        int bNeed() {
            return chunk * kcMax * nPad + VL;
        }

        /** Offset in {@code bp} of the micro-panel at column j (a multiple of NR) of k-block kb. */
        int bAt(int kb, int j) {
            return (kb - kb0) * kcMax * nPad + j * kcMax;
        }

        void clear() {
            a = b = c = bp = null;
            a16 = b16 = c16 = null;
        }
    }

    private final class PackTask implements WorkerPool.Task {
        private Job j;
        private int groups, perGroup;

        void set(Job j, int groups, int perGroup) {
            this.j = j; this.groups = groups; this.perGroup = perGroup;
        }

        @Override
        public void run(int index, int worker) {
            int kb = j.kb0 + index / groups, g = index % groups;
            int p0 = g * perGroup * NR, p1 = Math.min(j.nPad, p0 + perGroup * NR);
            if (p0 < p1) packB(j, kb, p0, p1);
        }
    }

    private final class ComputeTask implements WorkerPool.Task {
        private Job j;
        private int mStep, nStep, nChunks;

        void set(Job j, int mStep, int nStep, int nChunks) {
            this.j = j; this.mStep = mStep; this.nStep = nStep; this.nChunks = nChunks;
        }

        @Override
        public void run(int index, int worker) {
            int m0 = index / nChunks * mStep, n0 = index % nChunks * nStep;
            computeBlock(j, worker, m0, Math.min(j.m, m0 + mStep), n0, Math.min(j.n, n0 + nStep));
        }
    }

    /**
     * Packs columns [j0, j1) (multiples of NR, j1 <= nPad) of k-block kb of alpha * op(B) into
     * {@code j.bp}.
     */
    private static void packB(Job j, int kb, int j0, int j1) {
        int pc = kb * j.kcMax, kc = Math.min(j.kcMax, j.k - pc);
        int nEnd = Math.min(j1, j.n);
        for (int jr = j0; jr < j1; jr += NR) {
            int d = j.bAt(kb, jr), nr = Math.max(0, Math.min(NR, nEnd - jr));
            if (j.b16 != null) {
                if (j.tB) packBT16(j.b16, j.b16Off, j.ldb, pc, kc, jr, nr, j.alpha, j.bp, d);
                else packBN16(j.b16, j.b16Off, j.ldb, pc, kc, jr, nr, j.alpha, j.bp, d);
            } else if (j.tB) packBT(j.b, j.bOff, j.ldb, pc, kc, jr, nr, j.alpha, j.bp, d);
            else packBN(j.b, j.bOff, j.ldb, pc, kc, jr, nr, j.alpha, j.bp, d);
        }
    }

    /**
     * Applies k-blocks [kb0, kb1) of the job to rows [m0, m1) and columns [n0, n1) of C (n0 a
     * multiple of NR), with worker slot {@code w}'s packed A and edge tile.
     */
    private void computeBlock(Job j, int w, int m0, int m1, int n0, int n1) {
        if (j.c16 != null) {
            computeBlock16(j, w, m0, m1, n0, n1);
            return;
        }
        float beta = j.beta;
        if (beta != 0f && beta != 1f) {
            if (j.kb0 == 0) scale(beta, j.c, j.cOff, j.ldc, m0, m1, n0, n1);
            beta = 1f;
        }
        // Equal row and column blocks, at most mcMax x ncMax.
        int rows = m1 - m0, cols = n1 - n0;
        int icStep = blockStep(rows, mcMax, MR), jcStep = blockStep(cols, ncMax, NR);
        int kcs = j.kcMax;
        int aStride = Math.min(icStep, roundUp(rows, MR)) * kcs;
        float[] ap = packA[w] = grow(packA[w], (j.kb1 - j.kb0) * aStride + VL);
        float[] t = tile[w];
        for (int ic = m0; ic < m1; ic += icStep) {
            int mc = Math.min(icStep, m1 - ic);
            for (int jc = n0; jc < n1; jc += jcStep) {
                int nc = Math.min(jcStep, n1 - jc);
                int co = j.cOff + ic * j.ldc + jc;
                for (int kb = j.kb0; kb < j.kb1; kb++) {
                    int pc = kb * kcs, kc = Math.min(kcs, j.k - pc), ao = (kb - j.kb0) * aStride;
                    // Packed just before its first use (still in L2), kept for the other column blocks.
                    if (jc == n0) packA(j, ic, mc, pc, kc, ap, ao, kcs);
                    macro(kc, mc, nc, ap, ao, kcs, j.bp, j.bAt(kb, jc), j.c, co, j.ldc, kb > 0 || beta != 0f, t);
                }
            }
        }
    }

    /** The step of equal blocks of at most {@code max} covering {@code len}, rounded up to a multiple of {@code unit}. */
    private static int blockStep(int len, int max, int unit) {
        int blocks = (len + max - 1) / max;
        return roundUp((len + blocks - 1) / blocks, unit);
    }

    /**
     * {@link #computeBlock} for a bfloat16 C, whose job has all k-blocks in one pass: each block of C
     * (the same blocks, k-blocks and tiles as for a float C, so the same sums) is computed into the
     * worker's float block (row stride nc), starting from beta times the widened C where beta != 0, and
     * written rounded after its last k-block.
     */
    private void computeBlock16(Job j, int w, int m0, int m1, int n0, int n1) {
        float beta = j.beta;
        int rows = m1 - m0, cols = n1 - n0;
        int icStep = blockStep(rows, mcMax, MR), jcStep = blockStep(cols, ncMax, NR);
        int kcs = j.kcMax;
        int aStride = Math.min(icStep, roundUp(rows, MR)) * kcs;
        float[] ap = packA[w] = grow(packA[w], (j.kb1 - j.kb0) * aStride + VL);
        float[] cb = cBlock[w] = grow(cBlock[w], Math.min(icStep, roundUp(rows, MR)) * Math.min(jcStep, roundUp(cols, NR)));
        float[] t = tile[w];
        MemorySegment c16 = j.c16;
        for (int ic = m0; ic < m1; ic += icStep) {
            int mc = Math.min(icStep, m1 - ic);
            for (int jc = n0; jc < n1; jc += jcStep) {
                int nc = Math.min(jcStep, n1 - jc);
                long co = j.c16Off + (long) ic * j.ldc + jc;
                if (beta != 0f) {
                    for (int i = 0; i < mc; i++) Bf16.widen(c16, 2 * (co + (long) i * j.ldc), cb, i * nc, nc);
                    if (beta != 1f) scaleBlock(beta, cb, mc * nc);
                }
                for (int kb = j.kb0; kb < j.kb1; kb++) {
                    int pc = kb * kcs, kc = Math.min(kcs, j.k - pc), ao = (kb - j.kb0) * aStride;
                    if (jc == n0) packA(j, ic, mc, pc, kc, ap, ao, kcs);
                    macro(kc, mc, nc, ap, ao, kcs, j.bp, j.bAt(kb, jc), cb, 0, nc, kb > 0 || beta != 0f, t);
                }
                for (int i = 0; i < mc; i++) Bf16.pack(cb, i * nc, nc, c16, 2 * (co + (long) i * j.ldc));
            }
        }
    }

    /** x[0, n) *= beta, as {@link #scale} does C. */
    private static void scaleBlock(float beta, float[] x, int n) {
        for (int i = 0; i < n; i++) x[i] *= beta;
    }

    /** Packs rows [ic, ic+mc) x k [pc, pc+kc) of op(A), floats or bfloat16, at ap[ao] (see {@link #packAN}). */
    private static void packA(Job j, int ic, int mc, int pc, int kc, float[] ap, int ao, int kcs) {
        if (j.a16 != null) {
            if (j.tA) packAT16(j.a16, j.a16Off, j.lda, ic, mc, pc, kc, ap, ao, kcs);
            else packAN16(j.a16, j.a16Off, j.lda, ic, mc, pc, kc, ap, ao, kcs);
        } else if (j.tA) packAT(j.a, j.aOff, j.lda, ic, mc, pc, kc, ap, ao, kcs);
        else packAN(j.a, j.aOff, j.lda, ic, mc, pc, kc, ap, ao, kcs);
    }

    /**
     * Applies a packed mc x kc block of A ({@code ap[aBase]}, micro-panels {@code kcs * MR} apart)
     * and a packed kc x nc block of B ({@code bp[bBase]}, micro-panels {@code kcs * NR} apart) to
     * C[co]. Loops: A micro-panel (kept in L1) outer, B micro-panels (from the L2-resident B
     * block) inner; with k-blocks of 512 this beat the B-panel-outer order by 5-10% on the
     * forward shapes.
     */
    static void macro(int kc, int mc, int nc, float[] ap, int aBase, int kcs, float[] bp, int bBase,
                      float[] c, int co, int ldc, boolean acc, float[] t) {
        for (int ir = 0; ir < mc; ir += MR) {
            int ao = aBase + ir * kcs;
            for (int jr = 0; jr < nc; jr += NR) {
                int nr = Math.min(NR, nc - jr);
                int bo = bBase + jr * kcs, cij = co + ir * ldc + jr;
                if (nr == NR && ir + MR <= mc) {
                    SgemmKernels.col(kc, ap, ao, bp, bo, c, cij, ldc, acc);
                } else {
                    SgemmKernels.col(kc, ap, ao, bp, bo, t, 0, NR, false);
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

    /**
     * Packs plain A (stored m x k) rows [ic, ic+mc) x cols [pc, pc+kc) column-wise: panel of MR
     * rows at aBase + ir * kcs, element (i, p) at + p * MR + i, the last panel zero-padded. Reads
     * each row sequentially; the strided writes stay within one L1-resident panel.
     */
    static void packAN(float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap, int aBase, int kcs) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int d = aBase + ir * kcs;
            for (int i = 0; i < MR; i++) {
                if (i < mr) {
                    int s = aOff + (ic + ir + i) * lda + pc;
                    for (int p = 0; p < kc; p++) ap[d + p * MR + i] = a[s + p];
                } else {
                    for (int p = 0; p < kc; p++) ap[d + p * MR + i] = 0f;
                }
            }
        }
    }

    /**
     * Packs op(A) = A^T rows [ic, ic+mc) x [pc, pc+kc) (A stored k x m): panel of MR rows at
     * aBase + ir * kcs, element (i, p) at + p * MR + i, the last panel zero-padded. Works on groups
     * of PB k-rows so that both the reads (PB rows of A) and the writes (PB * MR floats per panel)
     * stay local.
     */
    static void packAT(float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] ap, int aBase, int kcs) {
        int full = WIDE ? mc / MR * MR : 0;
        int limit = a.length - VL;
        VectorMask<Float> st = S.indexInRange(0, Math.min(MR, VL));
        for (int p0 = 0; p0 < kc; p0 += PB) {
            int pe = Math.min(kc, p0 + PB);
            for (int ir = 0; ir < full; ir += MR) {
                int s = aOff + (pc + p0) * lda + ic + ir, d = aBase + ir * kcs + p0 * MR;
                for (int p = p0; p < pe; p++, s += lda, d += MR) {
                    FloatVector v = s <= limit ? FloatVector.fromArray(S, a, s) : FloatVector.fromArray(S, a, s, st);
                    v.intoArray(ap, d, st);
                }
            }
            for (int ir = full; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int s = aOff + (pc + p0) * lda + ic + ir, d = aBase + ir * kcs + p0 * MR;
                for (int p = p0; p < pe; p++, s += lda, d += MR) {
                    int i = 0;
                    for (; i < mr; i++) ap[d + i] = a[s + i];
                    for (; i < MR; i++) ap[d + i] = 0f;
                }
            }
        }
    }

    /** {@link #packAN} from bfloat16 A: each value widened to a float as it is read. */
    static void packAN16(MemorySegment a, long aOff, int lda, int ic, int mc, int pc, int kc, float[] ap, int aBase, int kcs) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int d = aBase + ir * kcs;
            for (int i = 0; i < MR; i++) {
                if (i < mr) {
                    long s = 2 * (aOff + (long) (ic + ir + i) * lda + pc);
                    for (int p = 0; p < kc; p++) ap[d + p * MR + i] = Float.intBitsToFloat(a.get(ValueLayout.JAVA_SHORT_UNALIGNED, s + 2L * p) << 16);
                } else {
                    for (int p = 0; p < kc; p++) ap[d + p * MR + i] = 0f;
                }
            }
        }
    }

    /** {@link #packAT} from bfloat16 A, in the same groups of PB k-rows: each k-row's MR values widened as they are loaded. */
    static void packAT16(MemorySegment a, long aOff, int lda, int ic, int mc, int pc, int kc, float[] ap, int aBase, int kcs) {
        int full = WIDE ? mc / MR * MR : 0;
        long limit = a.byteSize() / 2 - VL, step = 2L * lda;
        VectorMask<Float> st = S.indexInRange(0, Math.min(MR, VL));
        VectorMask<Short> ld = H.indexInRange(0, Math.min(MR, VL));
        for (int p0 = 0; p0 < kc; p0 += PB) {
            int pe = Math.min(kc, p0 + PB);
            for (int ir = 0; ir < full; ir += MR) {
                long s = aOff + (long) (pc + p0) * lda + ic + ir;
                int d = aBase + ir * kcs + p0 * MR;
                for (int p = p0; p < pe; p++, s += lda, d += MR) {
                    ShortVector h = s <= limit ? ShortVector.fromMemorySegment(H, a, 2 * s, LE) : ShortVector.fromMemorySegment(H, a, 2 * s, LE, ld);
                    ((IntVector) h.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(ap, d, st);
                }
            }
            for (int ir = full; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                long s = 2 * (aOff + (long) (pc + p0) * lda + ic + ir);
                int d = aBase + ir * kcs + p0 * MR;
                for (int p = p0; p < pe; p++, s += step, d += MR) {
                    int i = 0;
                    for (; i < mr; i++) ap[d + i] = Float.intBitsToFloat(a.get(ValueLayout.JAVA_SHORT_UNALIGNED, s + 2L * i) << 16);
                    for (; i < MR; i++) ap[d + i] = 0f;
                }
            }
        }
    }

    /** Packs alpha times rows [pc, pc+kc) x cols [jc, jc+nr) (nr <= NR) of plain B into one micro-panel at d: element (p, j) at d + p * NR + j, zero-padded. */
    static void packBN(float[] b, int bOff, int ldb, int pc, int kc, int jc, int nr, float alpha, float[] bp, int d) {
        int s = bOff + pc * ldb + jc;
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

    /**
     * Packs alpha times op(B) = B^T (B stored n x k) rows [pc, pc+kc) x cols [jc, jc+nr) into one
     * micro-panel at d, as {@link #packBN}. Blocks of PT k steps: the PT x NR block is read from
     * NR rows of B (PT floats each, a cache line) and written as PT contiguous rows of the panel,
     * so both sides stay in a few cache lines.
     */
    static void packBT(float[] b, int bOff, int ldb, int pc, int kc, int jc, int nr, float alpha, float[] bp, int d) {
        int s = bOff + jc * ldb + pc;
        for (int p0 = 0; p0 < kc; p0 += PT) {
            int pe = Math.min(kc, p0 + PT);
            for (int j = 0; j < nr; j++) {
                int sj = s + j * ldb;
                for (int p = p0; p < pe; p++) bp[d + p * NR + j] = alpha * b[sj + p];
            }
            for (int j = nr; j < NR; j++) {
                for (int p = p0; p < pe; p++) bp[d + p * NR + j] = 0f;
            }
        }
    }

    /** {@link #packBN} from bfloat16 B: each row's NR values widened to floats as they are loaded. */
    static void packBN16(MemorySegment b, long bOff, int ldb, int pc, int kc, int jc, int nr, float alpha, float[] bp, int d) {
        long s = 2 * (bOff + (long) pc * ldb + jc), step = 2L * ldb;
        // sign extension fills each int's upper half, which the shift then pushes out: the float's upper 16 bits
        if (nr == NR) {
            for (int p = 0; p < kc; p++, s += step, d += NR) {
                ShortVector h0 = ShortVector.fromMemorySegment(H, b, s, LE), h1 = ShortVector.fromMemorySegment(H, b, s + 2L * VL, LE);
                ((IntVector) h0.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().mul(alpha).intoArray(bp, d);
                ((IntVector) h1.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().mul(alpha).intoArray(bp, d + VL);
            }
        } else {
            VectorMask<Short> m0 = H.indexInRange(0, nr), m1 = H.indexInRange(VL, nr);
            for (int p = 0; p < kc; p++, s += step, d += NR) {
                ShortVector h0 = ShortVector.fromMemorySegment(H, b, s, LE, m0), h1 = ShortVector.fromMemorySegment(H, b, s + 2L * VL, LE, m1);
                ((IntVector) h0.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().mul(alpha).intoArray(bp, d);
                ((IntVector) h1.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().mul(alpha).intoArray(bp, d + VL);
            }
        }
    }

    /** {@link #packBT} from bfloat16 B, in the same PT x NR blocks. */
    static void packBT16(MemorySegment b, long bOff, int ldb, int pc, int kc, int jc, int nr, float alpha, float[] bp, int d) {
        long s = bOff + (long) jc * ldb + pc;
        for (int p0 = 0; p0 < kc; p0 += PT) {
            int pe = Math.min(kc, p0 + PT);
            for (int j = 0; j < nr; j++) {
                long sj = 2 * (s + (long) j * ldb);
                for (int p = p0; p < pe; p++)
                    bp[d + p * NR + j] = alpha * Float.intBitsToFloat(b.get(ValueLayout.JAVA_SHORT_UNALIGNED, sj + 2L * p) << 16);
            }
            for (int j = nr; j < NR; j++) {
                for (int p = p0; p < pe; p++) bp[d + p * NR + j] = 0f;
            }
        }
    }

    private static float[] grow(float[] x, int size) {
        return x.length >= size ? x : new float[size];
    }

    private static void check(boolean tA, boolean tB, int m, int n, int k, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        check(tA, tB, m, n, k, a, null, aOff, lda, b, null, bOff, ldb, c, null, cOff, ldc);
    }

    /** Sizes, strides and ranges of the operands, each given as floats or as bfloat16 values. */
    private static void check(boolean tA, boolean tB, int m, int n, int k, float[] a, MemorySegment a16, long aOff, int lda,
                              float[] b, MemorySegment b16, long bOff, int ldb, float[] c, MemorySegment c16, long cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative size " + m + "x" + n + "x" + k);
        if (m == 0 || n == 0) return;
        if (ldc < n) throw new IllegalArgumentException("ldc " + ldc + " < n " + n);
        checkRange("C", c, c16, cOff, m, n, ldc);
        if (k == 0) return;
        if (tA) {
            if (lda < m) throw new IllegalArgumentException("lda " + lda + " < m " + m + " (transA)");
            checkRange("A", a, a16, aOff, k, m, lda);
        } else {
            if (lda < k) throw new IllegalArgumentException("lda " + lda + " < k " + k);
            checkRange("A", a, a16, aOff, m, k, lda);
        }
        if (tB) {
            if (ldb < k) throw new IllegalArgumentException("ldb " + ldb + " < k " + k + " (transB)");
            checkRange("B", b, b16, bOff, n, k, ldb);
        } else {
            if (ldb < n) throw new IllegalArgumentException("ldb " + ldb + " < n " + n);
            checkRange("B", b, b16, bOff, k, n, ldb);
        }
    }

    /** The range check of the operand that is given: the float array x or the bfloat16 values x16. */
    private static void checkRange(String name, float[] x, MemorySegment x16, long off, int rows, int cols, int ld) {
        if (x16 != null) {
            checkRange16(name, x16, off, rows, cols, ld);
            return;
        }
        long last = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > x.length) {
            throw new IndexOutOfBoundsException(name + ": offset " + off + ", " + rows + " rows of " + cols
                    + " with stride " + ld + " exceed length " + x.length);
        }
    }

    private static void checkRange16(String name, MemorySegment x, long off, int rows, int cols, int ld) {
        long last = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || off > Long.MAX_VALUE / 4 || last > x.byteSize() / 2) {
            throw new IndexOutOfBoundsException(name + ": offset " + off + ", " + rows + " rows of " + cols
                    + " bfloat16 values with stride " + ld + " exceed " + x.byteSize() / 2);
        }
    }

    /** Exactly one of an operand's float array and bfloat16 segment is given. */
    private static void oneOf(String name, float[] x, MemorySegment x16) {
        if ((x == null) == (x16 == null)) {
            throw new IllegalArgumentException(name + ": give either floats or bfloat16 values, got "
                    + (x == null ? "neither" : "both"));
        }
    }

    /** C[0:m, 0:n] = round(beta * C) for a bfloat16 C (beta = 0 writes zeros, ignoring NaN; beta = 1 leaves C). */
    private static void scale16(float beta, MemorySegment c, long cOff, int ldc, int m, int n) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            long o = 2 * (cOff + (long) i * ldc);
            for (int q = 0; q < n; q++) {
                long at = o + 2L * q;
                short v = beta == 0f ? 0 : Bf16.bits(beta * Bf16.fromBits(c.get(ValueLayout.JAVA_SHORT_UNALIGNED, at)));
                c.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, v);
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
}
