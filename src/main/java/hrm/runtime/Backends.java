package hrm.runtime;

import hrm.tensor.DataType;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.cpu.WorkerPool;
import hrm.tensor.dnnl.OneDnn;

import hrm.tensor.Product;
import hrm.tensor.cpu.ProductPlan;
import hrm.tensor.cpu.ProductPlanStore;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    public static CpuBackend cpu(int threads, DataType act, PrintWriter err) {
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
        return ProductPlanStore.forThisMachine(threads, nativeLibrary(dnnl), line -> {
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
    public static CpuBackend sampleExact(int threads, DataType act, PrintWriter err, List<Product> oneSample) {
        return cpu(threads, act, err, System.getenv(POLICY_VARIABLE), Backends::nativePath, Backends::storeForThisMachine, false,
                plan -> plan.perSample(oneSample));
    }

    /** As {@link #cpu(int, DataType, PrintWriter)}, measuring every product again ({@code hrm tune}) where they are chosen by measurement. */
    public static CpuBackend forTuning(int threads, DataType act, PrintWriter err) {
        return cpu(threads, act, err, System.getenv(POLICY_VARIABLE), Backends::nativePath, Backends::storeForThisMachine, true, UnaryOperator.identity());
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

    private static String nativeLibrary(OneDnn d) {
        return "oneDNN " + d.version() + " isa 0x" + Integer.toHexString(d.cpuIsa());
    }

    /**
     * What a run's header says about how it computes: for bfloat16, where its products run and,
     * where they were chosen by measurement, each path's share and measured rate.
     */
    public static String describe(DataType act, CpuBackend be) {
        if (act != DataType.BFLOAT16) return "float32";
        Map<Product, ProductPlan.Choice> choices = be.productChoices();
        ProductPlan plan = be.productPlan();
        if (plan.forcedPath() == ProductPlan.Path.JAVA) return "bfloat16 (products on the Java kernels)";
        String dnnl = "oneDNN " + OneDnn.get().orElseThrow().version(); // the backend has the library loaded: nothing is loaded here
        if (plan.forcedPath() == ProductPlan.Path.ONEDNN) return "bfloat16 (products on " + dnnl + ")";
        if (choices.isEmpty()) return "bfloat16 (products chosen by measurement: none planned yet)";
        StringBuilder b = new StringBuilder("bfloat16 (products chosen by measurement:");
        String sep = " ";
        for (ProductPlan.Path path : ProductPlan.Path.values()) {
            ProductPlan.Path other = path == ProductPlan.Path.JAVA ? ProductPlan.Path.ONEDNN : ProductPlan.Path.JAVA;
            double flops = 0, seconds = 0, otherSeconds = 0;
            int n = 0, unmeasured = 0;
            for (var e : choices.entrySet()) {
                ProductPlan.Choice c = e.getValue();
                if (c.path() != path) continue;
                n++;
                if (Double.isNaN(c.gflops())) {
                    unmeasured++;
                    continue;
                }
                flops += e.getKey().flops();
                seconds += e.getKey().flops() / (c.gflops() * 1e9);
                otherSeconds += e.getKey().flops() / ((path == ProductPlan.Path.JAVA ? c.onednnGflops() : c.javaGflops()) * 1e9);
            }
            if (n == 0) continue;
            b.append(sep).append(path == ProductPlan.Path.ONEDNN ? dnnl : "the " + path.label).append(" for ").append(n).append(" of ").append(choices.size());
            if (n > unmeasured)
                b.append(String.format(Locale.ROOT, " at %.0f GFLOP/s (%s: %.0f)", flops / seconds / 1e9,
                        other == ProductPlan.Path.ONEDNN ? dnnl : other.label, flops / otherSeconds / 1e9));
            if (unmeasured > 0) b.append(n > unmeasured ? ", " : " (").append(unmeasured).append(" too small to measure").append(n > unmeasured ? "" : ")");
            sep = "; ";
        }
        if (be.productMeasuringSeconds() >= 0.05) b.append(String.format(Locale.ROOT, "; measured now in %.1f s", be.productMeasuringSeconds()));
        if (plan.store() != null) b.append("; kept in ").append(plan.store().file());
        return b.append(')').toString();
    }

    /**
     * What a run's numbers depend on beyond its configuration, recorded in its checkpoints: the
     * dtype, which products ran on oneDNN (its version and the instruction set its kernels chose:
     * AMX and AVX512-BF16 products round differently), and the width of the Java kernels' vectors
     * (which sets their order of summation). Two runs that agree on this string compute the same bits.
     */
    public static String computePath(DataType act, CpuBackend be) {
        String java = "Java kernels " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit";
        if (act != DataType.BFLOAT16) return "float32, " + java;
        ProductPlan plan = be.productPlan();
        if (plan.forcedPath() == ProductPlan.Path.JAVA) return "bfloat16, " + java;
        String dnnl = nativeLibrary(OneDnn.get().orElseThrow());
        if (plan.forcedPath() == ProductPlan.Path.ONEDNN) return "bfloat16, products on " + dnnl + ", " + java;
        List<String> onDnnl = new ArrayList<>();
        be.productChoices().forEach((p, c) -> {
            if (c.path() == ProductPlan.Path.ONEDNN) onDnnl.add(p.key());
        });
        if (onDnnl.isEmpty()) return "bfloat16, " + java;
        Collections.sort(onDnnl);
        return "bfloat16, products on " + dnnl + " for " + String.join(", ", onDnnl) + ", " + java;
    }

    /** {@link #cpu(int, DataType, PrintWriter)} with its notice on stderr. */
    public static CpuBackend cpu(int threads, DataType act) {
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
