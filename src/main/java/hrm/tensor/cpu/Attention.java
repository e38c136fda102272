package hrm.tensor.cpu;

import static hrm.tensor.cpu.AttnKernels.L;
import static hrm.tensor.cpu.AttnKernels.MR;
import static hrm.tensor.cpu.AttnKernels.S;
import static hrm.tensor.cpu.AttnKernels.gemm;
import static hrm.tensor.cpu.AttnKernels.panelWidth;
import static hrm.tensor.cpu.AttnKernels.roundUp;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Bidirectional (unmasked) multi-head attention on the CPU, float32, forward and backward.
 *
 * <p>Layout: {@code qkv} has B*T rows (row {@code b*T + t}) of width 3*H*d, {@code [q | k | v]},
 * head h at columns {@code h*d .. h*d+d-1} of each part. {@code out} has B*T rows of H*d.
 * {@code lse[(b*H + h)*T + t]} is the log-sum-exp of query t's scaled scores.
 *
 * <p>Per (b, h) the keys and values are packed once (K transposed, V by rows, padded to whole
 * vectors), then queries are processed in blocks of {@link #BLOCK} rows: the block's full score rows
 * S = (Q/sqrt d) K^T come from a register-tiled kernel, are soft-maxed exactly (two passes over
 * the row: a row of at most a few thousand floats sits in cache, so no online rescaling), and are
 * multiplied by V. No B x H x T x T buffer exists; per-thread scratch is O(T*d + BLOCK*T).
 *
 * <p>The backward recomputes a query block's scores from the saved lse (FlashAttention-2 style),
 * forms dS = P * (dP - Di) with dP = dO V^T and Di = dO_i . O_i, writes dQ = dS K / sqrt(d) and
 * accumulates dV += P^T dO and dK += dS^T Q / sqrt(d) over all query blocks in per-thread buffers;
 * so it runs one (b, h) per task (B*H tasks), while the forward may also split a (b, h)'s queries
 * across tasks when B*H is small. Every output element is computed by the same sequence of float
 * operations whatever the thread count or task split, so results are bitwise reproducible.
 *
 * <p>Not thread-safe: one call at a time per instance. Steady-state calls allocate nothing.
 */
public final class Attention {

    /** Query rows per block (a multiple of {@link AttnKernels#MR}). */
    static final int BLOCK = roundUp(Integer.getInteger("hrm.attn.block", 96), MR);
    /** Keys per chunk in the P V-type products, so a chunk of V (or K) stays in L1. */
    static final int KC = Integer.getInteger("hrm.attn.kc", 128);

    private final WorkerPool pool;
    private final Scratch[] scratch;
    private final ForwardTask forwardTask = new ForwardTask();
    private final BackwardTask backwardTask = new BackwardTask();
    /** Incremented per call: tags which (call, b*h) a scratch's packed K/V belong to. */
    private long callId;

    public Attention(WorkerPool pool) {
        this.pool = pool;
        this.scratch = new Scratch[pool.threads()];
        for (int i = 0; i < scratch.length; i++) scratch[i] = new Scratch();
    }

    /** qkv: B*T rows of 3*H*d; out: B*T rows of H*d (overwritten); lse: B*H*T floats (overwritten). */
    public void forward(float[] qkv, int qkvOff, float[] out, int outOff, float[] lse, int lseOff,
                        int batch, int tokens, int heads, int headDim) {
        checkShape(batch, tokens, heads, headDim);
        long rows = (long) batch * tokens;
        checkRange("qkv", qkv, qkvOff, rows * 3 * heads * headDim);
        checkRange("out", out, outOff, rows * heads * headDim);
        checkRange("lse", lse, lseOff, rows * heads);
        ForwardTask t = forwardTask;
        t.set(qkv, qkvOff, out, outOff, lse, lseOff, batch, tokens, heads, headDim);
        int bh = batch * heads;
        // Split a (b, h)'s queries across tasks only when there are few (b, h) per thread.
        int target = 4 * pool.threads();
        int chunks = 1;
        if (bh < target) {
            chunks = Math.min((tokens + BLOCK - 1) / BLOCK, (target + bh - 1) / bh);
        }
        int chunkRows = roundUp((tokens + chunks - 1) / chunks, MR);
        chunks = (tokens + chunkRows - 1) / chunkRows;
        t.chunks = chunks;
        t.chunkRows = chunkRows;
        t.call = ++callId;
        // every worker's scratch sized here, not by the first task each worker happens to take: which worker takes
        // which task is the scheduler's, so a worker could first grow its buffers in any later step
        for (Scratch sc : scratch) t.ensure(sc);
        try {
            pool.run(bh * chunks, t);
        } finally {
            t.clear();
        }
    }

    /** dqkv is overwritten (B*T rows of 3*H*d); dout is the gradient of out. qkv/out/lse are what forward saw/produced. */
    public void backward(float[] qkv, int qkvOff, float[] out, int outOff, float[] lse, int lseOff,
                         float[] dout, int doutOff, float[] dqkv, int dqkvOff,
                         int batch, int tokens, int heads, int headDim) {
        checkShape(batch, tokens, heads, headDim);
        long rows = (long) batch * tokens;
        checkRange("qkv", qkv, qkvOff, rows * 3 * heads * headDim);
        checkRange("out", out, outOff, rows * heads * headDim);
        checkRange("lse", lse, lseOff, rows * heads);
        checkRange("dout", dout, doutOff, rows * heads * headDim);
        checkRange("dqkv", dqkv, dqkvOff, rows * 3 * heads * headDim);
        BackwardTask t = backwardTask;
        t.set(qkv, qkvOff, out, outOff, lse, lseOff, batch, tokens, heads, headDim);
        t.dout = dout;
        t.doutOff = doutOff;
        t.dqkv = dqkv;
        t.dqkvOff = dqkvOff;
        ++callId; // the backward overwrites the scratch the forward's tags refer to
        for (Scratch sc : scratch) t.ensure(sc); // every worker's, as in forward
        try {
            pool.run(batch * heads, t);
        } finally {
            t.clear();
            t.dout = null;
            t.dqkv = null;
        }
    }

    private static void checkShape(int batch, int tokens, int heads, int headDim) {
        if (batch < 1 || tokens < 1 || heads < 1 || headDim < 1) {
            throw new IllegalArgumentException("bad attention shape B=" + batch + " T=" + tokens
                    + " H=" + heads + " d=" + headDim);
        }
    }

    private static void checkRange(String name, float[] a, int off, long len) {
        if (off < 0 || off + len > a.length) {
            throw new IllegalArgumentException(name + ": need " + len + " floats at offset " + off
                    + ", array has " + a.length);
        }
    }

    // The row helpers are small methods that keep their vectors to themselves: a vector passed to
    // or returned from a call the JIT does not inline gets boxed, i.e. allocated.

    /** Max of s[o .. o+len), len a multiple of L. */
    static float rowMax(float[] s, int o, int len) {
        // compare + blend rather than max(): Java's max semantics (NaN, -0.0) cost extra instructions
        FloatVector m0 = FloatVector.fromArray(S, s, o);
        FloatVector m1 = m0, m2 = m0, m3 = m0;
        int j = L;
        for (; j + 4 * L <= len; j += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, s, o + j);
            FloatVector v1 = FloatVector.fromArray(S, s, o + j + L);
            FloatVector v2 = FloatVector.fromArray(S, s, o + j + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, s, o + j + 3 * L);
            m0 = m0.blend(v0, m0.compare(VectorOperators.LT, v0));
            m1 = m1.blend(v1, m1.compare(VectorOperators.LT, v1));
            m2 = m2.blend(v2, m2.compare(VectorOperators.LT, v2));
            m3 = m3.blend(v3, m3.compare(VectorOperators.LT, v3));
        }
        for (; j < len; j += L) {
            FloatVector v0 = FloatVector.fromArray(S, s, o + j);
            m0 = m0.blend(v0, m0.compare(VectorOperators.LT, v0));
        }
        m0 = m0.blend(m1, m0.compare(VectorOperators.LT, m1));
        m2 = m2.blend(m3, m2.compare(VectorOperators.LT, m3));
        m0 = m0.blend(m2, m0.compare(VectorOperators.LT, m2));
        return m0.reduceLanes(VectorOperators.MAX);
    }

    /** ds[o + j] = p[o + j] * (ds[o + j] - di) for j &lt; len (a multiple of L). */
    static void dsRow(float[] p, float[] ds, int o, int len, float di) {
        FloatVector dI = FloatVector.broadcast(S, di);
        for (int j = 0; j < len; j += L) {
            FloatVector g = FloatVector.fromArray(S, ds, o + j);
            FloatVector.fromArray(S, p, o + j).mul(g.sub(dI)).intoArray(ds, o + j);
        }
    }

    /** Per-thread buffers, grown (never shrunk) when a larger shape arrives. Sizes in floats. */
    static final class Scratch {
        /** K^T of the current head, d x tp, panel-major (pad keys zero). */
        float[] kt = new float[0];
        /** Forward: V, backward: K; T x dp, panel-major (pad columns zero). */
        float[] rows = new float[0];
        /** Backward: V^T, d x tp, panel-major. */
        float[] vt = new float[0];
        /** Query block times 1/sqrt(d), BLOCK x dp row-major; qbp: the same panel-major (backward, when it differs). */
        float[] qb = new float[0];
        float[] qbp = new float[0];
        /** Backward: dO block, BLOCK x dp row-major, and panel-major. */
        float[] gb = new float[0];
        float[] gbp = new float[0];
        /** Output block (O or dQ), BLOCK x dp. */
        float[] ob = new float[0];
        /** Scores / probabilities of a block, BLOCK x ps. */
        float[] s = new float[0];
        /** Backward: dP, then dS, of a block, BLOCK x ps. */
        float[] ds = new float[0];
        /** Backward: dK and dV accumulators of the current head, tpad x dp. */
        float[] dk = new float[0];
        float[] dv = new float[0];
        /** Per-row max, lane sums and 1/l of a block; Di of the current head (T). */
        final float[] max = new float[BLOCK];
        final float[] sums = new float[BLOCK * L];
        final float[] inv = new float[BLOCK];
        float[] di = new float[0];
        long packedCall = -1;
        int packedBh = -1;

        static float[] grow(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }
    }

    /** Shape and arrays of one call, and the derived sizes. */
    private abstract class Base implements WorkerPool.Task {
        float[] qkv;
        float[] out;
        float[] lse;
        int qkvOff;
        int outOff;
        int lseOff;
        int batch;
        int tokens;
        int heads;
        int d;
        /** Tokens padded to whole vectors; to whole micro-kernel rows; score row stride; d padded to vectors. */
        int tp;
        int tpad;
        int ps;
        int dp;
        float scale;
        /** Whether qb / gb can serve as panel-major B operands directly. */
        boolean blockIsPanel;
        /** i * (row stride of qkv), i &lt; L: the index map for gathering a column of K or V. */
        final int[] gatherIndex = new int[L];
        /** i * (row stride of out / dout), i &lt; L. */
        final int[] outGatherIndex = new int[L];

        void set(float[] qkv, int qkvOff, float[] out, int outOff, float[] lse, int lseOff,
                 int batch, int tokens, int heads, int headDim) {
            this.qkv = qkv;
            this.qkvOff = qkvOff;
            this.out = out;
            this.outOff = outOff;
            this.lse = lse;
            this.lseOff = lseOff;
            this.batch = batch;
            this.tokens = tokens;
            this.heads = heads;
            this.d = headDim;
            this.tp = roundUp(tokens, L);
            this.tpad = roundUp(tokens, MR);
            this.ps = Math.max(tp, tpad);
            this.dp = roundUp(headDim, L);
            this.scale = (float) (1.0 / Math.sqrt(headDim));
            this.blockIsPanel = AttnKernels.rowMajorIsPanelMajor(dp);
            for (int i = 0; i < L; i++) gatherIndex[i] = i * 3 * heads * headDim;
            for (int i = 0; i < L; i++) outGatherIndex[i] = i * heads * headDim;
        }

        void clear() {
            qkv = null;
            out = null;
            lse = null;
        }

        /** Part {@code part} (1 = K, 2 = V) of head (b, h), transposed into dst: d x tp panel-major, pad keys zero. */
        void packTransposed(float[] dst, int part, int b, int h) {
            int stride = 3 * heads * d;
            int base = qkvOff + b * tokens * stride + part * heads * d + h * d;
            int[] idx = gatherIndex;
            for (int n0 = 0; n0 < tp; ) {
                int w = panelWidth(n0, tp);
                int po = n0 * d - n0;
                for (int j0 = n0; j0 < n0 + w; j0 += L) {
                    if (j0 + L <= tokens) {
                        // gather L keys' element c: one vector of row c of K^T
                        int src = base + j0 * stride;
                        for (int c = 0; c < d; c++) {
                            FloatVector.fromArray(S, qkv, src + c, idx, 0).intoArray(dst, po + c * w + j0);
                        }
                    } else {
                        for (int c = 0; c < d; c++) {
                            int o = po + c * w;
                            for (int j = j0; j < j0 + L; j++) dst[o + j] = j < tokens ? qkv[base + j * stride + c] : 0f;
                        }
                    }
                }
                n0 += w;
            }
        }

        /** Part {@code part} of head (b, h) by rows into dst: T x dp panel-major, pad columns zero. */
        void packRows(float[] dst, int part, int b, int h) {
            int stride = 3 * heads * d;
            int base = qkvOff + b * tokens * stride + part * heads * d + h * d;
            for (int n0 = 0; n0 < dp; ) {
                int w = panelWidth(n0, dp);
                int po = n0 * tokens;
                int cnt = Math.min(w, d - n0);
                for (int j = 0; j < tokens; j++) {
                    System.arraycopy(qkv, base + j * stride + n0, dst, po + j * w, cnt);
                    if (cnt < w) Arrays.fill(dst, po + j * w + cnt, po + j * w + w, 0f);
                }
                n0 += w;
            }
        }

        /** Rows [0, rows) of a row-major BLOCK x dp block into panel-major (BLOCK rows per panel). */
        void toPanels(float[] src, float[] dst, int rows) {
            for (int n0 = 0; n0 < dp; ) {
                int w = panelWidth(n0, dp);
                for (int r = 0; r < rows; r++) System.arraycopy(src, r * dp + n0, dst, n0 * BLOCK + r * w, w);
                n0 += w;
            }
        }

        /**
         * n rows of width d from src (row stride srcStride), times f, into dst (row stride dp);
         * columns d..dp and rows n..mp zero.
         */
        void packBlock(float[] src, int srcOff, int srcStride, float f, float[] dst, int n, int mp) {
            int full = d & -L;
            for (int r = 0; r < n; r++) {
                int s0 = srcOff + r * srcStride;
                int d0 = r * dp;
                for (int c = 0; c < full; c += L) {
                    FloatVector.fromArray(S, src, s0 + c).mul(f).intoArray(dst, d0 + c);
                }
                if (full < d) {
                    for (int c = full; c < d; c++) dst[d0 + c] = src[s0 + c] * f;
                    for (int c = d; c < dp; c++) dst[d0 + c] = 0f;
                }
            }
            if (mp > n) Arrays.fill(dst, n * dp, mp * dp, 0f);
        }

        /** n rows of width d from src (row stride dp), times f (per row if fr != null), into dst. */
        void unpackBlock(float[] src, float[] dst, int dstOff, int dstStride, float f, float[] fr, int n) {
            int full = d & -L;
            for (int r = 0; r < n; r++) {
                float g = fr == null ? f : fr[r];
                int s0 = r * dp;
                int d0 = dstOff + r * dstStride;
                for (int c = 0; c < full; c += L) {
                    FloatVector.fromArray(S, src, s0 + c).mul(g).intoArray(dst, d0 + c);
                }
                for (int c = full; c < d; c++) dst[d0 + c] = src[s0 + c] * g;
            }
        }

        /** S = qb K^T for an mp-row block into s (mp x ps); pad keys score 0. */
        void scores(Scratch sc, int mp) {
            gemm(sc.qb, 0, dp, 1, sc.kt, 0, d, sc.s, 0, ps, mp, tp, 0, d, d, false);
        }
    }

    private final class ForwardTask extends Base {
        int chunks;
        int chunkRows;
        long call;

        @Override
        public void run(int index, int worker) {
            int bh = index / chunks;
            int chunk = index - bh * chunks;
            int b = bh / heads;
            int h = bh - b * heads;
            Scratch sc = scratch[worker];
            if (sc.packedCall != call || sc.packedBh != bh) {
                packTransposed(sc.kt, 1, b, h);
                packRows(sc.rows, 2, b, h);
                sc.packedCall = call;
                sc.packedBh = bh;
            }
            int qEnd = Math.min(tokens, (chunk + 1) * chunkRows);
            for (int q0 = chunk * chunkRows; q0 < qEnd; q0 += BLOCK) {
                block(sc, b, h, bh, q0, Math.min(BLOCK, qEnd - q0));
            }
        }

        private void ensure(Scratch sc) {
            sc.kt = Scratch.grow(sc.kt, d * tp);
            sc.rows = Scratch.grow(sc.rows, tokens * dp);
            sc.qb = Scratch.grow(sc.qb, BLOCK * dp);
            sc.ob = Scratch.grow(sc.ob, BLOCK * dp);
            sc.s = Scratch.grow(sc.s, BLOCK * ps);
        }

        private void block(Scratch sc, int b, int h, int bh, int q0, int n) {
            int mp = roundUp(n, MR);
            int stride = 3 * heads * d;
            packBlock(qkv, qkvOff + (b * tokens + q0) * stride + h * d, stride, scale, sc.qb, n, mp);
            scores(sc, mp);
            float[] s = sc.s;
            int lseBase = lseOff + bh * tokens + q0;
            // Soft-max in three sweeps over the block's rows, so that the short serial chains of
            // different rows (lane reductions, log) overlap.
            float[] max = sc.max;
            float[] sums = sc.sums;
            for (int r = 0; r < n; r++) {
                Arrays.fill(s, r * ps + tokens, r * ps + tp, Float.NEGATIVE_INFINITY);
                max[r] = rowMax(s, r * ps, tp);
            }
            for (int r = 0; r < n; r++) AttnKernels.expRow(s, r * ps, tp, max[r], sums, r * L);
            for (int r = 0; r < n; r++) {
                float l = AttnKernels.treeSum(sums, r * L);
                sc.inv[r] = 1f / l;
                lse[lseBase + r] = max[r] + (float) Math.log(l);
            }
            // Rows n..mp of s hold finite scores of zero queries; their outputs are dropped.
            gemm(s, 0, ps, 1, sc.rows, 0, tokens, sc.ob, 0, dp, mp, dp, 0, tokens, KC, false);
            int hd = heads * d;
            unpackBlock(sc.ob, out, outOff + (b * tokens + q0) * hd + h * d, hd, 1f, sc.inv, n);
        }

    }

    private final class BackwardTask extends Base {
        float[] dout;
        float[] dqkv;
        int doutOff;
        int dqkvOff;

        @Override
        public void run(int bh, int worker) {
            int b = bh / heads;
            int h = bh - b * heads;
            Scratch sc = scratch[worker];
            sc.packedBh = -1;
            packTransposed(sc.kt, 1, b, h);
            packTransposed(sc.vt, 2, b, h);
            packRows(sc.rows, 1, b, h);
            Arrays.fill(sc.dk, 0, tpad * dp, 0f);
            Arrays.fill(sc.dv, 0, tpad * dp, 0f);
            // Di = dO_i . O_i: L tokens at a time, one gathered column per step (a sequential FMA
            // chain over c for every token, the same in the scalar tail)
            int hd = heads * d;
            int rowBase = b * tokens * hd + h * d;
            int[] idx = outGatherIndex;
            int t = 0;
            for (; t + L <= tokens; t += L) {
                int go = doutOff + rowBase + t * hd;
                int oo = outOff + rowBase + t * hd;
                FloatVector acc = FloatVector.zero(S);
                for (int c = 0; c < d; c++) {
                    acc = FloatVector.fromArray(S, dout, go + c, idx, 0)
                            .fma(FloatVector.fromArray(S, out, oo + c, idx, 0), acc);
                }
                acc.intoArray(sc.di, t);
            }
            for (; t < tokens; t++) {
                int go = doutOff + rowBase + t * hd;
                int oo = outOff + rowBase + t * hd;
                float acc = 0f;
                for (int c = 0; c < d; c++) acc = Math.fma(dout[go + c], out[oo + c], acc);
                sc.di[t] = acc;
            }
            for (int q0 = 0; q0 < tokens; q0 += BLOCK) {
                block(sc, b, h, bh, q0, Math.min(BLOCK, tokens - q0));
            }
            // dK and dV rows into dqkv
            int stride = 3 * hd;
            int base = dqkvOff + b * tokens * stride + h * d;
            for (int j = 0; j < tokens; j++) {
                int row = base + j * stride;
                System.arraycopy(sc.dk, j * dp, dqkv, row + hd, d);
                System.arraycopy(sc.dv, j * dp, dqkv, row + 2 * hd, d);
            }
        }

        private void ensure(Scratch sc) {
            sc.kt = Scratch.grow(sc.kt, d * tp);
            sc.vt = Scratch.grow(sc.vt, d * tp);
            sc.rows = Scratch.grow(sc.rows, tokens * dp);
            sc.qb = Scratch.grow(sc.qb, BLOCK * dp);
            sc.gb = Scratch.grow(sc.gb, BLOCK * dp);
            if (!blockIsPanel) {
                sc.qbp = Scratch.grow(sc.qbp, BLOCK * dp);
                sc.gbp = Scratch.grow(sc.gbp, BLOCK * dp);
            }
            sc.ob = Scratch.grow(sc.ob, BLOCK * dp);
            sc.s = Scratch.grow(sc.s, BLOCK * ps);
            sc.ds = Scratch.grow(sc.ds, BLOCK * ps);
            sc.dk = Scratch.grow(sc.dk, tpad * dp);
            sc.dv = Scratch.grow(sc.dv, tpad * dp);
            sc.di = Scratch.grow(sc.di, tp);
        }

        private void block(Scratch sc, int b, int h, int bh, int q0, int n) {
            int mp = roundUp(n, MR);
            int hd = heads * d;
            int stride = 3 * hd;
            packBlock(qkv, qkvOff + (b * tokens + q0) * stride + h * d, stride, scale, sc.qb, n, mp);
            packBlock(dout, doutOff + (b * tokens + q0) * hd + h * d, hd, 1f, sc.gb, n, mp);
            float[] qbp = sc.qb;
            float[] gbp = sc.gb;
            if (!blockIsPanel) {
                toPanels(sc.qb, sc.qbp, n);
                toPanels(sc.gb, sc.gbp, n);
                qbp = sc.qbp;
                gbp = sc.gbp;
            }
            // P = exp(S - lse), 0 for pad keys. Rows n..mp keep the (zero) scores of zero queries.
            scores(sc, mp);
            float[] s = sc.s;
            int lseBase = lseOff + bh * tokens + q0;
            for (int r = 0; r < n; r++) {
                int o = r * ps;
                Arrays.fill(s, o + tokens, o + tp, Float.NEGATIVE_INFINITY);
                AttnKernels.expRow(s, o, tp, lse[lseBase + r], sc.sums, 0);
            }
            // dP = dO V^T, then dS = P * (dP - Di) in place (pad keys: P = 0, so dS = 0)
            float[] ds = sc.ds;
            gemm(sc.gb, 0, dp, 1, sc.vt, 0, d, ds, 0, ps, mp, tp, 0, d, d, false);
            for (int r = 0; r < n; r++) dsRow(s, ds, r * ps, tp, sc.di[q0 + r]);
            // dQ = dS K / sqrt(d). Rows n..mp of ds are finite and only feed dropped rows.
            gemm(ds, 0, ps, 1, sc.rows, 0, tokens, sc.ob, 0, dp, mp, dp, 0, tokens, KC, false);
            unpackBlock(sc.ob, dqkv, dqkvOff + (b * tokens + q0) * stride + h * d, stride, scale, null, n);
            // dV += P^T dO ; dK += dS^T (Q / sqrt(d)). Key rows T..tpad are dropped.
            gemm(s, 0, 1, ps, gbp, 0, BLOCK, sc.dv, 0, dp, tpad, dp, 0, n, n, true);
            gemm(ds, 0, 1, ps, qbp, 0, BLOCK, sc.dk, 0, dp, tpad, dp, 0, n, n, true);
        }
    }
}
