package hrm.train;

import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.Exploration;
import hrm.model.HrmAct;
import hrm.model.Metrics;
import hrm.model.Parameters;
import hrm.tensor.Backend;

/**
 * One optimiser step of HRM training: a training segment for every row (with the one-step
 * gradient), then sign-SGD on the puzzle-embedding rows the batch touched, then AdamATan2 on every
 * other parameter, in the reference's order.
 */
public final class TrainStep {
    private final HrmAct act;
    private final Parameters params;
    private final AdamATan2 adam;
    private final SignSgd sign;

    public TrainStep(Parameters params, Backend backend, OptimiserSettings s) {
        this.params = params;
        this.act = new HrmAct(params, backend, true);
        this.adam = new AdamATan2(backend, params.flat(), params.grads(), s.beta1(), s.beta2(), s.weightDecay());
        this.sign = params.puzzleTable() == null ? null
                : new SignSgd(backend, params.puzzleTable(), params.config().puzzleEmbNdim(), s.puzzleEmbWeightDecay());
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
        if (sign != null) sign.step(carry.puzzleIdentifiers, act.inner().puzzleRowsGrad(), puzzleLr);
        adam.step(lr);
    }

    public Parameters params() {
        return params;
    }
}
