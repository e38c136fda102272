package hrm.tensor.cpu;

import hrm.tensor.Product;
import hrm.tensor.Tensor;
import hrm.tensor.dnnl.BfMatmul;
import hrm.tensor.dnnl.OneDnn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The linear layers' matrix products when the activations are bfloat16: bfloat16 inputs (the
 * activations are bfloat16 already; the float32 master weight is read through a 2-byte bfloat16 copy),
 * float32 accumulation, the result rounded to the output's type. Each product runs on the path its
 * {@link ProductPlan} gives for its shape: oneDNN's bfloat16 kernels (AMX or AVX512-BF16) over
 * native bfloat16 buffers, or our float32 Sgemm over the same bfloat16 values, which gives the same
 * numbers up to summation order. Which is faster depends on the machine (and on the shape), so
 * where both exist the plan measures them ({@link #measureAll}).
 *
 * <p>A weight's copy (2 bytes a value, in native memory; one for both paths: oneDNN reads it as it
 * is, the Java kernels widen it as they pack it, {@link Sgemm#gemmMixed}) is made when first used and again when the
 * weight's {@link hrm.tensor.Version} has moved past the one it was made at (the parameters count
 * their writes; no kernel reports what it wrote); a weight without a version is copied at every
 * use. Native scratch buffers grow to the largest product seen and are
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
    /** How long each implementation runs untimed before {@link #timeTwo} times it. */
    static final long WARM_UP_NANOS = 100_000_000;
    private static final Product.Kind[] LINEAR_KINDS = {Product.Kind.FORWARD, Product.Kind.INPUT_GRADIENT, Product.Kind.WEIGHT_GRADIENT};
    /** A product's turns are spread over at least this long (more rounds where there are few products). */
    static final long SPREAD_NANOS = 300_000_000;
    /** How long the measurement waits, at most, for the JIT's compiler threads to finish what they are compiling. */
    static final long QUIET_WAIT_NANOS = 1_000_000_000;
    /** A product measured this many times slower than the fastest on its path takes its turns again. */
    static final double OUTLIER = 4;
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
    private final List<BfMatmul> primitives = new ArrayList<>();
    private final List<Chosen> chosen = new ArrayList<>(); // looked up without allocating
    private boolean warm;
    private long measuring;
    private MemorySegment scratchA = MemorySegment.NULL, scratchB = MemorySegment.NULL, scratchC = MemorySegment.NULL;
    private final PackTask pack = new PackTask();
    private final UnpackTask unpack = new UnpackTask();
    private final RoundTask round = new RoundTask();

    /** The bfloat16 copy of one weight tensor, as of a version of its parameters. */
    private static final class WeightCopy {
        long version = -1;
        MemorySegment w16;
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

    /** The choices for {@code products}, measured now where the plan has none. */
    Map<Product, ProductPlan.Choice> plan(List<Product> products) {
        Map<Product, ProductPlan.Choice> out = plan.chooseAll(products, measurer);
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
        Chosen c = find(kind, rows, in, out);
        if (c != null) return c.choice().path();
        return remember(kind, rows, in, out, plan.choose(new Product(kind, rows, in, out), measurer)).path();
    }

    /** This backend's choice for the product, or null; an indexed loop, so the step loop allocates nothing. */
    private Chosen find(Product.Kind kind, int rows, int in, int out) {
        for (int i = 0; i < chosen.size(); i++) {
            Chosen c = chosen.get(i);
            if (c.kind() == kind && c.rows() == rows && c.in() == in && c.out() == out) return c;
        }
        return null;
    }

    private ProductPlan.Choice remember(Product.Kind kind, int rows, int in, int out, ProductPlan.Choice c) {
        Chosen known = find(kind, rows, in, out);
        if (known != null) return known.choice();
        chosen.add(new Chosen(kind, rows, in, out, c));
        return c;
    }

    /** y = x w^T; w is rows-out x in. */
    void linear(Tensor x, CpuTensor w, Tensor y, int rows, int in, int out) {
        ProductPlan.Path path = path(Product.Kind.FORWARD, rows, in, out);
        linear(path, x, current(w), y, rows, in, out);
    }

    /** dx (+)= dy w. */
    void backwardInput(Tensor dy, CpuTensor w, Tensor dx, int rows, int in, int out, boolean accumulate) {
        ProductPlan.Path path = path(Product.Kind.INPUT_GRADIENT, rows, in, out);
        backwardInput(path, dy, current(w), dx, rows, in, out, accumulate);
    }

    /** dw (+)= dy^T x, dw float32. */
    void backwardWeight(Tensor dy, Tensor x, CpuTensor dw, int rows, int in, int out, boolean accumulate) {
        backwardWeight(path(Product.Kind.WEIGHT_GRADIENT, rows, in, out), dy, x, dw, rows, in, out, accumulate);
    }

    private void linear(ProductPlan.Path path, Tensor x, WeightCopy w, Tensor y, int rows, int in, int out) {
        if (path == ProductPlan.Path.JAVA) {
            sgemm.gemmMixed(false, true, rows, out, in, 1f, floats(x), values(x), offset(x), in, null, w.w16, 0, in,
                    0f, floats(y), values(y), offset(y), out);
            roundFloats(y);
            return;
        }
        MemorySegment a = packInto(x, rows * in, 0);
        run(rows, in, out, false, true, a, w.w16, y, false);
    }

    private void backwardInput(ProductPlan.Path path, Tensor dy, WeightCopy w, Tensor dx, int rows, int in, int out, boolean accumulate) {
        if (path == ProductPlan.Path.JAVA) {
            sgemm.gemmMixed(false, false, rows, in, out, 1f, floats(dy), values(dy), offset(dy), out, null, w.w16, 0, in,
                    accumulate ? 1f : 0f, floats(dx), values(dx), offset(dx), in);
            roundFloats(dx);
            return;
        }
        MemorySegment a = packInto(dy, rows * out, 0);
        run(rows, out, in, false, false, a, w.w16, dx, accumulate);
    }

    private void backwardWeight(ProductPlan.Path path, Tensor dy, Tensor x, CpuTensor dw, int rows, int in, int out, boolean accumulate) {
        if (path == ProductPlan.Path.JAVA) {
            sgemm.gemmMixed(true, false, out, in, rows, 1f, floats(dy), values(dy), offset(dy), out, floats(x), values(x), offset(x), in,
                    accumulate ? 1f : 0f, dw.a(), null, dw.off(), in);
            if (dw.bf16()) round.run(pool, dw);
            return;
        }
        MemorySegment a = packInto(dy, rows * out, 0);
        MemorySegment b = packInto(x, rows * in, 1);
        run(out, rows, in, true, false, a, b, dw, accumulate);
    }

    /** A tensor's floats on the heap, or null where it is a 2-byte one ({@link #values}). */
    private static float[] floats(Tensor t) {
        return t instanceof CpuTensor c ? c.a() : null;
    }

    /** A 2-byte tensor's values, or null where it is on the heap ({@link #floats}). */
    private static MemorySegment values(Tensor t) {
        return t instanceof Bf16Tensor h ? h.data() : null;
    }

    private static int offset(Tensor t) {
        return t instanceof CpuTensor c ? c.off() : 0;
    }

    /** A bfloat16 result the Java kernels wrote as floats, rounded (a 2-byte one was rounded as it was stored). */
    private void roundFloats(Tensor t) {
        if (t instanceof CpuTensor c && c.bf16()) round.run(pool, c);
    }

    /** Measures for the plan: all the products it lacks together, their turns interleaved. */
    private final ProductPlan.Measurer measurer = new ProductPlan.Measurer() {
        @Override
        public ProductPlan.Choice measure(Product p) {
            return measureAll(List.of(p)).get(p);
        }

        @Override
        public Map<Product, ProductPlan.Choice> measureAll(List<Product> ps) {
            return Bf16Linear.this.measureAll(ps);
        }
    };

    /**
     * Times every path this backend has on each product's shape (rows capped at {@link #MEASURE_ROWS}),
     * on bfloat16 values of its own (nothing the model holds is read or written). Each path runs once
     * untimed (oneDNN builds its kernel then); then, {@link #TRIALS} times over, every product takes
     * a turn on every path of at least {@link #MEASURE_NANOS}, so that each product's turns are spread
     * over the whole measurement and a moment when the machine is busy (the JIT compiling, another
     * process) slows one turn, not a product's every turn; each path's fastest turn counts.
     */
    Map<Product, ProductPlan.Choice> measureAll(List<Product> ps) {
        long began = System.nanoTime();
        try (Arena scratch = Arena.ofShared()) { // shared: the Java path's workers read the weights' copies
            if (!warm) {
                warm = true;
                // small products of every kind on every path: the JIT compiles our kernels (and OpenMP starts its threads) on cheap runs
                Product first = ps.get(0);
                List<Product> small = new ArrayList<>();
                for (Product.Kind k : LINEAR_KINDS) small.add(new Product(k, WARM_UP_ROWS, first.in(), first.out()));
                timeTogether(small, scratch, false);
                timeTogether(List.of(first), scratch, false); // the compiler threads are still busy with the larger kernels: slow on both paths
            }
            List<Product> measured = new ArrayList<>();
            for (Product p : ps) if (p.flops() >= NATIVE_MIN_FLOPS) measured.add(p);
            quietCompiler();
            Map<Product, ProductPlan.Choice> timed = timeTogether(measured, scratch, true);
            Map<Product, ProductPlan.Choice> out = new java.util.LinkedHashMap<>();
            for (Product p : ps) out.put(p, timed.getOrDefault(p, ProductPlan.Choice.unmeasured(ProductPlan.Path.JAVA)));
            return out;
        } finally {
            measuring += System.nanoTime() - began;
        }
    }

    /** Nanoseconds this backend has spent measuring products. */
    long measuringNanos() {
        return measuring;
    }

    /** One product's operands and its runs on each path. */
    private final class Turns {
        final Product p;
        final Runnable[] runs;
        final double[] best;
        final double flops;

        Turns(Product p, ProductPlan.Path[] paths, Arena scratch) {
            this.p = p;
            int rows = Math.min(p.rows(), MEASURE_ROWS), in = p.in(), out = p.out();
            java.util.SplittableRandom rng = new java.util.SplittableRandom(p.key().hashCode());
            boolean dW = p.kind() == Product.Kind.WEIGHT_GRADIENT;
            CpuTensor a = filled(rows * (p.kind() == Product.Kind.FORWARD ? in : out), rng, true);
            CpuTensor b = filled(dW ? rows * in : out * in, rng, dW);
            CpuTensor c = filled(dW ? out * in : rows * (p.kind() == Product.Kind.FORWARD ? out : in), rng, !dW);
            WeightCopy w = new WeightCopy(); // the weight's copies, made here: the model's are not touched
            if (!dW) {
                w.w16 = scratch.allocate(2L * b.len(), 64);
                Bf16.pack(b.a(), 0, b.len(), w.w16, 0);
            }
            flops = 2.0 * rows * in * out;
            runs = new Runnable[paths.length];
            best = new double[paths.length];
            for (int i = 0; i < paths.length; i++) {
                ProductPlan.Path path = paths[i];
                runs[i] = switch (p.kind()) {
                    case FORWARD -> () -> linear(path, a, w, c, rows, in, out);
                    case INPUT_GRADIENT -> () -> backwardInput(path, a, w, c, rows, in, out, false);
                    case WEIGHT_GRADIENT -> () -> backwardWeight(path, a, b, c, rows, in, out, false);
                    case ATTENTION -> throw new IllegalArgumentException("attention is measured by the backend, not as a linear product");
                };
                runs[i].run();
                best[i] = Double.MAX_VALUE;
            }
        }

        ProductPlan.Choice choice() {
            double java = flops / best[0] / 1e9;
            return runs.length == 1 ? new ProductPlan.Choice(ProductPlan.Path.JAVA, java, Double.NaN) : ProductPlan.Choice.of(java, flops / best[1] / 1e9);
        }
    }

    /** Times {@code ps} together; {@code spread}: their turns spread over at least {@link #SPREAD_NANOS} (not for warming up). */
    private Map<Product, ProductPlan.Choice> timeTogether(List<Product> ps, Arena scratch, boolean spread) {
        ProductPlan.Path[] paths = dnnl == null ? new ProductPlan.Path[] {ProductPlan.Path.JAVA} : ProductPlan.Path.values();
        List<Turns> all = new ArrayList<>();
        for (Product p : ps) all.add(new Turns(p, paths, scratch));
        // every product's turns spread over at least SPREAD_NANOS, however few the products
        int rounds = !spread ? 1 : (int) Math.max(TRIALS, Math.ceil(SPREAD_NANOS / ((double) MEASURE_NANOS * paths.length * Math.max(1, all.size()))));
        takeTurns(all, paths.length, rounds);
        // A product far slower than the others on a path was perhaps measured while something else had the cores:
        // it takes its turns again (a product that is slow by its shape, a narrow output head, only costs a few ms)
        double[] fastest = new double[paths.length];
        for (Turns t : all)
            for (int i = 0; i < paths.length; i++) fastest[i] = Math.max(fastest[i], t.flops / t.best[i]);
        List<Turns> slow = new ArrayList<>();
        for (Turns t : all)
            for (int i = 0; i < paths.length; i++)
                if (t.flops / t.best[i] < fastest[i] / OUTLIER && !slow.contains(t)) slow.add(t);
        takeTurns(slow, paths.length, TRIALS);
        Map<Product, ProductPlan.Choice> out = new java.util.LinkedHashMap<>();
        for (Turns t : all) out.put(t.p, t.choice());
        return out;
    }

    /**
     * Waits (up to {@link #QUIET_WAIT_NANOS}) until the JIT has compiled nothing for 100 ms: on a
     * machine of two cores a compiler thread takes half of it, and what was just set up (the model's
     * initialisation) leaves the compiler busy for a while, which would slow whichever product is
     * measured meanwhile.
     */
    private static void quietCompiler() {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        long end = System.nanoTime() + QUIET_WAIT_NANOS, last = jit.getTotalCompilationTime(), quietSince = System.nanoTime();
        while (System.nanoTime() < end && System.nanoTime() - quietSince < 100_000_000) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
    }

    /** Two implementations of one computation timed in turns (after one untimed run each); each one's fastest turn counts. */
    static ProductPlan.Choice timeTwo(Runnable java, Runnable onednn, double flops) {
        // the first runs compile the kernels: each runs for a while untimed, then the compiler is left to finish
        for (int round = 0; round < 2; round++) { // twice: what the first round queued for compiling is in place for the second
            for (Runnable r : new Runnable[] {java, onednn})
                for (long end = System.nanoTime() + WARM_UP_NANOS; System.nanoTime() < end; ) r.run();
            quietCompiler();
        }
        double bestJava = Double.MAX_VALUE, bestOnednn = Double.MAX_VALUE;
        for (int trial = 0; trial < TRIALS; trial++) {
            bestJava = Math.min(bestJava, secondsPerRun(java));
            bestOnednn = Math.min(bestOnednn, secondsPerRun(onednn));
        }
        return ProductPlan.Choice.of(flops / bestJava / 1e9, flops / bestOnednn / 1e9);
    }

    private static void takeTurns(List<Turns> all, int paths, int rounds) {
        for (int trial = 0; trial < rounds; trial++)
            for (Turns t : all)
                for (int i = 0; i < paths; i++) t.best[i] = Math.min(t.best[i], secondsPerRun(t.runs[i]));
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
    private void run(int m, int k, int n, boolean transA, boolean transB, MemorySegment a, MemorySegment b, Tensor c, boolean accumulate) {
        boolean bf16Out = c.dtype() == hrm.tensor.DataType.BFLOAT16 && !accumulate;
        BfMatmul mm = primitive(m, k, n, transA, transB, bf16Out);
        if (bf16Out && c instanceof Bf16Tensor h) { // written in place: nothing to widen
            dnnl.setThreads(pool.threads());
            pool.rest();
            mm.run(stream, a, b, h.data());
            return;
        }
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

    private MemorySegment packInto(Tensor x, int n, int which) {
        if (x instanceof Bf16Tensor h) return h.data(); // read in place
        CpuTensor src = (CpuTensor) x;
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
        }
        return c;
    }

    /** The weight's bfloat16 copy, made again where the weight's version moved (or it has none). */
    private WeightCopy current(CpuTensor w) {
        WeightCopy c = copy(w);
        long v = w.version() == null ? -2 : w.version().value(); // -2: no version, never up to date
        if (c.version != v || v == -2) {
            if (c.w16 == null) c.w16 = grow(2L * w.len());
            // packed by the workers' PackTask, as activations are (and Bf16.pack's vector loop stays out of this caller)
            PackTask t = pack;
            t.src = w.a();
            t.off = w.off();
            t.dst = c.w16;
            t.launch(pool, w.len(), 16384);
            c.version = v;
        }
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
        Tensor dst;
        boolean accumulate, widen;

        @Override
        void rows(int from, int to, int worker) {
            if (dst instanceof Bf16Tensor h) { // float32 results added to 2-byte values: each sum rounded once
                for (int i = from; i < to; i++) {
                    float v = Bf16.fromBits(h.data().get(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i))
                            + src.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 4L * i);
                    h.data().set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i, Bf16.bits(v));
                }
                return;
            }
            CpuTensor dst = (CpuTensor) this.dst;
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
