package hrm.tensor.cpu;

import hrm.tensor.dnnl.BfMatmul;
import hrm.tensor.dnnl.OneDnn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The linear layers' matrix products when the activations are bfloat16: bfloat16 inputs (the
 * activations are bfloat16 already; the float32 master weight is read through a bfloat16 copy),
 * float32 accumulation, the result rounded to the output's type. With oneDNN the products run on
 * its bfloat16 kernels (AMX or AVX512-BF16) over native bfloat16 buffers; without it on our float32
 * Sgemm over the same bfloat16 values, which gives the same numbers up to summation order.
 *
 * <p>A weight's copy is made when first used and again after anything writes the array it lives in
 * ({@link #written}); the backend reports every write to a float32 tensor that can hold weights.
 * Native scratch buffers grow to the largest product seen and are then reused, so a training step
 * allocates nothing once the first one has run.
 */
final class Bf16Linear implements AutoCloseable {
    private final WorkerPool pool;
    private final Sgemm sgemm;
    private final OneDnn dnnl; // null: Java products
    private final MemorySegment stream; // this backend's own oneDNN stream
    private final Arena arena = Arena.ofShared();
    private final Map<CpuTensor, WeightCopy> copies = new HashMap<>();
    private final Map<float[], int[]> versions = new IdentityHashMap<>();
    private final List<BfMatmul> primitives = new ArrayList<>();
    private MemorySegment scratchA = MemorySegment.NULL, scratchB = MemorySegment.NULL, scratchC = MemorySegment.NULL;
    private final PackTask pack = new PackTask();
    private final UnpackTask unpack = new UnpackTask();
    private final RoundTask round = new RoundTask();

    /** The bfloat16 copy of one weight tensor, as of a version of its array. */
    private static final class WeightCopy {
        int version = -1;
        float[] rounded;        // Java path
        MemorySegment native16; // oneDNN path
    }

    Bf16Linear(WorkerPool pool, Sgemm sgemm, OneDnn dnnl) {
        this.pool = pool;
        this.sgemm = sgemm;
        this.dnnl = dnnl;
        this.stream = dnnl == null ? null : dnnl.newStream();
    }

    boolean isNative() {
        return dnnl != null;
    }

    /** Something wrote into {@code array}: copies of weights inside it are stale. */
    void written(float[] array) {
        int[] v = versions.get(array);
        if (v != null) v[0]++;
    }

    /** y = x w^T; w is rows-out x in. */
    void linear(CpuTensor x, CpuTensor w, CpuTensor y, int rows, int in, int out) {
        WeightCopy wc = copy(w);
        if (dnnl == null) {
            sgemm.gemm(false, true, rows, out, in, 1f, x.a(), x.off(), in, wc.rounded, 0, in, 0f, y.a(), y.off(), out);
            if (y.bf16()) round.run(pool, y);
            return;
        }
        MemorySegment a = packInto(x, rows * in, 0);
        run(rows, in, out, false, true, a, wc.native16, y, false);
    }

    /** dx (+)= dy w. */
    void backwardInput(CpuTensor dy, CpuTensor w, CpuTensor dx, int rows, int in, int out, boolean accumulate) {
        WeightCopy wc = copy(w);
        if (dnnl == null) {
            sgemm.gemm(false, false, rows, in, out, 1f, dy.a(), dy.off(), out, wc.rounded, 0, in, accumulate ? 1f : 0f, dx.a(), dx.off(), in);
            if (dx.bf16()) round.run(pool, dx);
            return;
        }
        MemorySegment a = packInto(dy, rows * out, 0);
        run(rows, out, in, false, false, a, wc.native16, dx, accumulate);
    }

    /** dw (+)= dy^T x, dw float32. */
    void backwardWeight(CpuTensor dy, CpuTensor x, CpuTensor dw, int rows, int in, int out, boolean accumulate) {
        if (dnnl == null) {
            sgemm.gemm(true, false, out, in, rows, 1f, dy.a(), dy.off(), out, x.a(), x.off(), in, accumulate ? 1f : 0f, dw.a(), dw.off(), in);
            if (dw.bf16()) round.run(pool, dw);
            return;
        }
        MemorySegment a = packInto(dy, rows * out, 0);
        MemorySegment b = packInto(x, rows * in, 1);
        run(out, rows, in, true, false, a, b, dw, accumulate);
    }

    /**
     * c (+)= op(a) op(b). A bfloat16 output that is overwritten comes from oneDNN as bfloat16 (it
     * rounds to nearest even, as we do) and is only widened here: half the bytes of a float32 result.
     */
    private void run(int m, int k, int n, boolean transA, boolean transB, MemorySegment a, MemorySegment b, CpuTensor c, boolean accumulate) {
        boolean bf16Out = c.bf16() && !accumulate;
        BfMatmul mm = primitive(m, k, n, transA, transB, bf16Out);
        long bytes = (bf16Out ? 2L : 4L) * m * n;
        if (scratchC.byteSize() < bytes) scratchC = grow(bytes);
        dnnl.setThreads(pool.threads());
        pool.rest(); // oneDNN's threads get the cores
        mm.run(stream, a, b, scratchC);
        UnpackTask t = unpack;
        t.src = scratchC;
        t.dst = c;
        t.accumulate = accumulate;
        t.widen = bf16Out;
        t.launch(pool, m * n, 16384);
    }

    private BfMatmul primitive(int m, int k, int n, boolean transA, boolean transB, boolean bf16Out) {
        for (BfMatmul p : primitives)
            if (p.m == m && p.k == k && p.n == n && p.transA == transA && p.transB == transB && p.bf16Out == bf16Out) return p;
        BfMatmul p = new BfMatmul(dnnl, m, k, n, transA, transB, bf16Out);
        primitives.add(p);
        return p;
    }

    private MemorySegment packInto(CpuTensor src, int n, int which) {
        long bytes = 2L * n;
        if (which == 0 && scratchA.byteSize() < bytes) scratchA = grow(bytes);
        if (which == 1 && scratchB.byteSize() < bytes) scratchB = grow(bytes);
        MemorySegment dst = which == 0 ? scratchA : scratchB;
        PackTask t = pack;
        t.src = src.a();
        t.off = src.off();
        t.dst = dst;
        t.launch(pool, n, 16384);
        return dst;
    }

    private MemorySegment grow(long bytes) {
        return arena.allocate(bytes, 64);
    }

    private WeightCopy copy(CpuTensor w) {
        WeightCopy c = copies.get(w);
        if (c == null) {
            c = new WeightCopy();
            copies.put(w, c);
            versions.computeIfAbsent(w.a(), k -> new int[1]);
        }
        int v = versions.get(w.a())[0];
        if (c.version == v) return c;
        if (dnnl == null) {
            if (c.rounded == null) c.rounded = new float[w.len()];
            System.arraycopy(w.a(), w.off(), c.rounded, 0, w.len());
            Bf16.roundInPlace(c.rounded, 0, w.len());
        } else {
            if (c.native16 == null) c.native16 = grow(2L * w.len());
            Bf16.pack(w.a(), w.off(), w.len(), c.native16, 0);
        }
        c.version = v;
        return c;
    }

    /** Elements [from, to) of a float array, rounded, into a bfloat16 buffer. */
    private static final class PackTask extends RowTask {
        float[] src;
        int off;
        MemorySegment dst;

        @Override
        void rows(int from, int to, int worker) {
            Bf16.pack(src, off + from, to - from, dst, 2L * from);
        }
    }

    /**
     * A product into the output tensor: bfloat16 values widened ({@code widen}), or float32 ones
     * added to it when accumulating or copied, rounded where the output is bfloat16.
     */
    private static final class UnpackTask extends RowTask {
        MemorySegment src;
        CpuTensor dst;
        boolean accumulate, widen;

        @Override
        void rows(int from, int to, int worker) {
            if (widen) {
                Bf16.widen(src, 2L * from, dst.a(), dst.off() + from, to - from);
            } else if (accumulate) {
                Bf16.addFloats(src, 4L * from, dst.a(), dst.off() + from, to - from, dst.bf16());
            } else {
                Bf16.unpackFloats(src, 4L * from, dst.a(), dst.off() + from, to - from, dst.bf16());
            }
        }
    }

    @Override
    public void close() {
        for (BfMatmul p : primitives) p.close();
        primitives.clear();
        if (stream != null) dnnl.destroyStream(stream);
        arena.close();
    }
}
