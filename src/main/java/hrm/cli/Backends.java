package hrm.cli;

import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.cpu.WorkerPool;

/**
 * Where every command gets its compute backend: the one place that will choose between the float32
 * Java kernels and the bfloat16 / native ones (and a GPU later) from the configuration.
 */
final class Backends {
    private Backends() {}

    /** The CPU backend on {@code threads} worker threads; 0 or less: one per core. */
    static CpuBackend cpu(int threads) {
        return new CpuBackend(threads > 0 ? threads : WorkerPool.defaultThreads());
    }
}
