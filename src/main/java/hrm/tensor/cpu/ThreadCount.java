package hrm.tensor.cpu;

/**
 * The one bound on worker threads that every command shares ({@code threads=} of train, eval and
 * demo, {@code --threads} of solve, bench and the Sudoku data commands): 1 to {@value #MAX}.
 *
 * <p>Why a bound at all: {@link WorkerPool}'s workers spin between the loops of a step, so a pool far
 * beyond the cores does not just waste memory, it slows every loop by the number of threads. Measured
 * on 2 cores, a 2-second evaluation took 7.5 s with 256 threads, 40 s with 1024, and with 5000 it did
 * not finish. Why a fixed number and not a multiple of the cores: the value lives in configurations
 * and in every checkpoint's all_config.yaml, which must load on any machine. {@value #MAX} is more
 * than the cores of any machine this runs on; the default (one thread per core) is capped by it too.
 */
public final class ThreadCount {
    public static final int MAX = 256;

    private ThreadCount() {}

    /** {@code requested} when it is 1 to {@value #MAX}; otherwise bad input naming the option and the bound. */
    public static int check(String option, long requested) {
        if (requested < 1 || requested > MAX)
            throw new IllegalArgumentException(option + " = " + requested + ": expected 1 to " + MAX + " worker threads");
        return (int) requested;
    }

    /** The default (one per core) when {@code requested} is null, else {@link #check}. */
    public static int orDefault(String option, Integer requested) {
        return requested == null ? WorkerPool.defaultThreads() : check(option, requested);
    }
}
