package hrm.eval;

import hrm.data.PuzzleSet;
import hrm.model.Batch;

/** Receives each evaluated batch's final predictions (after the last ACT segment). */
public interface PredictionSink {
    /**
     * @param set       the set the batch came from
     * @param start     index in the set of the batch's first example
     * @param count     real (unpadded) rows
     * @param batch     the batch as fed (inputs, labels with -100, puzzle identifiers)
     * @param predicted argmax token per cell, batch x seqLen
     * @param qHalt     q_halt logit per row
     */
    void accept(PuzzleSet set, int start, int count, Batch batch, int[] predicted, float[] qHalt);
}
