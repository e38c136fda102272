package hrm.runtime;

import hrm.tensor.Backend;
import hrm.tensor.DataType;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.cpu.WorkerPool;
import hrm.tensor.dnnl.OneDnn;

import hrm.tensor.Product;
import hrm.tensor.cpu.ProductPlan;
import hrm.tensor.cpu.ProductPlanStore;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Where every command gets its compute backend: the CPU backend with, where the activations are
 * bfloat16, each matrix product on the faster of oneDNN and the Java kernels for its shape, as
 * measured on this machine the first time the shape is seen ({@link ProductPlan}, kept under the
 * cache directory). Where the library cannot be had, one line says why and every product runs on
 * the Java kernels. {@code HRM_NATIVE=off} keeps to the Java kernels, {@code HRM_NATIVE=require}
 * puts every product on oneDNN and makes a missing library an error (exit 2). A run that does not
 * use the library (float32, or off) never loads it, nor touches its cache.
 */
public final class Backends {
    /** The environment variable that says where bfloat16 products run: auto (unset), off or require. */
    public static final String POLICY_VARIABLE = "HRM_NATIVE";

    private Backends() {}

    /** The library where its bfloat16 products can be used ({@code unavailable} null), else why not ({@code dnnl} then null). */
    public record NativePath(OneDnn dnnl, String unavailable) {}

    /** The float32 CPU backend on {@code threads} worker threads; 0 or less: one per core. */
    static CpuBackend cpu(int threads) {
        return new CpuBackend(threads > 0 ? threads : WorkerPool.defaultThreads());
    }

    /** The CPU backend for activations of type {@code act}; the notice (if any) goes to {@code err}. */
    public static Backend cpu(int threads, DataType act, PrintWriter err) {
        return cpu(threads, act, err, System.getenv(POLICY_VARIABLE), Backends::nativePath, Backends::storeForThisMachine);
    }

    static CpuBackend cpu(int threads, DataType act, PrintWriter err, String policy, Supplier<NativePath> lookup) {
        return cpu(threads, act, err, policy, lookup, Backends::storeForThisMachine);
    }

    /** Where this machine's measured choices are kept, for a backend of {@code threads} threads on {@code dnnl}. */
    interface StoreFinder {
        ProductPlanStore find(int threads, OneDnn dnnl, PrintWriter err);
    }

    static ProductPlanStore storeForThisMachine(int threads, OneDnn dnnl, PrintWriter err) {
        return ProductPlanStore.forThisMachine(threads, CpuBackend.nativeLibrary(dnnl), line -> {
            err.println(line);
            err.flush();
        });
    }

    /**
     * The choice itself, with the policy ({@value #POLICY_VARIABLE}'s value, null for auto), how to
     * find the native path and where the measured choices are kept given; {@code lookup} is called
     * only by a run that would use it, as loading extracts and maps the library (a float32 run must
     * not depend on its cache).
     */
    static CpuBackend cpu(int threads, DataType act, PrintWriter err, String policy, Supplier<NativePath> lookup, StoreFinder stores) {
        return cpu(threads, act, err, policy, lookup, stores, false, UnaryOperator.identity());
    }

    /**
     * As {@link #cpu(int, DataType, PrintWriter)}, for models of several batch sizes that must
     * compute each sample exactly as the model of one sample does ({@code oneSample}: that model's
     * products): where products are chosen by measurement, each takes the path of its one-sample
     * product ({@link ProductPlan#perSample}). Forced paths are the same at every size already.
     */
    public static Backend sampleExact(int threads, DataType act, PrintWriter err, List<Product> oneSample) {
        return cpu(threads, act, err, System.getenv(POLICY_VARIABLE), Backends::nativePath, Backends::storeForThisMachine, false,
                plan -> plan.perSample(oneSample));
    }

    /** As {@link #cpu(int, DataType, PrintWriter)}, measuring every product again ({@code hrm tune}) where they are chosen by measurement. */
    static CpuBackend forTuning(int threads, DataType act, PrintWriter err) {
        return cpu(threads, act, err, System.getenv(POLICY_VARIABLE), Backends::nativePath, Backends::storeForThisMachine, true, UnaryOperator.identity());
    }

