package hrm.cli;

import hrm.tensor.DataType;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.cpu.WorkerPool;
import hrm.tensor.dnnl.OneDnn;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Where every command gets its compute backend: the CPU backend, with its bfloat16 matrix products
 * on oneDNN where the activations are bfloat16, the library loads and the CPU has bfloat16
 * instructions; otherwise on the Java kernels after one line saying why. {@code HRM_NATIVE=off}
 * keeps to the Java kernels, {@code HRM_NATIVE=require} makes a missing native path an error (exit 2).
 * A run that does not use the library (float32, or off) never loads it, nor touches its cache.
 */
final class Backends {
    static final String POLICY_VARIABLE = "HRM_NATIVE";

    private Backends() {}

    /** The library where its bfloat16 products can be used ({@code unavailable} null), else why not ({@code dnnl} then null). */
    record NativePath(OneDnn dnnl, String unavailable) {}

    /** The float32 CPU backend on {@code threads} worker threads; 0 or less: one per core. */
    static CpuBackend cpu(int threads) {
        return new CpuBackend(threads > 0 ? threads : WorkerPool.defaultThreads());
    }

    /** The CPU backend for activations of type {@code act}; the notice (if any) goes to {@code err}. */
    static CpuBackend cpu(int threads, DataType act, PrintWriter err) {
        return cpu(threads, act, err, System.getenv(POLICY_VARIABLE), Backends::nativePath);
    }

    /**
     * The choice itself, with the policy ({@value #POLICY_VARIABLE}'s value, null for auto) and how
     * to find the native path given; {@code lookup} is called only by a run that would use it, as
     * loading extracts and maps the library (a float32 run must not depend on its cache).
     */
    static CpuBackend cpu(int threads, DataType act, PrintWriter err, String policy, Supplier<NativePath> lookup) {
        int t = threads > 0 ? threads : WorkerPool.defaultThreads();
        policy = policy == null || policy.isBlank() ? "auto" : policy.trim();
        if (!policy.equals("auto") && !policy.equals("off") && !policy.equals("require"))
            throw new IllegalArgumentException(POLICY_VARIABLE + " = " + policy + ": expected auto, off or require");
        if (act != DataType.BFLOAT16 || policy.equals("off")) return new CpuBackend(t);
        NativePath found = lookup.get();
        if (found.unavailable() == null && found.dnnl() != null) return new CpuBackend(t, found.dnnl());
        String why = found.unavailable() != null ? found.unavailable() : "oneDNN did not load";
        if (policy.equals("require")) throw new IllegalStateException(why + " (" + POLICY_VARIABLE + "=require)");
        err.println("note: bfloat16 matrix products run on the Java kernels (correct, slower): " + why);
        err.flush();
        return new CpuBackend(t);
    }

    /** What a run's header says about how it computes. */
    static String describe(DataType act, CpuBackend be) {
        if (act != DataType.BFLOAT16) return "float32";
        // nativeBf16 means the library was loaded for this backend, so asking for it loads nothing
        return be.nativeBf16() ? "bfloat16 (products on oneDNN " + OneDnn.get().orElseThrow().version() + ")" : "bfloat16 (products on the Java kernels)";
    }

    /**
     * What a run's numbers depend on beyond its configuration, recorded in its checkpoints: the
     * dtype, oneDNN's version and the instruction set its kernels chose (AMX and AVX512-BF16
     * products round differently), and the width of the Java kernels' vectors (which sets their
     * order of summation). Two runs that agree on this string compute the same bits.
     */
    static String computePath(DataType act, CpuBackend be) {
        String java = "Java kernels " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit";
        if (act != DataType.BFLOAT16) return "float32, " + java;
        if (!be.nativeBf16()) return "bfloat16, " + java;
        OneDnn d = OneDnn.get().orElseThrow();
        return "bfloat16, products on oneDNN " + d.version() + " (isa 0x" + Integer.toHexString(d.cpuIsa()) + "), " + java;
    }

    static CpuBackend cpu(int threads, DataType act) {
        return cpu(threads, act, new PrintWriter(System.err, true));
    }

    /** Loads the library (once per process) and says whether its bfloat16 products can be used here. */
    static NativePath nativePath() {
        var dnnl = OneDnn.get();
        if (dnnl.isEmpty()) return new NativePath(null, OneDnn.unavailableReason());
        if (!dnnl.get().nativeBf16())
            return new NativePath(null, "oneDNN " + dnnl.get().version() + " loaded, but this CPU has no bfloat16 instructions (AVX512-BF16 or AMX)");
        return new NativePath(dnnl.get(), null);
    }
}
