package hrm.train;

import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.Exploration;
import hrm.model.HrmAct;
import hrm.model.Metrics;
import hrm.model.Parameters;
import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * One optimiser step of training (HRM or TRM) in one process: a training segment for every row,
 * then sign-SGD on the puzzle-embedding rows the batch touched, then AdamATan2 on every other
 * parameter, in the reference's order; then, when enabled (TRM's ema), the moving average of the
 * weights. The parameters are told once that the optimisers wrote them ({@link Parameters#written}).
 */
public final class TrainStep implements TrainingStep {
    private final HrmAct act;
    private final Parameters params;
    private final Backend be;
    private final AdamATan2 adam;
    private final SignSgd sign;
    private final boolean freezeWeights;
    private Ema ema;

    public TrainStep(Parameters params, Backend backend, OptimiserSettings s) {
        this.params = params;
        this.be = backend;
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

    public Backend backend() {
        return be;
    }

    public Carry initialCarry() {
        return act.initialCarry();
    }

    /** The batch of the model: one process trains on all of the global batch. */
    @Override
    public int globalBatchSize() {
        return params.config().batchSize();
    }

    @Override
    public TrainStep local() {
        return this;
    }

    @Override
    public Metrics run(long step, Carry carry, Batch batch, Exploration exploration, double lr, double puzzleLr) {
        Metrics m = act.trainStep(carry, batch, exploration, globalBatchSize());
        TrainingStep.checkFinite(step, m, globalBatchSize());
        stepOptimisers(carry, lr, puzzleLr);
        return m;
    }

    /** The gradients of the puzzle-embedding rows the last segment used (batch x puzzle_emb_ndim), or null without a puzzle embedding. */
    public Tensor puzzleRowGrads() {
        return act.inner().puzzleRowsGrad();
    }

    /** Sign-SGD on the rows the last segment used, then AdamATan2, from the gradients it left. */
    public void stepOptimisers(Carry carry, double lr, double puzzleLr) {
        stepOptimisers(carry.puzzleIdentifiers, puzzleRowGrads(), lr, puzzleLr);
    }

    /**
     * The same with the puzzle rows given: a data-parallel run passes every rank's identifiers and
     * row gradients, gathered, so that each rank's sign-SGD sees the rows of the whole global batch.
     */
    public void stepOptimisers(int[] puzzleIds, Tensor puzzleRowGrads, double lr, double puzzleLr) {
        if (sign != null) sign.step(puzzleIds, puzzleRowGrads, puzzleLr);
        if (!freezeWeights) adam.step(lr);
        if (ema != null) ema.update();
        params.written();
    }

    public Parameters params() {
        return params;
    }
}
