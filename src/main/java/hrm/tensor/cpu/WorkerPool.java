package hrm.tensor.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that run one parallel loop at a time.
 *
 * <p>The caller thread takes part in every loop, so a pool of {@code n} threads starts {@code n - 1}
 * workers. Indices are handed out one at a time from a shared counter, so uneven tasks balance
 * themselves. Nothing is allocated per loop: callers pass long-lived {@link Task} objects.
 * Workers spin briefly before parking, since the loops of one training step follow each other
 * within microseconds.
 */
public final class WorkerPool implements AutoCloseable {

    /** One unit of a parallel loop. */
    @FunctionalInterface
    public interface Task {
        /** Runs chunk {@code index}; {@code worker} is in [0, threads) and selects per-thread scratch. */
        void run(int index, int worker);
    }

    private static final int SPINS = 20_000;

    private final Thread[] workers;
    /** (generation << 32) | next index: a worker that wakes late cannot take an index of a later loop. */
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    /** Set between loops when the cores are about to go to another library's threads: workers park instead of spinning. */
    private volatile boolean resting;
    private volatile Task task;
    private volatile int count;
    private volatile Throwable failure;

    public WorkerPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            final int id = i + 1;
            Thread t = new Thread(() -> workerLoop(id), "hrm-worker-" + id);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Number of threads that execute tasks, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code task.run(i, worker)} for every i in [0, n) and returns when all are done. */
    public void run(int n, Task t) {
        if (n <= 0) return;
        if (workers.length == 0 || n == 1) {
            for (int i = 0; i < n; i++) t.run(i, 0);
            return;
        }
        resting = false;
        int gen = generation + 1;
        // Close the previous loop's ticket before its task and count are replaced: a worker that saw
        // the old generation but reads the new task and count must find no index left to take.
        ticket.set((long) gen << 32);
        task = t;
        count = n;
        failure = null;
        pending.set(n);
        generation = gen;
        for (Thread w : workers) LockSupport.unpark(w);
        drain(t, n, gen, 0);
        int spins = 0;
        while (pending.get() > 0) {
            if (++spins > SPINS) Thread.yield();
            else Thread.onSpinWait();
        }
        task = null;
        Throwable f = failure;
        if (f != null) {
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
            throw new RuntimeException(f);
        }
    }

    private void drain(Task t, int n, int gen, int worker) {
        while (true) {
            long s = ticket.get();
            if ((int) (s >>> 32) != gen) return;
            int i = (int) s;
            if (i >= n) return;
            if (!ticket.compareAndSet(s, s + 1)) continue;
            try {
                t.run(i, worker);
            } catch (Throwable e) {
                failure = e;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private void workerLoop(int id) {
        int seen = 0;
        while (!closed) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS && !resting) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            Task t = task;
            int n = count;
            if (t != null) drain(t, n, seen, id);
        }
    }

    /**
     * Tells the workers to park now rather than spin for the next loop: called before a native
     * library runs its own threads on these cores (oneDNN's products), which spinning workers would
     * slow down. The next {@link #run} wakes them as usual.
     */
    public void rest() {
        resting = true;
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }

    /** Ids of this pool's worker threads (the caller's thread not included), for allocation accounting. */
    public long[] workerThreadIds() {
        long[] ids = new long[workers.length];
        for (int i = 0; i < workers.length; i++) ids[i] = workers[i].threadId();
        return ids;
    }

    /** Threads to use by default: every core the JVM sees, at most {@link ThreadCount#MAX}. */
    public static int defaultThreads() {
        return Math.min(Runtime.getRuntime().availableProcessors(), ThreadCount.MAX);
    }
}
