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
 * float32 kernels' rate per core). The backward stays {@link Attention#backward}'s.
 *
 * <p>Not thread-safe: one call at a time. Steady-state calls allocate nothing.
 */
final class Bf16Attention implements AutoCloseable {
    private final WorkerPool pool;
    private final OneDnn dnnl;
    private final Worker[] workers;
    private final ForwardTask task = new ForwardTask();

    /** One worker slot's stream, primitives and buffers. */
    private final class Worker {
        final MemorySegment stream = dnnl.newStream();
        final Arena arena = Arena.ofShared();
        final List<BfMatmul> primitives = new ArrayList<>();
        MemorySegment q16 = MemorySegment.NULL, k16 = MemorySegment.NULL, v16 = MemorySegment.NULL, s32 = MemorySegment.NULL,
                p16 = MemorySegment.NULL, o32 = MemorySegment.NULL;
        float[] s = new float[0], sums = new float[0], inv = new float[0], o = new float[0], max = new float[Attention.BLOCK];

        MemorySegment grow(MemorySegment seg, long bytes) {
            return seg.byteSize() >= bytes ? seg : arena.allocate(bytes, 64);
        }

        BfMatmul primitive(int m, int k, int n, boolean transB) {
            for (int i = 0; i < primitives.size(); i++) {
                BfMatmul p = primitives.get(i);
                if (p.m == m && p.k == k && p.n == n && p.transB == transB) return p;
            }
            BfMatmul p = new BfMatmul(dnnl, m, k, n, false, transB, false);
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
        ForwardTask t = task;
        t.qkv = qkv;
        t.qkv16 = qkv16;
        t.qkvOff = qkvOff;
        t.out = out;
        t.out16 = out16;
        t.outOff = outOff;
        t.lse = lse;
        t.lseOff = lseOff;
        t.tokens = tokens;
        t.heads = heads;
        t.d = headDim;
        t.scale = (float) (1.0 / Math.sqrt(headDim));
        // every worker's buffers sized here, not by the first task each worker happens to take (the scheduler's choice)
        for (Worker w : workers) t.ensure(w);
        try {
            pool.run(batch * heads, t);
        } finally {
            t.qkv = t.out = t.lse = null;
            t.qkv16 = t.out16 = null;
        }
    }

    private final class ForwardTask implements WorkerPool.Task {
        float[] qkv, out, lse;
        MemorySegment qkv16, out16; // 2-byte qkv and out, instead of the float arrays
        int qkvOff, outOff, lseOff, tokens, heads, d;
        float scale;

        @Override
        public void run(int bh, int slot) {
            Worker w = workers[slot];
            int b = bh / heads, h = bh - b * heads, stride = 3 * heads * d, hd = heads * d;
            int tp = AttnKernels.roundUp(tokens, AttnKernels.L), block = Attention.BLOCK;
            int base = qkvOff + b * tokens * stride + h * d;
            for (int t = 0; t < tokens; t++) {
                if (qkv16 != null) {
                    MemorySegment.copy(qkv16, 2L * (base + t * stride + hd), w.k16, 2L * t * d, 2L * d);
                    MemorySegment.copy(qkv16, 2L * (base + t * stride + 2 * hd), w.v16, 2L * t * d, 2L * d);
                } else {
                    Bf16.pack(qkv, base + t * stride + hd, d, w.k16, 2L * t * d);
                    Bf16.pack(qkv, base + t * stride + 2 * hd, d, w.v16, 2L * t * d);
                }
            }
            dnnl.setThreads(1); // this worker's own products: one OpenMP thread, the calling one
            for (int q0 = 0; q0 < tokens; q0 += block) {
                int n = Math.min(block, tokens - q0);
                for (int r = 0; r < n; r++) {
                    if (qkv16 != null) MemorySegment.copy(qkv16, 2L * (base + (q0 + r) * stride), w.q16, 2L * r * d, 2L * d);
                    else Bf16.pack(qkv, base + (q0 + r) * stride, d, w.q16, 2L * r * d);
                }
                w.primitive(n, d, tokens, true).run(w.stream, w.q16, w.k16, w.s32);
                softmax(w, n, tp, bh * tokens + q0);
                w.primitive(n, tokens, d, false).run(w.stream, w.p16, w.v16, w.o32);
                output(w, n, outOff + (b * tokens + q0) * hd + h * d, hd);
            }
        }

        /** This call's buffers in worker slot {@code w}, grown where smaller. */
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
