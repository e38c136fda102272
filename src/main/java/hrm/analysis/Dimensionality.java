package hrm.analysis;

import hrm.data.PuzzleDataset;
import hrm.data.TestBatches;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.HrmConfig;
import hrm.tensor.Backend;

import java.util.function.LongConsumer;

/**
 * The dimensionality hierarchy of the paper's section 4 (Fig. 8): the participation ratio of the
 * states z_H and z_L visit. Trajectory k is the k-th example of the test split in file order, run
 * from the reset carry for halt_max_steps segments without halting; its rows are the hidden vectors
 * of the cell positions (puzzle-embedding rows excluded) of z_H after every H update and of z_L
 * after every L update. The PR of the rows of the first n trajectories is reported for every n.
 */
public final class Dimensionality {
    /** PR of z_H and z_L over the first n trajectories, at index n - 1. */
    public record Curve(double[] zH, double[] zL) {
        public int trajectories() {
            return zH.length;
        }
    }

    private Dimensionality() {}

    /**
     * Runs the first {@code trajectories} examples of {@code test} through {@code act} (built for
     * the batch it is run in, on {@code be}) and returns the PR curves; {@code progress} sees the trajectories done.
     */
    public static Curve run(HrmAct act, Backend be, PuzzleDataset test, int trajectories, LongConsumer progress) {
        HrmConfig cfg = act.inner().config();
        if (trajectories < 1 || trajectories > test.examples())
            throw new IllegalArgumentException("trajectories = " + trajectories + ": the test split of " + test.dir() + " has "
                    + test.examples() + " examples (give 1 to " + test.examples() + ")");
        int d = cfg.hiddenSize(), tokens = cfg.tokens(), first = cfg.puzzleEmbLen();
        Covariance allH = new Covariance(d), allL = new Covariance(d), oneH = new Covariance(d), oneL = new Covariance(d);
        double[] prH = new double[trajectories], prL = new double[trajectories];
        StateRecorder rec = new StateRecorder(be, cfg);
        act.inner().setTrace(rec);
        try {
            TestBatches batches = new TestBatches(test, cfg.batchSize());
            Batch batch = batches.newBatch();
            Carry carry = act.initialCarry();
            int done = 0;
            while (done < trajectories && batches.next(batch)) {
                rec.clear();
                act.evalToEnd(carry, batch);
                int rows = Math.min(batches.count(), trajectories - done);
                for (int r = 0; r < rows; r++) {
                    oneH.clear();
                    oneL.clear();
                    for (int u = 0; u < rec.updates(); u++) {
                        Covariance c = rec.isHigh(u) ? oneH : oneL;
                        float[] z = rec.state(u);
                        for (int t = first; t < tokens; t++) c.add(z, (r * tokens + t) * d);
                    }
                    allH.addAll(oneH);
                    allL.addAll(oneL);
                    prH[done] = allH.participationRatio();
                    prL[done] = allL.participationRatio();
                    done++;
                }
                progress.accept(done);
            }
        } finally {
            act.inner().setTrace(null);
        }
        return new Curve(prH, prL);
    }
}
