package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/** The ACT carry: the recurrent state, the segment count, the halting flags and each row's data. */
public final class Carry {
    public final Tensor zH, zL;
    public final int[] steps;
    public final boolean[] halted;
    public final int[] inputs, labels, puzzleIdentifiers;

    /** The initial carry: every row halted, so the first call loads the batch. */
    public Carry(Backend be, ModelConfig cfg) {
        int b = cfg.batchSize(), n = b * cfg.tokens() * cfg.hiddenSize();
        zH = be.allocate(n, cfg.activationType());
        zL = be.allocate(n, cfg.activationType());
        steps = new int[b];
        halted = new boolean[b];
        java.util.Arrays.fill(halted, true);
        inputs = new int[b * cfg.seqLen()];
        labels = new int[b * cfg.seqLen()];
        puzzleIdentifiers = new int[b];
    }

    public boolean allHalted() {
        for (boolean h : halted) if (!h) return false;
        return true;
    }
}
