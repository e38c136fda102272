package hrm.tensor.cpu;

/**
 * A parallel loop over rows, cut into chunks big enough to amortise the hand-off between threads.
 * Kernels extend it once and set their operands in fields before {@link #launch}, so a launch
 * allocates nothing.
 */
abstract class RowTask implements WorkerPool.Task {
    private int rows;
    private int chunk;

    /** Processes rows [from, to) on thread slot {@code worker}. */
    abstract void rows(int from, int to, int worker);

    final void launch(WorkerPool pool, int rows, int minChunk) {
        this.rows = rows;
        int perThread = Math.max(1, rows / (pool.threads() * 4));
        this.chunk = Math.max(minChunk, perThread);
        pool.run((rows + chunk - 1) / chunk, this);
    }

    @Override
    public final void run(int index, int worker) {
        int from = index * chunk;
        rows(from, Math.min(rows, from + chunk), worker);
    }
}
