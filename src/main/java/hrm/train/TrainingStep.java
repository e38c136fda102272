package hrm.train;

import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.Exploration;
import hrm.model.Metrics;

/**
 * One optimiser step of training, the one API that {@link Trainer} and {@code hrm bench} run: a
 * training segment for every row of this process's batch (docs/model.md §6), then the optimisers
 * (docs/model.md §8). {@link TrainStep} is one process; {@link DataParallelStep} wraps it for a rank of a
 * data-parallel run, adding the exchange between the ranks.
 */
public sealed interface TrainingStep permits TrainStep, DataParallelStep {
    /**
     * Runs step number {@code step} on the carry (the rows that halted take the batch's) and returns
     * the metric sums of the whole global batch. The gradients are of loss / {@link #globalBatchSize}.
     *
     * @throws TrainingDivergedException when the loss is not finite, before any weight moves
     */
    Metrics run(long step, Carry carry, Batch batch, Exploration exploration, double lr, double puzzleLr);

    /** The rows that one optimiser step learns from, over every process of the run. */
    int globalBatchSize();

    /** The one-process step underneath: the model, its optimisers and its moving average. */
    TrainStep local();

    /** Throws when the loss of {@code m} (sums over {@code globalBatchSize} rows) is not finite: what {@link #run} checks before the optimisers. */
    static void checkFinite(long step, Metrics m, int globalBatchSize) {
        double loss = m.loss() / globalBatchSize;
        if (!Double.isFinite(loss)) throw new TrainingDivergedException(step, loss);
    }
}