    /**
     * {@code hrm tune}: measures again, on a backend of {@code threads} threads for bfloat16
     * activations, the products {@code announce} plans on it (a training model of the shape
     * {@code shapeName}), keeps the choices where runs on this machine find them, and writes the
     * table of rates and choices to {@code out} (notices to {@code err}). Where the products' paths
     * are forced ({@value #POLICY_VARIABLE}), says so and measures nothing.
     */
    public static void tune(int threads, PrintWriter out, PrintWriter err, String shapeName, Consumer<Backend> announce) {
        try (CpuBackend be = forTuning(threads, DataType.BFLOAT16, err)) {
            ProductPlan plan = be.productPlan();
            if (plan.forcedPath() != null) {
                out.println("every bfloat16 product runs on " + plan.forcedPath().label
                        + (plan.forcedPath() == ProductPlan.Path.JAVA ? "" : " (" + POLICY_VARIABLE + "=require)") + "; nothing to choose");
                return;
            }
            announce.accept(be);
            out.printf(Locale.ROOT, "%-22s %12s %12s  %s%n", "product (rows x in x out)", "Java GFLOP/s", "oneDNN", "chosen");
            be.productChoices().forEach((p, c) -> out.printf(Locale.ROOT, "%-22s %12s %12s  %s%n", p.key(), rate(c.javaGflops()),
                    rate(c.onednnGflops()), Double.isNaN(c.javaGflops()) ? c.path().label + " (too small to measure)" : c.path().label));
            out.printf(Locale.ROOT, "%s, %d threads: measured in %.1f s; kept in %s%n", shapeName, threads, be.productMeasuringSeconds(),
                    plan.store().file());
        }
    }

    private static String rate(double gflops) {
        return Double.isNaN(gflops) ? "-" : String.format(Locale.ROOT, "%.0f", gflops);
    }

    private static CpuBackend cpu(int threads, DataType act, PrintWriter err, String policy, Supplier<NativePath> lookup, StoreFinder stores,
                                  boolean again, UnaryOperator<ProductPlan> measuredPlan) {
        int t = threads > 0 ? threads : WorkerPool.defaultThreads();
        policy = policy == null || policy.isBlank() ? "auto" : policy.trim();
        if (!policy.equals("auto") && !policy.equals("off") && !policy.equals("require"))
            throw new IllegalArgumentException(POLICY_VARIABLE + " = " + policy + ": expected auto, off or require");
        if (act != DataType.BFLOAT16 || policy.equals("off")) return new CpuBackend(t);
        NativePath found = lookup.get();
        if (found.unavailable() == null && found.dnnl() != null) {
            if (policy.equals("require")) return new CpuBackend(t, found.dnnl());
            ProductPlanStore store = stores.find(t, found.dnnl(), err);
            return new CpuBackend(t, found.dnnl(), measuredPlan.apply(again ? ProductPlan.measuredAgain(store) : ProductPlan.measured(store)));
        }
        String why = found.unavailable() != null ? found.unavailable() : "oneDNN did not load";
        if (policy.equals("require")) throw new IllegalArgumentException(why + " (" + POLICY_VARIABLE + "=require)");
        err.println("note: bfloat16 matrix products run on the Java kernels: " + why);
        err.flush();
        return new CpuBackend(t);
    }

    /** {@link #cpu(int, DataType, PrintWriter)} with its notice on stderr. */
    public static Backend cpu(int threads, DataType act) {
        return cpu(threads, act, new PrintWriter(System.err, true));
    }

    /** Loads the library (once per process) and says whether its bfloat16 products can be used here. */
    public static NativePath nativePath() {
        var dnnl = OneDnn.get();
        if (dnnl.isEmpty()) return new NativePath(null, OneDnn.unavailableReason());
        if (!dnnl.get().nativeBf16())
            return new NativePath(null, "oneDNN " + dnnl.get().version() + " loaded, but this CPU has no bfloat16 instructions (AVX512-BF16 or AMX)");
        return new NativePath(dnnl.get(), null);
    }
}
