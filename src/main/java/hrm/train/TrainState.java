package hrm.train;

import hrm.dist.Cluster;
import hrm.model.Carry;
import hrm.model.Parameters;
import hrm.tensor.Backend;
import hrm.tensor.Tensor;

import java.util.Arrays;

/**
 * Everything a run needs to continue bit-identically, on the host: the weights, the optimiser
 * moments, the counters, the sampler's position and the ACT carry (training streams the carry from
 * one step to the next, so it is part of the state). Exploration and batch order are functions of
 * (seed, step) and (seed, pass), so they need no generator state. A weight array is null when a
 * checkpoint loader has put those weights in place itself. {@code emaShadow} is the moving average
 * of the trainable weights (TRM's ema; null without it).
 *
 * <p>With N ranks the carry is that of the whole global batch, every rank's rows in rank order
 * ({@link #capture} gathers them, {@link #restore} takes this rank's), so a state saved with N ranks
 * continues with any other number.
 */
public record TrainState(
        long step, int pass, int batchesInPass, boolean passFinished,
        float[] weights, float[] hInit, float[] lInit, float[] puzzleTable,
        float[] adamM, float[] adamV, long adamSteps,
        float[] carryZH, float[] carryZL, int[] carrySteps, boolean[] carryHalted,
        int[] carryInputs, int[] carryLabels, int[] carryPuzzleIdentifiers, float[] emaShadow) {

    /**
     * The state of a run at this position (step, pass, batches taken in the pass, whether the pass
     * is over): {@code model}'s weights, optimiser and moving average, and the carry of every rank (a
     * collective: every rank calls it).
     */
    public static TrainState capture(long step, int pass, int batchesInPass, boolean passFinished, TrainStep model, Carry carry, Cluster cluster) {
        Backend be = model.backend();
        Parameters params = model.params();
        boolean[] halted = carry.halted;
        int[] haltedInts = new int[halted.length];
        for (int i = 0; i < halted.length; i++) haltedInts[i] = halted[i] ? 1 : 0;
        int[] allHalted = gather(haltedInts, cluster);
        boolean[] globalHalted = new boolean[allHalted.length];
        for (int i = 0; i < allHalted.length; i++) globalHalted[i] = allHalted[i] != 0;
        return new TrainState(step, pass, batchesInPass, passFinished,
                host(be, params.flat()), params.hInit() == null ? null : host(be, params.hInit()), params.lInit() == null ? null : host(be, params.lInit()),
                params.puzzleTable() == null ? new float[0] : host(be, params.puzzleTable()),
                host(be, model.adam().firstMoment()), host(be, model.adam().secondMoment()), model.adam().stepCount(),
                gather(carry.zH, be, cluster), gather(carry.zL, be, cluster), gather(carry.steps.clone(), cluster), globalHalted,
                gather(carry.inputs.clone(), cluster), gather(carry.labels.clone(), cluster), gather(carry.puzzleIdentifiers.clone(), cluster),
                model.ema() == null ? null : host(be, model.ema().shadow()));
    }

    /**
     * Puts this state's weights (those it holds), optimiser, moving average and this rank's rows of
     * the carry into {@code model} and {@code carry}, built from the same configuration; the position
     * (step, pass, ...) is the caller's to take.
     */
    public void restore(TrainStep model, Carry carry, Cluster cluster) {
        Backend be = model.backend();
        Parameters params = model.params();
        // null: those weights were loaded already (from a checkpoint's state dict)
        if (weights != null) upload(be, weights, params.flat(), "weights");
        if (hInit != null) upload(be, hInit, params.hInit(), "H_init");
        if (lInit != null) upload(be, lInit, params.lInit(), "L_init");
        if (puzzleTable != null && params.puzzleTable() != null) upload(be, puzzleTable, params.puzzleTable(), "puzzle_emb.weights");
        params.written();
        if (model.ema() != null) {
            if (emaShadow == null) throw new IllegalArgumentException("the run has ema: True but the checkpoint holds no moving average");
            upload(be, emaShadow, model.ema().shadow(), "EMA shadow");
        }
        upload(be, adamM, model.adam().firstMoment(), "Adam first moment");
        upload(be, adamV, model.adam().secondMoment(), "Adam second moment");
        model.adam().setStepCount(adamSteps);
        // the state holds the carry of the whole global batch: this rank takes its rows
        int n = cluster.size(), r = cluster.rank();
        upload(be, slice(carryZH, n, r, "carry z_H"), carry.zH, "carry z_H");
        upload(be, slice(carryZL, n, r, "carry z_L"), carry.zL, "carry z_L");
        copy(slice(carrySteps, n, r, "carry steps"), carry.steps, "carry steps");
        if (carryHalted.length != carry.halted.length * n) throw new IllegalArgumentException("carry halted: wrong size");
        System.arraycopy(carryHalted, r * carry.halted.length, carry.halted, 0, carry.halted.length);
        copy(slice(carryInputs, n, r, "carry inputs"), carry.inputs, "carry inputs");
        copy(slice(carryLabels, n, r, "carry labels"), carry.labels, "carry labels");
        copy(slice(carryPuzzleIdentifiers, n, r, "carry puzzle identifiers"), carry.puzzleIdentifiers, "carry puzzle identifiers");
    }

    /** Every rank's rows of {@code mine}, on the host. */
    private static float[] gather(Tensor mine, Backend be, Cluster cluster) {
        if (cluster.size() == 1) return host(be, mine);
        Tensor all = be.allocate(mine.size() * cluster.size(), mine.dtype());
        cluster.gather(mine, all);
        return host(be, all);
    }

    private static int[] gather(int[] mine, Cluster cluster) {
        if (cluster.size() == 1) return mine;
        int[] all = new int[mine.length * cluster.size()];
        cluster.gatherInts(mine, all);
        return all;
    }

    private static float[] slice(float[] all, int n, int r, String what) {
        int len = sliceLength(all.length, n, what);
        return Arrays.copyOfRange(all, r * len, (r + 1) * len);
    }

    private static int[] slice(int[] all, int n, int r, String what) {
        int len = sliceLength(all.length, n, what);
        return Arrays.copyOfRange(all, r * len, (r + 1) * len);
    }

    private static int sliceLength(int all, int n, String what) {
        if (all % n != 0) throw new IllegalArgumentException(what + ": " + all + " values do not split over " + n + " ranks");
        return all / n;
    }

    private static float[] host(Backend be, Tensor t) {
        float[] out = new float[t.size()];
        be.download(t, out, 0);
        return out;
    }

    private static void upload(Backend be, float[] src, Tensor dst, String what) {
        if (src.length != dst.size())
            throw new IllegalArgumentException(what + ": " + src.length + " values, the model needs " + dst.size());
        be.upload(src, 0, dst);
    }

    private static void copy(int[] src, int[] dst, String what) {
        if (src.length != dst.length) throw new IllegalArgumentException(what + ": " + src.length + " values, expected " + dst.length);
        System.arraycopy(src, 0, dst, 0, dst.length);
    }
}
