package hrm.eval;

import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One puzzle (or several of one size, as the rows of one batch) through the model, segment by
 * segment, as evaluation runs it (halt_max_steps segments), keeping each segment's prediction and
 * halting logits so a caller can show the answer forming and where ACT would have stopped.
 */
public final class SinglePuzzleRun {
    /**
     * One segment's argmax tokens and Q logits; {@code wouldHalt}: whether ACT's training rule
     * (the family's, {@link ModelConfig#actHalts}; exploration aside) would stop after this segment.
     */
    public record Segment(int[] prediction, float qHalt, float qContinue, boolean wouldHalt) {
    }

    private SinglePuzzleRun() {}

    /** @param act a model built for batch size 1 */
    public static List<Segment> run(HrmAct act, int[] inputs, int puzzleIdentifier) {
        return runAll(act, List.of(inputs), new int[] {puzzleIdentifier}).get(0);
    }

    /**
     * Several puzzles of one size as the rows of one batch, each row's segments as {@link #run}
     * gives them (every row runs halt_max_steps segments, as evaluation runs them).
     *
     * @param act a model built for batch size {@code inputs.size()}
     */
    public static List<List<Segment>> runAll(HrmAct act, List<int[]> inputs, int[] puzzleIdentifiers) {
        ModelConfig cfg = act.inner().config();
        int n = inputs.size(), s = cfg.seqLen();
        if (cfg.batchSize() != n) throw new IllegalArgumentException("build the model with batch_size " + n + ", not " + cfg.batchSize());
        int[] all = new int[n * s], labels = new int[n * s];
        for (int b = 0; b < n; b++) {
            if (inputs.get(b).length != s)
                throw new IllegalArgumentException("the puzzle has " + inputs.get(b).length + " cells, the model " + s);
            System.arraycopy(inputs.get(b), 0, all, b * s, s);
        }
        java.util.Arrays.fill(labels, -100);
        Batch batch = new Batch(all, labels, puzzleIdentifiers.clone());
        Carry carry = act.initialCarry();
        List<List<Segment>> out = new ArrayList<>();
        for (int b = 0; b < n; b++) out.add(new ArrayList<>());
        int[] pred = new int[n * s];
        do {
            act.evalStep(carry, batch);
            act.inner().logits().argmax(pred);
            float[] q = act.inner().qHost();
            for (int b = 0; b < n; b++)
                out.get(b).add(new Segment(java.util.Arrays.copyOfRange(pred, b * s, (b + 1) * s), q[2 * b], q[2 * b + 1], cfg.actHalts(q[2 * b], q[2 * b + 1])));
        } while (!carry.allHalted());
        return out;
    }
}
