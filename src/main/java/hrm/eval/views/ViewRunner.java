package hrm.eval.views;

import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;

/**
 * One batch through the model as {@link hrm.eval.Evaluator} runs it: a fresh carry, every row for
 * halt_max_steps segments, the last segment's argmax and q_halt. Views must see exactly the
 * computation the plain evaluation does, or the vote would compare unlike things.
 */
public final class ViewRunner {
    private ViewRunner() {}

    /** Fills {@code predicted} (batch x seqLen argmax tokens) and {@code qHalt} (per row). */
    public static void run(HrmAct act, Carry carry, Batch batch, int[] predicted, float[] qHalt) {
        act.evalToEnd(carry, batch);
        act.inner().logits().argmax(predicted);
        float[] q = act.inner().qHost();
        for (int b = 0; b < qHalt.length; b++) qHalt[b] = q[2 * b];
    }
}
