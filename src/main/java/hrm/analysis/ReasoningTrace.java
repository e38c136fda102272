package hrm.analysis;

import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.InnerModel;
import hrm.model.LossHead;
import hrm.model.SequenceLogits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one puzzle is reasoned through (the paper's Fig. 7): for every segment up to halt_max_steps,
 * the model's own output after it (its cells' argmax: what hrm eval saves) and its Q logits; and for
 * every z update inside it, what the output head reads from the state then
 * ({@link InnerModel#decode}), each cell's confidence (its largest softmax probability), the cells
 * changed since the previous update and what the puzzle's rules say of it.
 */
public final class ReasoningTrace {
    /**
     * One z update: its module ("H", "L", or "layer": a layer's output in a model without a recurrent
     * state, the transformer), the decoded cells (tokens), their confidence, the cells changed since the
     * last update, the rule check.
     */
    public record Update(String module, int[] prediction, float[] confidence, int[] changed, Object violations) {}

    /** One segment: the output (tokens), q logits, whether ACT halts here (first such segment), its updates. */
    public record Segment(int[] prediction, float qHalt, float qContinue, boolean actHaltsHere, List<Update> updates) {}

    public record Example(int index, int[] input, List<Segment> segments) {}

    private ReasoningTrace() {}

    /**
     * Runs one puzzle ({@code act} built for batch size 1) for halt_max_steps segments from the reset
     * carry; {@code direct} decodes f_O(z_H) at every update instead of the paper's extra H pass.
     */
    public static Example run(HrmAct act, PuzzleRules rules, int index, int[] inputs, int puzzleIdentifier, boolean direct) {
        ModelConfig cfg = act.inner().config();
        if (cfg.batchSize() != 1) throw new IllegalArgumentException("build the model with batch_size 1");
        int s = cfg.seqLen();
        int[] labels = new int[s];
        Arrays.fill(labels, LossHead.IGNORE);
        Batch batch = new Batch(inputs.clone(), labels, new int[]{puzzleIdentifier});
        Carry carry = act.initialCarry();
        List<Update> current = new ArrayList<>();
        int[][] last = {null};
        act.inner().setTrace((high, z) -> {
            SequenceLogits l = act.inner().decode(carry.zH, carry.zL, high, direct);
            int[] pred = new int[s];
            float[] conf = new float[s];
            for (int c = 0; c < s; c++) {
                pred[c] = l.argmax(0, c);
                conf[c] = confidence(l.rows(), l.offset(0, c), l.vocab());
            }
            int[] changed = last[0] == null ? new int[0]
                    : java.util.stream.IntStream.range(0, s).filter(c -> pred[c] != last[0][c]).toArray();
            last[0] = pred;
            current.add(new Update(cfg.family().updateModule(high), pred, conf, changed, rules.violations(inputs, pred)));
        });
        List<Segment> segments = new ArrayList<>();
        boolean halted = false;
        try {
            do {
                current.clear();
                act.evalStep(carry, batch);
                int[] pred = new int[s];
                act.inner().logits().argmax(pred);
                float[] q = act.inner().qHost();
                boolean halts = !halted && cfg.actHalts(q[0], q[1]);
                halted |= halts;
                segments.add(new Segment(pred, q[0], q[1], halts, List.copyOf(current)));
            } while (!carry.allHalted());
        } finally {
            act.inner().setTrace(null);
        }
        return new Example(index, inputs.clone(), segments);
    }

    /** The largest softmax probability of a cell's logits: 1 / sum exp(l - max). */
    static float confidence(float[] logits, int off, int vocab) {
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) max = Math.max(max, logits[off + v]);
        double sum = 0;
        for (int v = 0; v < vocab; v++) sum += Math.exp(logits[off + v] - max);
        return (float) (1 / sum);
    }
}
