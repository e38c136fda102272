package hrm.tensor.cpu;

import hrm.tensor.Product;
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
 * float32 accumulation, the result rounded to the output's type. Each product runs on the path its
 * {@link ProductPlan} gives for its shape: oneDNN's bfloat16 kernels (AMX or AVX512-BF16) over
 * native bfloat16 buffers, or our float32 Sgemm over the same bfloat16 values, which gives the same
 * numbers up to summation order. Which is faster depends on the machine (and on the shape), so
 * where both exist the plan measures them ({@link #measure}).
 *
 * <p>A weight's copy (one per path that uses it) is made when first used and again after anything
 * writes the array it lives in ({@link #written}); the backend reports every write to a float32
 * tensor that can hold weights. Native scratch buffers grow to the largest product seen and are
 * then reused, so a training step allocates nothing once the first one has run.
 */
final class Bf16Linear implements AutoCloseable {
    /**
     * Products are measured on at most this many rows: above it the rate no longer depends on the
     * row count, and a run must not wait for the measurement (about a second for a model's products).
     */
    static final int MEASURE_ROWS = 512;
    /** Each path is timed {@link #TRIALS} times over at least this long (after one untimed run); the fastest counts. */
    static final long MEASURE_NANOS = 2_000_000;
    static final int TRIALS = 3;
    /**
     * Before the first measurement, every kind of product runs on every path at this many rows:
     * until the JIT has compiled our kernels (interpreted, a full-size product takes a second) and
     * OpenMP's threads are up, the first shapes would be measured slow.
     */
    static final int WARM_UP_ROWS = 64;
    /** Smaller products run on the Java kernels unmeasured: a native call's fixed cost (packing, threads) is more than their work. */
    static final double NATIVE_MIN_FLOPS = 1e6;

    private final WorkerPool pool;
    private final Sgemm sgemm;
    private final OneDnn dnnl; // null: Java products only
    private final ProductPlan plan;
    private final MemorySegment stream; // this backend's own oneDNN stream
    private final Arena arena = Arena.ofShared();
    private final Map<CpuTensor, WeightCopy> copies = new HashMap<>();
    private final Map<float[], int[]> versions = new IdentityHashMap<>();
    private final List<BfMatmul> primitives = new ArrayList<>();
    private final List<Chosen> chosen = new ArrayList<>(); // looked up without allocating
    private boolean warm;
    private long measuring;
    private MemorySegment scratchA = MemorySegment.NULL, scratchB = MemorySegment.NULL, scratchC = MemorySegment.NULL;
    private final PackTask pack = new PackTask();
    private final UnpackTask unpack = new UnpackTask();
    private final RoundTask round = new RoundTask();

    /** The bfloat16 copies of one weight tensor, each as of a version of its array. */
    private static final class WeightCopy {
        int roundedVersion = -1, nativeVersion = -1;
        float[] rounded;        // Java path
        MemorySegment native16; // oneDNN path
    }

    /** A product this backend has run and the plan's choice for it. */
    private record Chosen(Product.Kind kind, int rows, int in, int out, ProductPlan.Choice choice) {}

    Bf16Linear(WorkerPool pool, Sgemm sgemm, OneDnn dnnl, ProductPlan plan) {
        if (dnnl == null && plan.forcedPath() != ProductPlan.Path.JAVA)
            throw new IllegalArgumentException("a product plan with oneDNN needs the library");
        this.pool = pool;
        this.sgemm = sgemm;
        this.dnnl = dnnl;
        this.plan = plan;
        this.stream = dnnl == null ? null : dnnl.newStream();
    }

    /** Whether the native library is there for the products the plan gives it. */
    boolean hasNative() {
        return dnnl != null;
    }

    ProductPlan plan() {
        return plan;
    }

    /** Something wrote into {@code array}: copies of weights inside it are stale. */
    void written(float[] array) {
        int[] v = versions.get(array);
        if (v != null) v[0]++;
    }

    /** The choices for {@code products}, measured now where the plan has none. */
    Map<Product, ProductPlan.Choice> plan(List<Product> products) {
        Map<Product, ProductPlan.Choice> out = plan.chooseAll(products, this::measure);
        out.forEach((p, c) -> remember(p.kind(), p.rows(), p.in(), p.out(), c));
        return out;
    }

    /** The products this backend has run or planned, with their choices. */
    Map<Product, ProductPlan.Choice> choices() {
        Map<Product, ProductPlan.Choice> out = new java.util.LinkedHashMap<>();
        for (Chosen c : chosen) out.put(new Product(c.kind(), c.rows(), c.in(), c.out()), c.choice());
        return out;
    }

    private ProductPlan.Path path(Product.Kind kind, int rows, int in, int out) {
        for (int i = 0; i < chosen.size(); i++) {
            Chosen c = chosen.get(i);
            if (c.kind() == kind && c.rows() == rows && c.in() == in && c.out() == out) return c.choice().path();
        }
        Product p = new Product(kind, rows, in, out);
        return remember(kind, rows, in, out, plan.choose(p, this::measure)).path();
    }

    private ProductPlan.Choice remember(Product.Kind kind, int rows, int in, int out, ProductPlan.Choice c) {
        for (Chosen x : chosen)
            if (x.kind() == kind && x.rows() == rows && x.in() == in && x.out() == out) return x.choice();
        chosen.add(new Chosen(kind, rows, in, out, c));
        return c;
    }

    /** y = x w^T; w is rows-out x in. */
    void linear(CpuTensor x, CpuTensor w, CpuTensor y, int rows, int in, int out) {
        linear(path(Product.Kind.FORWARD, rows, in, out), x, w, y, rows, in, out);
    }

    /** dx (+)= dy w. */
    void backwardInput(CpuTensor dy, CpuTensor w, CpuTensor dx, int rows, int in, int out, boolean accumulate) {
        backwardInput(path(Product.Kind.INPUT_GRADIENT, rows, in, out), dy, w, dx, rows, in, out, accumulate);
    }

    /** dw (+)= dy^T x, dw float32. */
    void backwardWeight(CpuTensor dy, CpuTensor x, CpuTensor dw, int rows, int in, int out, boolean accumulate) {
        backwardWeight(path(Product.Kind.WEIGHT_GRADIENT, rows, in, out), dy, x, dw, rows, in, out, accumulate);
    }

    private void linear(ProductPlan.Path path, CpuTensor x, CpuTensor w, CpuTensor y, int rows, int in, int out) {
        if (path == ProductPlan.Path.JAVA) {
            sgemm.gemm(false, true, rows, out, in, 1f, x.a(), x.off(), in, rounded(w), 0, in, 0f, y.a(), y.off(), out);
            if (y.bf16()) round.run(pool, y);
            return;
        }
        MemorySegment a = packInto(x, rows * in, 0);
        run(rows, in, out, false, true, a, native16(w), y, false);
    }

    private void backwardInput(ProductPlan.Path path, CpuTensor dy, CpuTensor w, CpuTensor dx, int rows, int in, int out, boolean accumulate) {
        if (path == ProductPlan.Path.JAVA) {
            sgemm.gemm(false, false, rows, in, out, 1f, dy.a(), dy.off(), out, rounded(w), 0, in, accumulate ? 1f : 0f, dx.a(), dx.off(), in);
            if (dx.bf16()) round.run(pool, dx);
            return;
        }
        MemorySegment a = packInto(dy, rows * out, 0);
        run(rows, out, in, false, false, a, native16(w), dx, accumulate);
    }

    private void backwardWeight(ProductPlan.Path path, CpuTensor dy, CpuTensor x, CpuTensor dw, int rows, int in, int out, boolean accumulate) {
        if (path == ProductPlan.Path.JAVA) {
            sgemm.gemm(true, false, out, in, rows, 1f, dy.a(), dy.off(), out, x.a(), x.off(), in, accumulate ? 1f : 0f, dw.a(), dw.off(), in);
            if (dw.bf16()) round.run(pool, dw);
            return;
        }
        MemorySegment a = packInto(dy, rows * out, 0);
        MemorySegment b = packInto(x, rows * in, 1);
        run(out, rows, in, true, false, a, b, dw, accumulate);
    }

    /**
     * Times every path this backend has on {@code p}'s shape (rows capped at {@link #MEASURE_ROWS}),
     * on bfloat16 values of a fixed seed, into tensors of its own: nothing the model holds is read or
     * written. Each path runs once untimed (oneDNN builds its kernel then), then the paths take
     * turns, {@link #TRIALS} times each for at least {@link #MEASURE_NANOS}, so that a machine
     * getting busier or quieter meanwhile favours neither; each path's fastest trial counts.
     */
    ProductPlan.Choice measure(Product p) {
        long began = System.nanoTime();
        try {
            return measureNow(p);
        } finally {
            measuring += System.nanoTime() - began;
        }
    }

    /** Nanoseconds this backend has spent measuring products. */
    long measuringNanos() {
        return measuring;
    }

    private ProductPlan.Choice measureNow(Product p) {
        if (!warm) {
            warm = true;
            // small products of every kind on every path: the JIT compiles our kernels (and OpenMP starts its threads) on cheap runs
            for (Product.Kind k : Product.Kind.values()) measureNow(new Product(k, WARM_UP_ROWS, p.in(), p.out()));
            measureNow(p); // the compiler threads are still busy with the larger kernels: this one is slow on both paths
        }
        if (p.flops() < NATIVE_MIN_FLOPS) return new ProductPlan.Choice(ProductPlan.Path.JAVA, Double.NaN, Double.NaN);
        int rows = Math.min(p.rows(), MEASURE_ROWS), in = p.in(), out = p.out();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(p.key().hashCode());
        boolean dW = p.kind() == Product.Kind.WEIGHT_GRADIENT;
        CpuTensor a = filled(rows * (p.kind() == Product.Kind.FORWARD ? in : out), rng, true);
        CpuTensor b = filled(dW ? rows * in : out * in, rng, dW);
        CpuTensor c = filled(dW ? out * in : rows * (p.kind() == Product.Kind.FORWARD ? out : in), rng, !dW);
        ProductPlan.Path[] paths = dnnl == null ? new ProductPlan.Path[] {ProductPlan.Path.JAVA} : ProductPlan.Path.values();
        Runnable[] runs = new Runnable[paths.length];
        double[] best = new double[paths.length];
        for (int i = 0; i < paths.length; i++) {
            ProductPlan.Path path = paths[i];
            runs[i] = switch (p.kind()) {
                case FORWARD -> () -> linear(path, a, b, c, rows, in, out);
                case INPUT_GRADIENT -> () -> backwardInput(path, a, b, c, rows, in, out, false);
                case WEIGHT_GRADIENT -> () -> backwardWeight(path, a, b, c, rows, in, out, false);
            };
            runs[i].run();
            best[i] = Double.MAX_VALUE;
        }
        for (int trial = 0; trial < TRIALS; trial++)
            for (int i = 0; i < paths.length; i++) best[i] = Math.min(best[i], secondsPerRun(runs[i]));
        copies.remove(b);
        versions.remove(b.a());
        double flops = 2.0 * rows * in * out, java = flops / best[0] / 1e9;
        return dnnl == null ? new ProductPlan.Choice(ProductPlan.Path.JAVA, java, Double.NaN) : ProductPlan.Choice.of(java, flops / best[1] / 1e9);
    }

    private static double secondsPerRun(Runnable once) {
        long start = System.nanoTime(), elapsed;
        int n = 0;
        do {
            once.run();
            n++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < MEASURE_NANOS);
        return elapsed / 1e9 / n;
    }

    private static CpuTensor filled(int n, java.util.SplittableRandom rng, boolean bf16) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = Bf16.round((float) rng.nextDouble(-1, 1));
        return new CpuTensor(v, 0, n, bf16 ? hrm.tensor.DataType.BFLOAT16 : hrm.tensor.DataType.FLOAT32);
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
        return c;
    }

    private int version(CpuTensor w) {
        return versions.get(w.a())[0];
    }

    /** The weight's values rounded to bfloat16, as floats (the Java path). */
    private float[] rounded(CpuTensor w) {
        WeightCopy c = copy(w);
        int v = version(w);
        if (c.roundedVersion != v) {
            if (c.rounded == null) c.rounded = new float[w.len()];
            System.arraycopy(w.a(), w.off(), c.rounded, 0, w.len());
            Bf16.roundInPlace(c.rounded, 0, w.len());
            c.roundedVersion = v;
        }
        return c.rounded;
    }

    /** The weight as native bfloat16 values (the oneDNN path). */
    private MemorySegment native16(CpuTensor w) {
        WeightCopy c = copy(w);
        int v = version(w);
        if (c.nativeVersion != v) {
            if (c.native16 == null) c.native16 = grow(2L * w.len());
            Bf16.pack(w.a(), w.off(), w.len(), c.native16, 0);
            c.nativeVersion = v;
        }
        return c.native16;
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
