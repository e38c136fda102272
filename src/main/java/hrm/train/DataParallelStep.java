package hrm.train;

import hrm.dist.Cluster;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.Exploration;
import hrm.model.Metrics;
import hrm.tensor.Tensor;

/**
 * One rank's optimiser step of a data-parallel run (docs/model.md §9, docs/distributed.md): the
 * one-process step on this rank's rows, with the exchange between the backward and the optimisers.
 * The gradients (of loss / global_batch_size) are summed over the ranks in place, every rank's
 * puzzle identifiers and row gradients are gathered so that each rank's sign-SGD sees the rows of
 * the whole global batch, and the metric sums are added up; then every rank runs the optimisers on
 * the same numbers, so all ranks hold the same weights after every step, those of one process up to
 * the order of summation.
 */
public final class DataParallelStep implements TrainingStep {
    private final TrainStep local;
    private final Cluster cluster;
    private final int globalBatchSize;
    private final int[] idsAll;
    private final Tensor rowsAll; // null without a puzzle embedding
    private long collectiveNanos, stepNanos, steps;

    /** What the exchange cost so far: bytes each rank sends into the collectives per step, and the mean seconds per step in them and in the whole step. */
    public record Cost(double bytesPerStep, double collectiveSeconds, double stepSeconds) {}

    /** {@code local}'s model has this rank's rows: the global batch is its batch times the ranks. */
    public DataParallelStep(TrainStep local, Cluster cluster) {
        this.local = local;
        this.cluster = cluster;
        this.globalBatchSize = local.params().config().batchSize() * cluster.size();
        this.idsAll = new int[globalBatchSize];
        Tensor rows = local.puzzleRowGrads();
        this.rowsAll = rows == null ? null : local.backend().allocate(rows.size() * cluster.size());
    }

    @Override
    public int globalBatchSize() {
        return globalBatchSize;
    }

    @Override
    public TrainStep local() {
        return local;
    }

    @Override
    public Metrics run(long step, Carry carry, Batch batch, Exploration exploration, double lr, double puzzleLr) {
        long t0 = System.nanoTime();
        Metrics m = local.act().trainStep(carry, batch, exploration, globalBatchSize);
        long t1 = System.nanoTime();
        cluster.sum(local.params().grads());
        cluster.gatherInts(carry.puzzleIdentifiers, idsAll);
        if (rowsAll != null) cluster.gather(local.puzzleRowGrads(), rowsAll);
        m.sumOver(cluster::sumDoubles);
        collectiveNanos += System.nanoTime() - t1;
        TrainingStep.checkFinite(step, m, globalBatchSize);
        local.stepOptimisers(idsAll, rowsAll, lr, puzzleLr);
        stepNanos += System.nanoTime() - t0;
        steps++;
        return m;
    }

    /** The cost of the steps run so far; null before the first. */
    public Cost cost() {
        if (steps == 0) return null;
        double bytes = 4.0 * local.params().trainableSize() + (rowsAll == null ? 0 : 4.0 * rowsAll.size() / cluster.size())
                + 4.0 * idsAll.length / cluster.size() + 8.0 * Metrics.reducedValues();
        return new Cost(bytes, collectiveNanos / 1e9 / steps, stepNanos / 1e9 / steps);
    }
}
