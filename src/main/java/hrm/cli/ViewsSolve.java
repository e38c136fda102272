package hrm.cli;

import hrm.api.HrmModel;
import hrm.api.ModelRuntime;
import hrm.checkpoint.ModelCheckpoint;
import hrm.eval.views.View;
import hrm.eval.views.ViewRunner;
import hrm.eval.views.ViewSet;
import hrm.eval.views.ViewVote;
import hrm.model.Batch;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;

import java.util.Arrays;

/**
 * {@code hrm solve --views K}: the puzzle's K views run as the rows of batches (at most 64 rows a
 * batch), each answer mapped back, and the verified choice of {@link ViewVote} answered, with how
 * many views agreed on it. The answer needs no label: it is the most voted one that passes the
 * puzzle's own check.
 */
final class ViewsSolve {
    private static final int MAX_BATCH = 64;

    private ViewsSolve() {}

    /**
     * The vote's outcome: the chosen answer's tokens, how many of the views gave it, how many distinct
     * answers they gave, and whether it passes the puzzle's check (else it is only the most voted).
     */
    record Choice(int[] answer, int agreeing, int views, int distinct, boolean passes) {
        /** The line text output prints on the vote. */
        String describe() {
            return String.format("views: %d of %d views agree on the answer below (%d distinct answers); %s", agreeing, views, distinct,
                    passes ? "it is the most voted answer that passes the puzzle's check" : "no view's answer passes the puzzle's check: the most voted one");
        }
    }

    /** The views' chosen answer; the caller prints {@link Choice#describe} or puts it in JSON. */
    static Choice choose(SolveCommand cmd, HrmModel model, int[] tokens, int puzzleId, ViewSet views) {
        int k = views.size(), s = tokens.length, rows = Math.min(k, MAX_BATCH);
        ModelCheckpoint ckpt = model.checkpoint();
        ModelConfig cfg = ckpt.modelConfig(rows, s);
        ViewVote vote = new ViewVote(s, k);
        // a model of the views' batch size, on a backend of its own: the model's batch-1 one stays as it is
        try (ModelRuntime rt = ModelRuntime.open(ckpt, cfg, cmd.workers(), cmd.spec.commandLine().getErr())) {
            HrmAct act = rt.act();
            var carry = act.initialCarry();
            int[] labels = new int[rows * s], ids = new int[rows], predicted = new int[rows * s], mapped = new int[s];
            Arrays.fill(labels, -100);
            Arrays.fill(ids, puzzleId);
            Batch batch = new Batch(new int[rows * s], labels, ids);
            float[] q = new float[rows];
            for (int first = 0; first < k; first += rows) {
                int n = Math.min(rows, k - first);
                for (int r = 0; r < rows; r++) // rows past the last view repeat the puzzle; their answers are not read
                    if (r < n) views.views().get(first + r).apply(tokens, 0, batch.inputs(), r * s);
                    else System.arraycopy(tokens, 0, batch.inputs(), r * s, s);
                ViewRunner.run(act, carry, batch, predicted, q);
                for (int r = 0; r < n; r++) {
                    View v = views.views().get(first + r);
                    v.invert(predicted, r * s, mapped, 0);
                    vote.add(mapped, 0, q[r]);
                }
            }
        }
        int chosen = vote.verified(views.check(), tokens, 0);
        int[] answer = new int[s];
        vote.answer(chosen, answer, 0);
        return new Choice(answer, vote.votes(chosen), k, vote.distinct(), vote.passes(chosen, views.check(), tokens, 0));
    }
}
