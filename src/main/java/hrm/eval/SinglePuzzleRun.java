package hrm.eval;

import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.HrmConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One puzzle through the model, segment by segment, as evaluation runs it (halt_max_steps
 * segments), keeping each segment's prediction and halting logits so a caller can show the answer
 * forming and where ACT would have stopped.
 */
public final class SinglePuzzleRun {
    /** One segment's argmax tokens and Q logits; {@code haltAlone}: the model halts on q_halt > 0 (TRM's no_ACT_continue). */
    public record Segment(int[] prediction, float qHalt, float qContinue, boolean haltAlone) {
        /** Whether ACT's training rule (exploration aside) would stop after this segment. */
        public boolean wouldHalt() {
            return haltAlone ? qHalt > 0 : qHalt > qContinue;
        }
    }

    private SinglePuzzleRun() {}

    /** @param act a model built for batch size 1 */
    public static List<Segment> run(HrmAct act, int[] inputs, int puzzleIdentifier) {
        HrmConfig cfg = act.inner().config();
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
            out.add(new Segment(pred.clone(), q[0], q[1], cfg.noActContinue()));
        } while (!carry.allHalted());
        return out;
    }
}
