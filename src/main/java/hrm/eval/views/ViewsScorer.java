package hrm.eval.views;

import hrm.data.PuzzleSet;
import hrm.eval.PredictionSink;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-time views in {@code hrm eval}: it receives each batch of the plain evaluation (the
 * identity view of the first checkpoint), runs the batch's other views through every ensemble
 * member, maps each prediction back through its view's inverse, and scores the four choices of
 * {@link ViewVote} against the labels: single, vote, verified and oracle exact accuracy over the
 * test examples. The transformed inputs are built in memory batch by batch, so nothing is
 * written and memory stays at one batch's answers. It runs on its own carries, so the plain
 * evaluation's state is untouched; the model's outputs it overwrites have been read by then.
 */
public final class ViewsScorer implements PredictionSink {
    private static final int IGNORE = -100;
    private final List<HrmAct> members;
    private final List<Carry> carries = new ArrayList<>();
    private final ViewSet views;
    private final int seqLen;
    private final Batch viewBatch;
    private final int[] predicted, mapped;
    private final float[] qHalt;
    private final ViewVote[] votes;
    private long examples, single, vote, verified, oracle;

    /** @param members the checkpoints, the first the one the plain evaluation runs; all built for the same batch size and seq_len */
    public ViewsScorer(List<HrmAct> members, ViewSet views) {
        if (members.isEmpty()) throw new IllegalArgumentException("no model");
        this.members = List.copyOf(members);
        this.views = views;
        var cfg = members.get(0).inner().config();
        int batch = cfg.batchSize();
        this.seqLen = cfg.seqLen();
        for (HrmAct m : members) {
            var c = m.inner().config();
            if (c.batchSize() != batch || c.seqLen() != seqLen)
                throw new IllegalArgumentException("ensemble members must share batch size and seq_len");
            carries.add(m.initialCarry());
        }
        int[] labels = new int[batch * seqLen];
        Arrays.fill(labels, IGNORE); // the views' own metrics are not used: their labels would need mapping too
        this.viewBatch = new Batch(new int[batch * seqLen], labels, new int[batch]);
        this.predicted = new int[batch * seqLen];
        this.mapped = new int[seqLen];
        this.qHalt = new float[batch];
        this.votes = new ViewVote[batch];
        for (int b = 0; b < batch; b++) votes[b] = new ViewVote(seqLen, views.size() * members.size());
    }

    @Override
    public void accept(PuzzleSet set, int start, int count, Batch batch, int[] plainPredicted, float[] plainQHalt) {
        for (int r = 0; r < count; r++) {
            votes[r].clear();
            votes[r].add(plainPredicted, r * seqLen, plainQHalt[r]);
        }
        for (int m = 0; m < members.size(); m++)
            for (int v = 0; v < views.size(); v++) {
                if (m == 0 && v == 0) continue; // the plain evaluation's own run
                View view = views.views().get(v);
                System.arraycopy(batch.puzzleIdentifiers(), 0, viewBatch.puzzleIdentifiers(), 0, viewBatch.size());
                System.arraycopy(batch.inputs(), 0, viewBatch.inputs(), 0, batch.inputs().length); // padding rows as they are
                for (int r = 0; r < count; r++) view.apply(batch.inputs(), r * seqLen, viewBatch.inputs(), r * seqLen);
                ViewRunner.run(members.get(m), carries.get(m), viewBatch, predicted, qHalt);
                for (int r = 0; r < count; r++) {
                    view.invert(predicted, r * seqLen, mapped, 0);
                    votes[r].add(mapped, 0, qHalt[r]);
                }
            }
        int[] labels = batch.labels(), inputs = batch.inputs();
        for (int r = 0; r < count; r++) {
            int off = r * seqLen;
            if (!counts(labels, off)) continue; // as the plain metrics: a row with no label is not an example
            ViewVote vv = votes[r];
            examples++;
            if (vv.matches(0, labels, off)) single++;
            if (vv.matches(vv.vote(), labels, off)) vote++;
            if (vv.matches(vv.verified(views.check(), inputs, off), labels, off)) verified++;
            if (vv.anyEquals(labels, off)) oracle++;
        }
    }

    private boolean counts(int[] labels, int off) {
        for (int s = 0; s < seqLen; s++) if (labels[off + s] != IGNORE) return true;
        return false;
    }

    /** single, vote, verified, oracle: exact accuracies, fractions of the test examples. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        double n = Math.max(examples, 1);
        m.put("single", single / n);
        m.put("vote", vote / n);
        m.put("verified", verified / n);
        m.put("oracle", oracle / n);
        return m;
    }

    public long examples() {
        return examples;
    }
}
