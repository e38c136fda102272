package hrm.tensor.dnnl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One oneDNN matmul primitive, built once for its shape: C (m x n, float32) = A (m x k, bfloat16)
 * times B (k x n, bfloat16). A is stored row-major or, with {@code transA}, as the k x m row-major
 * matrix (a linear layer's output gradient, for the weight gradient); B row-major or, with
 * {@code transB}, as the n x k row-major matrix a linear layer's weight is. Products of bfloat16
 * inputs accumulate in float32. The buffers are native segments given per call; nothing is
 * allocated per call.
 */
public final class BfMatmul implements AutoCloseable {
    private static final int BF16 = 2, F32 = 3, TAG_AB = 3, TAG_BA = 14; // dnnl_data_type_t, dnnl_format_tag_t
    private static final int ARG_SRC = 1, ARG_WEIGHTS = 33, ARG_DST = 17;

    private final OneDnn dnnl;
    public final int m, k, n;
    public final boolean transA, transB;
    /** C is bfloat16 (rounded to nearest even by oneDNN) rather than float32. */
    public final boolean bf16Out;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment primitive, memA, memB, memC, args;

    public BfMatmul(OneDnn dnnl, int m, int k, int n, boolean transB) {
        this(dnnl, m, k, n, false, transB);
    }

    public BfMatmul(OneDnn dnnl, int m, int k, int n, boolean transA, boolean transB) {
        this(dnnl, m, k, n, transA, transB, false);
    }

    public BfMatmul(OneDnn dnnl, int m, int k, int n, boolean transA, boolean transB, boolean bf16Out) {
        this.dnnl = dnnl;
        this.bf16Out = bf16Out;
        this.m = m;
        this.k = k;
        this.n = n;
        this.transA = transA;
        this.transB = transB;
        try {
            MemorySegment a = desc(new long[] {m, k}, BF16, transA ? TAG_BA : TAG_AB), b = desc(new long[] {k, n}, BF16, transB ? TAG_BA : TAG_AB),
                    c = desc(new long[] {m, n}, bf16Out ? BF16 : F32, TAG_AB);
            MemorySegment ppd = arena.allocate(ADDRESS);
            OneDnn.check((int) dnnl.matmulDescCreate.invokeExact(ppd, dnnl.engine, a, b, MemorySegment.NULL, c, MemorySegment.NULL),
                    "dnnl_matmul_primitive_desc_create " + m + "x" + k + "x" + n);
            MemorySegment pd = ppd.get(ADDRESS, 0);
            MemorySegment pp = arena.allocate(ADDRESS);
            OneDnn.check((int) dnnl.primitiveCreate.invokeExact(pp, pd), "dnnl_primitive_create");
            primitive = pp.get(ADDRESS, 0);
            OneDnn.check((int) dnnl.primitiveDescDestroy.invokeExact(pd), "dnnl_primitive_desc_destroy");
            memA = memory(a);
            memB = memory(b);
            memC = memory(c);
            for (MemorySegment d : new MemorySegment[] {a, b, c}) OneDnn.check((int) dnnl.memoryDescDestroy.invokeExact(d), "dnnl_memory_desc_destroy");
            args = arena.allocate(48, 8); // 3 x dnnl_exec_arg_t {int arg; (pad) dnnl_memory_t memory}
            int[] ids = {ARG_SRC, ARG_WEIGHTS, ARG_DST};
            MemorySegment[] mems = {memA, memB, memC};
            for (int i = 0; i < 3; i++) {
                args.set(JAVA_INT, 16L * i, ids[i]);
                args.set(ADDRESS, 16L * i + 8, mems[i]);
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException(t);
        }
    }

    private MemorySegment desc(long[] dims, int type, int tag) throws Throwable {
        MemorySegment p = arena.allocate(ADDRESS);
        OneDnn.check((int) dnnl.memoryDescCreate.invokeExact(p, dims.length, arena.allocateFrom(JAVA_LONG, dims), type, tag), "dnnl_memory_desc_create_with_tag");
        return p.get(ADDRESS, 0);
    }

    private MemorySegment memory(MemorySegment desc) throws Throwable {
        MemorySegment p = arena.allocate(ADDRESS);
        OneDnn.check((int) dnnl.memoryCreate.invokeExact(p, desc, dnnl.engine, MemorySegment.NULL), "dnnl_memory_create");
        return p.get(ADDRESS, 0);
    }

    /** C = A B on the library's shared stream (for single-threaded tools: benchmarks, tests). */
    public void run(MemorySegment a, MemorySegment b, MemorySegment c) {
        run(dnnl.stream, a, b, c);
    }

    /** C = A B on {@code stream}, native segments of m*k and k*n bfloat16 values (2 bytes each) and m*n floats (or bfloat16 values). */
    public void run(MemorySegment stream, MemorySegment a, MemorySegment b, MemorySegment c) {
        if (a.byteSize() < 2L * m * k || b.byteSize() < 2L * k * n || c.byteSize() < (bf16Out ? 2L : 4L) * m * n)
            throw new IllegalArgumentException("buffers too small for " + m + "x" + k + "x" + n);
        try {
            OneDnn.check((int) dnnl.memorySetHandle.invokeExact(memA, a), "dnnl_memory_set_data_handle");
            OneDnn.check((int) dnnl.memorySetHandle.invokeExact(memB, b), "dnnl_memory_set_data_handle");
            OneDnn.check((int) dnnl.memorySetHandle.invokeExact(memC, c), "dnnl_memory_set_data_handle");
            OneDnn.check((int) dnnl.execute.invokeExact(primitive, stream, 3, args), "dnnl_primitive_execute");
            OneDnn.check((int) dnnl.streamWait.invokeExact(stream), "dnnl_stream_wait");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            for (MemorySegment mem : new MemorySegment[] {memA, memB, memC}) OneDnn.check((int) dnnl.memoryDestroy.invokeExact(mem), "dnnl_memory_destroy");
            OneDnn.check((int) dnnl.primitiveDestroy.invokeExact(primitive), "dnnl_primitive_destroy");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
