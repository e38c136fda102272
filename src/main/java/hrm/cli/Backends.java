package hrm.cli;

import hrm.tensor.DataType;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.cpu.WorkerPool;
import hrm.tensor.dnnl.OneDnn;

import java.io.PrintWriter;

/**
 * Where every command gets its compute backend: the CPU backend, with its bfloat16 matrix products
 * on oneDNN where the activations are bfloat16, the library loads and the CPU has bfloat16
 * instructions; otherwise on the Java kernels after one line saying why. {@code HRM_NATIVE=off}
 * keeps to the Java kernels, {@code HRM_NATIVE=require} makes a missing native path an error (exit 2).
 */
final class Backends {
    static final String POLICY_VARIABLE = "HRM_NATIVE";

    private Backends() {}

    /** The float32 CPU backend on {@code threads} worker threads; 0 or less: one per core. */
    static CpuBackend cpu(int threads) {
        return new CpuBackend(threads > 0 ? threads : WorkerPool.defaultThreads());
    }

    /** The CPU backend for activations of type {@code act}; the notice (if any) goes to {@code err}. */
    static CpuBackend cpu(int threads, DataType act, PrintWriter err) {
        return cpu(threads, act, err, System.getenv(POLICY_VARIABLE), OneDnn.get().orElse(null), nativeUnavailable());
    }

    /**
     * The choice itself, with the policy ({@value #POLICY_VARIABLE}'s value, null for auto), the
     * library (null when it did not load) and why it cannot be used (null when it can) given.
     */
    static CpuBackend cpu(int threads, DataType act, PrintWriter err, String policy, OneDnn dnnl, String unavailable) {
        int t = threads > 0 ? threads : WorkerPool.defaultThreads();
        policy = policy == null || policy.isBlank() ? "auto" : policy.trim();
        if (!policy.equals("auto") && !policy.equals("off") && !policy.equals("require"))
            throw new IllegalArgumentException(POLICY_VARIABLE + " = " + policy + ": expected auto, off or require");
        if (act != DataType.BFLOAT16 || policy.equals("off")) return new CpuBackend(t);
        if (unavailable == null && dnnl != null) return new CpuBackend(t, dnnl);
        String why = unavailable != null ? unavailable : "oneDNN did not load";
        if (policy.equals("require")) throw new IllegalStateException(why + " (" + POLICY_VARIABLE + "=require)");
        err.println("note: bfloat16 matrix products run on the Java kernels (correct, slower): " + why);
        err.flush();
        return new CpuBackend(t);
    }

    /** What a run's header says about how it computes. */
    static String describe(DataType act, CpuBackend be) {
        if (act != DataType.BFLOAT16) return "float32";
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

    /** Why the native bfloat16 products cannot be used here, or null when they can. */
    static String nativeUnavailable() {
        var dnnl = OneDnn.get();
        if (dnnl.isEmpty()) return OneDnn.unavailableReason();
        if (!dnnl.get().nativeBf16())
            return "oneDNN " + dnnl.get().version() + " loaded, but this CPU has no bfloat16 instructions (AVX512-BF16 or AMX)";
        return null;
    }
}
