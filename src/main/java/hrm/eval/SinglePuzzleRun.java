package hrm.eval;

import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One puzzle through the model, segment by segment, as evaluation runs it (halt_max_steps
 * segments), keeping each segment's prediction and halting logits so a caller can show the answer
 * forming and where ACT would have stopped.
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
        ModelConfig cfg = act.inner().config();
        if (cfg.batchSize() != 1) throw new IllegalArgumentException("build the model with batch_size 1");
        if (inputs.length != cfg.seqLen())
            throw new IllegalArgumentException("the puzzle has " + inputs.length + " cells, the model " + cfg.seqLen());
        int[] labels = new int[inputs.length];
        java.util.Arrays.fill(labels, -100);
        Batch batch = new Batch(inputs.clone(), labels, new int[] {puzzleIdentifier});
        Carry carry = act.initialCarry();
        List<Segment> out = new ArrayList<>();
        int[] pred = new int[cfg.seqLen()];
        do {
            act.evalStep(carry, batch);
            act.inner().logits().argmax(pred);
            float[] q = act.inner().qHost();
            out.add(new Segment(pred.clone(), q[0], q[1], cfg.actHalts(q[0], q[1])));
        } while (!carry.allHalted());
        return out;
    }
}
