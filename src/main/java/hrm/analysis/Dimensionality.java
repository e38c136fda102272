package hrm.analysis;

import hrm.data.PuzzleDataset;
import hrm.data.TestBatches;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.tensor.Backend;

import java.util.function.LongConsumer;

/**
 * The dimensionality hierarchy of the paper's section 4 (Fig. 8): the participation ratio of the
 * states z_H and z_L visit. Trajectory k is the k-th example of the test split in file order, run
 * from the reset carry for halt_max_steps segments without halting; its rows are the hidden vectors
 * of the cell positions (puzzle-embedding rows excluded) of z_H after every H update and of z_L
 * after every L update. The PR of the rows of the first n trajectories is reported for every n.
 * The whole-state variant takes one row per update instead: all its cells' hidden vectors side by
 * side (cells x hidden columns), through the Gram matrix ({@link GramParticipation}).
 */
public final class Dimensionality {
    /**
     * PR of z_H and z_L over the first n trajectories, at index n - 1: {@code zH, zL} with a row per
     * cell and update, {@code wholeH, wholeL} with a row per update (null where not asked for).
     */
    public record Curve(double[] zH, double[] zL, double[] wholeH, double[] wholeL) {
        public int trajectories() {
            return zH.length;
        }

        public boolean hasWholeState() {
            return wholeH != null;
        }
    }

    private Dimensionality() {}

    /**
     * Runs the first {@code trajectories} examples of {@code test} through {@code act} (built for
     * the batch it is run in, on {@code be}) and returns the PR curves, with the whole-state variant
     * when {@code wholeState}; {@code progress} sees the trajectories done.
     */
    public static Curve run(HrmAct act, Backend be, PuzzleDataset test, int trajectories, boolean wholeState, LongConsumer progress) {
        ModelConfig cfg = act.inner().config();
        if (trajectories < 1 || trajectories > test.examples())
            throw new IllegalArgumentException("trajectories = " + trajectories + ": the test split of " + test.dir() + " has "
                    + test.examples() + " examples (give 1 to " + test.examples() + ")");
        int d = cfg.hiddenSize(), tokens = cfg.tokens(), first = cfg.puzzleEmbLen();
        Covariance allH = new Covariance(d), allL = new Covariance(d), oneH = new Covariance(d), oneL = new Covariance(d);
        double[] prH = new double[trajectories], prL = new double[trajectories];
        int cells = (tokens - first) * d;
        GramParticipation wholeH = wholeState ? new GramParticipation(cells) : null, wholeL = wholeState ? new GramParticipation(cells) : null;
        int[] rowsH = new int[trajectories], rowsL = new int[trajectories];
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
                        if (wholeState) (rec.isHigh(u) ? wholeH : wholeL).add(z, (r * tokens + first) * d);
                    }
                    allH.addAll(oneH);
                    allL.addAll(oneL);
                    prH[done] = allH.participationRatio();
                    prL[done] = allL.participationRatio();
                    if (wholeState) {
                        rowsH[done] = wholeH.rows();
                        rowsL[done] = wholeL.rows();
                    }
                    done++;
                }
                progress.accept(done);
            }
        } finally {
            act.inner().setTrace(null);
        }
        if (!wholeState) return new Curve(prH, prL, null, null);
        double[] gH = new double[trajectories], gL = new double[trajectories];
        for (int k = 0; k < trajectories; k++) {
            gH[k] = wholeH.participationRatio(rowsH[k]);
            gL[k] = wholeL.participationRatio(rowsL[k]);
        }
        return new Curve(prH, prL, gH, gL);
    }
}
