package hrm.tensor.cpu;

import hrm.tensor.dnnl.BfMatmul;
import hrm.tensor.dnnl.OneDnn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * Attention's forward with its two products on oneDNN's bfloat16 kernels: per (sample, head) and
 * block of {@link Attention#BLOCK} queries, S = Q Kᵀ (bfloat16 inputs, float32 scores), the
 * soft-max in float32 as {@link Attention} computes it (the same row kernels), the unnormalised
 * probabilities rounded to bfloat16 (as flash-attn rounds them for its PV product) and O = P V in
 * float32, divided by the row sums. No T x T buffer: per worker one block of scores. Each worker
 * thread runs its own (sample, head) pairs and calls oneDNN on one OpenMP thread with a stream and
 * primitives of its own: the products of one head are too small to split across threads (one
 * thread ran the 96 x 64 x 901 and 96 x 901 x 64 products at 200-220 GFLOP/s here, twice our
 * float32 kernels' rate per core).
 *
 * <p>The backward is {@link Attention#backward}'s algorithm (scores recomputed per query block from
 * the saved lse, dS = P * (dP - Di), dK and dV summed over the blocks) with its five products on
 * oneDNN: the probabilities and dS rounded to bfloat16 for them, as flash-attn's backward rounds
 * them; everything else in float32 as the Java kernels compute it.
 *
 * <p>Not thread-safe: one call at a time. Steady-state calls allocate nothing.
 */
final class Bf16Attention implements AutoCloseable {
    private final WorkerPool pool;
    private final OneDnn dnnl;
    private final Worker[] workers;
    private final ForwardTask task = new ForwardTask();
    private final BackwardTask backwardTask = new BackwardTask();

    /** One worker slot's stream, primitives and buffers. */
    private final class Worker {
        final MemorySegment stream = dnnl.newStream();
        final Arena arena = Arena.ofShared();
        final List<BfMatmul> primitives = new ArrayList<>();
        MemorySegment q16 = MemorySegment.NULL, k16 = MemorySegment.NULL, v16 = MemorySegment.NULL, s32 = MemorySegment.NULL,
                p16 = MemorySegment.NULL, o32 = MemorySegment.NULL;
        // the backward's: dO block, dP, dS, a block's dK or dV
        MemorySegment g16 = MemorySegment.NULL, dp32 = MemorySegment.NULL, ds16 = MemorySegment.NULL, kv32 = MemorySegment.NULL;
        float[] s = new float[0], sums = new float[0], inv = new float[0], o = new float[0], max = new float[Attention.BLOCK];
        float[] dp = new float[0], dk = new float[0], dv = new float[0], di = new float[0], row = new float[0];

        MemorySegment grow(MemorySegment seg, long bytes) {
            return seg.byteSize() >= bytes ? seg : arena.allocate(bytes, 64);
        }

        BfMatmul primitive(int m, int k, int n, boolean transB) {
            return primitive(m, k, n, false, transB);
        }

        BfMatmul primitive(int m, int k, int n, boolean transA, boolean transB) {
            for (int i = 0; i < primitives.size(); i++) {
                BfMatmul p = primitives.get(i);
                if (p.m == m && p.k == k && p.n == n && p.transA == transA && p.transB == transB) return p;
            }
            BfMatmul p = new BfMatmul(dnnl, m, k, n, transA, transB, false);
            primitives.add(p);
            return p;
        }

        void close() {
            for (BfMatmul p : primitives) p.close();
            dnnl.destroyStream(stream);
            arena.close();
        }
    }

    Bf16Attention(WorkerPool pool, OneDnn dnnl) {
        this.pool = pool;
        this.dnnl = dnnl;
        this.workers = new Worker[pool.threads()];
        for (int i = 0; i < workers.length; i++) workers[i] = new Worker();
    }

    /** As {@link Attention#forward}: qkv B*T rows of 3*H*d bfloat16 values; out (not rounded here) and lse overwritten. */
    void forward(float[] qkv, int qkvOff, float[] out, int outOff, float[] lse, int lseOff, int batch, int tokens, int heads, int headDim) {
        forward(qkv, null, qkvOff, out, null, outOff, lse, lseOff, batch, tokens, heads, headDim);
    }

    /**
     * As {@link #forward(float[], int, float[], int, float[], int, int, int, int, int)} on 2-byte qkv and out
     * ({@link Bf16Tensor}'s values, from their first element): q, k and v are copied as they are into
     * oneDNN's buffers, and out is written rounded (what the float version's output becomes once rounded).
     */
    void forward(MemorySegment qkv, MemorySegment out, float[] lse, int lseOff, int batch, int tokens, int heads, int headDim) {
        forward(null, qkv, 0, null, out, 0, lse, lseOff, batch, tokens, heads, headDim);
    }

    private void forward(float[] qkv, MemorySegment qkv16, int qkvOff, float[] out, MemorySegment out16, int outOff,
                         float[] lse, int lseOff, int batch, int tokens, int heads, int headDim) {
        task.set(qkv, qkv16, qkvOff, out, out16, outOff, lse, lseOff, tokens, heads, headDim);
        task.launch(batch);
    }

    /**
     * As {@link Attention#backward}, its products on oneDNN: qkv and out bfloat16 values, as float
     * arrays (qkv16/out16 null) or 2-byte ({@link Bf16Tensor}'s values from their first element;
     * the float array then null); dout bfloat16 values; dqkv overwritten, not rounded here.
     */
    void backward(float[] qkv, MemorySegment qkv16, int qkvOff, float[] out, MemorySegment out16, int outOff, float[] lse, int lseOff,
                  float[] dout, int doutOff, float[] dqkv, int dqkvOff, int batch, int tokens, int heads, int headDim) {
        BackwardTask t = backwardTask;
        t.set(qkv, qkv16, qkvOff, out, out16, outOff, lse, lseOff, tokens, heads, headDim);
        t.dout = dout;
        t.doutOff = doutOff;
        t.dqkv = dqkv;
        t.dqkvOff = dqkvOff;
        try {
            t.launch(batch);
        } finally {
            t.dout = t.dqkv = null;
        }
    }

    /** What both directions read: qkv and out (float arrays or 2-byte segments), lse, the shape; one call's worth. */
    private abstract class Operands implements WorkerPool.Task {
        float[] qkv, out, lse;
        MemorySegment qkv16, out16; // 2-byte qkv and out, instead of the float arrays
        int qkvOff, outOff, lseOff, tokens, heads, d;
        float scale;

        void set(float[] qkv, MemorySegment qkv16, int qkvOff, float[] out, MemorySegment out16, int outOff,
                 float[] lse, int lseOff, int tokens, int heads, int headDim) {
            this.qkv = qkv;
            this.qkv16 = qkv16;
            this.qkvOff = qkvOff;
            this.out = out;
            this.out16 = out16;
            this.outOff = outOff;
            this.lse = lse;
            this.lseOff = lseOff;
            this.tokens = tokens;
            this.heads = heads;
            this.d = headDim;
            this.scale = (float) (1.0 / Math.sqrt(headDim));
        }

        /** One task per (sample, head); every worker's buffers sized first, not by the first task each happens to take. */
        void launch(int batch) {
            for (Worker w : workers) ensure(w);
            try {
                pool.run(batch * heads, this);
            } finally {
                qkv = out = lse = null;
                qkv16 = out16 = null;
            }
        }

        /** This call's buffers and primitives in worker slot {@code w}, made where missing or small: the forward's here. */
        void ensure(Worker w) {
            int tp = AttnKernels.roundUp(tokens, AttnKernels.L), block = Attention.BLOCK;
            w.q16 = w.grow(w.q16, 2L * block * d);
            w.k16 = w.grow(w.k16, 2L * tokens * d);
            w.v16 = w.grow(w.v16, 2L * tokens * d);
            w.s32 = w.grow(w.s32, 4L * block * tokens);
            w.p16 = w.grow(w.p16, 2L * block * tokens);
            w.o32 = w.grow(w.o32, 4L * block * d);
            if (w.s.length < block * tp) w.s = new float[block * tp];
            if (w.sums.length < block * AttnKernels.L) w.sums = new float[block * AttnKernels.L];
            if (w.inv.length < block) w.inv = new float[block];
            if (w.o.length < block * d) w.o = new float[block * d];
            for (int q0 = 0; q0 < tokens; q0 += block) { // the block products' primitives too
                int n = Math.min(block, tokens - q0);
                w.primitive(n, d, tokens, true);
                w.primitive(n, tokens, d, false);
            }
        }
    }

    private final class BackwardTask extends Operands {
        float[] dout, dqkv;
        int doutOff, dqkvOff;

        @Override
        public void run(int bh, int slot) {
            Worker w = workers[slot];
            int b = bh / heads, h = bh - b * heads, stride = 3 * heads * d, hd = heads * d;
            int base = qkvOff + b * tokens * stride + h * d;
            for (int t = 0; t < tokens; t++) {
                copyBf16(qkv, qkv16, base + t * stride + hd, w.k16, 2L * t * d, d);
                copyBf16(qkv, qkv16, base + t * stride + 2 * hd, w.v16, 2L * t * d, d);
            }
            dotRows(w, b * tokens * hd + h * d, hd);
            Arrays.fill(w.dk, 0, tokens * d, 0f);
            Arrays.fill(w.dv, 0, tokens * d, 0f);
            dnnl.setThreads(1); // this worker's own products: one OpenMP thread, the calling one
            for (int q0 = 0; q0 < tokens; q0 += Attention.BLOCK) {
                int n = Math.min(Attention.BLOCK, tokens - q0);
                for (int r = 0; r < n; r++) {
                    copyBf16(qkv, qkv16, base + (q0 + r) * stride, w.q16, 2L * r * d, d);
                    Bf16.pack(dout, doutOff + (b * tokens + q0 + r) * hd + h * d, d, w.g16, 2L * r * d);
                }
                w.primitive(n, d, tokens, true).run(w.stream, w.q16, w.k16, w.s32);   // S = Q K^T
                w.primitive(n, d, tokens, true).run(w.stream, w.g16, w.v16, w.dp32);  // dP = dO V^T
                probabilities(w, n, bh * tokens + q0, q0);
                w.primitive(n, tokens, d, false).run(w.stream, w.ds16, w.k16, w.o32); // dQ = dS K
                queryGradient(w, n, dqkvOff + (b * tokens + q0) * stride + h * d, stride);
                w.primitive(tokens, n, d, true, false).run(w.stream, w.p16, w.g16, w.kv32); // dV += P^T dO
                Bf16.addFloats(w.kv32, 0, w.dv, 0, tokens * d, false);
                w.primitive(tokens, n, d, true, false).run(w.stream, w.ds16, w.q16, w.kv32); // dK += dS^T Q
                Bf16.addFloats(w.kv32, 0, w.dk, 0, tokens * d, false);
            }
            int at = dqkvOff + b * tokens * stride + h * d;
            for (int j = 0; j < tokens; j++) {
                scaleRowInto(w.dk, j * d, d, scale, dqkv, at + j * stride + hd);
                System.arraycopy(w.dv, j * d, dqkv, at + j * stride + 2 * hd, d);
            }
        }

        /** Di = dO_i . O_i for every token of the head (from {@code at}, rows hd apart), a sequential FMA chain as Attention's. */
        private void dotRows(Worker w, int at, int hd) {
            for (int t = 0; t < tokens; t++) {
                int go = doutOff + at + t * hd;
                float[] o = w.row;
                int oo = 0;
                if (out16 != null) Bf16.widen(out16, 2L * (outOff + at + t * hd), o, 0, d);
                else {
                    o = out;
                    oo = outOff + at + t * hd;
                }
                float acc = 0f;
                for (int c = 0; c < d; c++) acc = Math.fma(dout[go + c], o[oo + c], acc);
                w.di[t] = acc;
            }
        }

        /**
         * P = exp(S / sqrt(d) - lse) (into w.p16, rounded) and dS = P * (dP - Di) (into w.ds16, rounded)
         * for the block's n rows: {@link Attention}'s row kernels on float rows.
         */
        private void probabilities(Worker w, int n, int lseAt, int q0) {
            int tp = AttnKernels.roundUp(tokens, AttnKernels.L);
            float[] s = w.s, dp = w.dp;
            for (int r = 0; r < n; r++) {
                MemorySegment.copy(w.s32, JAVA_FLOAT, 4L * r * tokens, s, 0, tokens);
                scaleRow(s, 0, tokens, scale);
                Arrays.fill(s, tokens, tp, Float.NEGATIVE_INFINITY);
                AttnKernels.expRow(s, 0, tp, lse[lseOff + lseAt + r], w.sums, 0);
                Bf16.pack(s, 0, tokens, w.p16, 2L * r * tokens);
                MemorySegment.copy(w.dp32, JAVA_FLOAT, 4L * r * tokens, dp, 0, tokens);
                Arrays.fill(dp, tokens, tp, 0f); // pad keys: P = 0, so dS = 0
                Attention.dsRow(s, dp, 0, tp, w.di[q0 + r]);
                Bf16.pack(dp, 0, tokens, w.ds16, 2L * r * tokens);
            }
        }

        /** dQ = (dS K) / sqrt(d) from w.o32 into dqkv, rows {@code stride} apart from {@code at}. */
        private void queryGradient(Worker w, int n, int at, int stride) {
            MemorySegment.copy(w.o32, JAVA_FLOAT, 0, w.o, 0, n * d);
            for (int r = 0; r < n; r++) scaleRowInto(w.o, r * d, d, scale, dqkv, at + r * stride);
        }

        @Override
        void ensure(Worker w) {
            super.ensure(w);
            int block = Attention.BLOCK, tp = AttnKernels.roundUp(tokens, AttnKernels.L);
            w.g16 = w.grow(w.g16, 2L * block * d);
            w.dp32 = w.grow(w.dp32, 4L * block * tokens);
            w.ds16 = w.grow(w.ds16, 2L * block * tokens);
            w.kv32 = w.grow(w.kv32, 4L * tokens * d);
            if (w.dp.length < tp) w.dp = new float[tp];
            if (w.dk.length < tokens * d) w.dk = new float[tokens * d];
            if (w.dv.length < tokens * d) w.dv = new float[tokens * d];
            if (w.di.length < tokens) w.di = new float[tokens];
            if (w.row.length < d) w.row = new float[d];
            for (int q0 = 0; q0 < tokens; q0 += block) w.primitive(tokens, Math.min(block, tokens - q0), d, true, false);
        }
    }

    /** d bfloat16 values from qkv (float array, or 2-byte segment when qkv16 is not null) at element {@code at} into dst's byte dstAt. */
    private static void copyBf16(float[] qkv, MemorySegment qkv16, int at, MemorySegment dst, long dstAt, int d) {
        if (qkv16 != null) MemorySegment.copy(qkv16, 2L * at, dst, dstAt, 2L * d);
        else Bf16.pack(qkv, at, d, dst, dstAt);
    }

    private final class ForwardTask extends Operands {
        @Override
        public void run(int bh, int slot) {
            Worker w = workers[slot];
            int b = bh / heads, h = bh - b * heads, stride = 3 * heads * d, hd = heads * d;
            int tp = AttnKernels.roundUp(tokens, AttnKernels.L), block = Attention.BLOCK;
            int base = qkvOff + b * tokens * stride + h * d;
            for (int t = 0; t < tokens; t++) {
                copyBf16(qkv, qkv16, base + t * stride + hd, w.k16, 2L * t * d, d);
                copyBf16(qkv, qkv16, base + t * stride + 2 * hd, w.v16, 2L * t * d, d);
            }
            dnnl.setThreads(1); // this worker's own products: one OpenMP thread, the calling one
            for (int q0 = 0; q0 < tokens; q0 += block) {
                int n = Math.min(block, tokens - q0);
                for (int r = 0; r < n; r++) copyBf16(qkv, qkv16, base + (q0 + r) * stride, w.q16, 2L * r * d, d);
                w.primitive(n, d, tokens, true).run(w.stream, w.q16, w.k16, w.s32);
                softmax(w, n, tp, bh * tokens + q0);
                w.primitive(n, tokens, d, false).run(w.stream, w.p16, w.v16, w.o32);
                output(w, n, outOff + (b * tokens + q0) * hd + h * d, hd);
            }
        }

        /**
         * The block's scores (in w.s32) to unnormalised probabilities rounded to bfloat16 (into w.p16),
         * their row sums' inverses (w.inv) and log-sum-exps (into lse from {@code lseAt}). Methods of
         * their own, each small: C2 compiles them soon and on their own, and inlines the vector
         * helpers into them (inside one large method it compiled late, and until then the Vector
         * API ran interpreted, at a tenth of the speed).
         */
        private void softmax(Worker w, int n, int tp, int lseAt) {
            float[] s = w.s;
            for (int r = 0; r < n; r++) {
                int o = r * tp;
                MemorySegment.copy(w.s32, JAVA_FLOAT, 4L * r * tokens, s, o, tokens);
                scaleRow(s, o, tokens, scale);
                Arrays.fill(s, o + tokens, o + tp, Float.NEGATIVE_INFINITY);
                w.max[r] = Attention.rowMax(s, o, tp);
            }
            expRows(s, tp, n, w.max, w.sums);
            for (int r = 0; r < n; r++) {
                float l = AttnKernels.treeSum(w.sums, r * AttnKernels.L);
                w.inv[r] = 1f / l;
                lse[lseOff + lseAt + r] = w.max[r] + (float) Math.log(l);
                Bf16.pack(s, r * tp, tokens, w.p16, 2L * r * tokens);
            }
        }

        /** O (w.o32, n rows of d) divided by the row sums into out, rows {@code hd} apart from {@code at}. */
        private void output(Worker w, int n, int at, int hd) {
            MemorySegment.copy(w.o32, JAVA_FLOAT, 0, w.o, 0, n * d);
            for (int r = 0; r < n; r++) {
                if (out16 != null) { // the same products, rounded as they are stored
                    scaleRow(w.o, r * d, d, w.inv[r]);
                    Bf16.pack(w.o, r * d, d, out16, 2L * (at + r * hd));
                } else {
                    scaleRowInto(w.o, r * d, d, w.inv[r], out, at + r * hd);
                }
            }
        }
    }

    private static void scaleRow(float[] s, int o, int n, float scale) {
        for (int j = 0; j < n; j++) s[o + j] *= scale;
    }

    private static void scaleRowInto(float[] src, int o, int n, float scale, float[] dst, int at) {
        for (int j = 0; j < n; j++) dst[at + j] = src[o + j] * scale;
    }

    /** exp(s - max) along each of n rows, their sums per lane into sums (see {@link AttnKernels#expRow}). */
    private static void expRows(float[] s, int tp, int n, float[] max, float[] sums) {
        for (int r = 0; r < n; r++) AttnKernels.expRow(s, r * tp, tp, max[r], sums, r * AttnKernels.L);
    }

    @Override
    public void close() {
        for (Worker w : workers) w.close();
    }
}
