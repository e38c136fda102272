package hrm.train;

import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.Exploration;
import hrm.model.HrmAct;
import hrm.model.Metrics;
import hrm.model.Parameters;
import hrm.tensor.Backend;

/**
 * One optimiser step of training (HRM or TRM): a training segment for every row, then sign-SGD on
 * the puzzle-embedding rows the batch touched, then AdamATan2 on every other parameter, in the
 * reference's order; then, when enabled (TRM's ema), the moving average of the weights.
 */
public final class TrainStep {
    private final HrmAct act;
    private final Parameters params;
    private final AdamATan2 adam;
    private final SignSgd sign;
    private final boolean freezeWeights;
    private Ema ema;

    public TrainStep(Parameters params, Backend backend, OptimiserSettings s) {
        this.params = params;
        this.act = new HrmAct(params, backend, true);
        this.adam = new AdamATan2(backend, params.flat(), params.grads(), s.beta1(), s.beta2(), s.weightDecay());
        this.sign = params.puzzleTable() == null ? null
                : new SignSgd(backend, params.puzzleTable(), params.config().puzzleEmbNdim(), s.puzzleEmbWeightDecay());
        // freeze_weights trains only the puzzle embedding (the author's trainer then builds no AdamATan2)
        this.freezeWeights = s.freezeWeights() && sign != null;
    }

    /** From now on every step ends with the moving-average update (the shadow starts as the current weights). */
    public Ema enableEma(Backend backend, double rate) {
        ema = new Ema(backend, params, rate);
        return ema;
    }

    /** The moving average, or null when not enabled. */
    public Ema ema() {
        return ema;
    }

    public HrmAct act() {
        return act;
    }

    public AdamATan2 adam() {
        return adam;
    }

    public Carry initialCarry() {
        return act.initialCarry();
    }

    /** Runs the segment and both optimisers; returns this call's raw metric sums. */
    public Metrics run(Carry carry, Batch batch, Exploration exploration, int globalBatchSize, double lr, double puzzleLr) {
        Metrics m = act.trainStep(carry, batch, exploration, globalBatchSize);
        stepOptimisers(carry, lr, puzzleLr);
        return m;
    }

    /** Sign-SGD on the rows the last segment used, then AdamATan2, from the gradients it left. */
    public void stepOptimisers(Carry carry, double lr, double puzzleLr) {
        stepOptimisers(carry.puzzleIdentifiers, act.inner().puzzleRowsGrad(), lr, puzzleLr);
    }

    /**
     * The same with the puzzle rows given: a data-parallel run passes every rank's identifiers and
     * row gradients, gathered, so that each rank's sign-SGD sees the rows of the whole global batch.
     */
    public void stepOptimisers(int[] puzzleIds, hrm.tensor.Tensor puzzleRowGrads, double lr, double puzzleLr) {
        if (sign != null) sign.step(puzzleIds, puzzleRowGrads, puzzleLr);
        if (!freezeWeights) adam.step(lr);
        if (ema != null) ema.update();
    }

    public Parameters params() {
        return params;
    }
}
