package hrm.train;

/**
 * Everything a run needs to continue bit-identically, on the host: the weights, the optimiser
 * moments, the counters, the sampler's position and the ACT carry (training streams the carry from
 * one step to the next, so it is part of the state). Exploration and batch order are functions of
 * (seed, step) and (seed, pass), so they need no generator state. A weight array is null when a
 * checkpoint loader has put those weights in place itself. {@code emaShadow} is the moving average
 * of the trainable weights (TRM's ema; null without it).
 */
public record TrainState(
        long step, int pass, int batchesInPass, boolean passFinished,
        float[] weights, float[] hInit, float[] lInit, float[] puzzleTable,
        float[] adamM, float[] adamV, long adamSteps,
        float[] carryZH, float[] carryZL, int[] carrySteps, boolean[] carryHalted,
        int[] carryInputs, int[] carryLabels, int[] carryPuzzleIdentifiers, float[] emaShadow) {
}
