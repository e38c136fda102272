package hrm.eval;

import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.data.TestBatches;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.Metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluation as the reference's {@code evaluate}: every test example in file order, each batch
 * from a fresh carry run for halt_max_steps segments (evaluation never halts early), and the
 * metrics of the final segment summed per set and divided by that set's count.
 */
public final class Evaluator {
    private final HrmAct act;
    private final ModelConfig cfg;
    private final Carry carry;
    private final int[] predicted;
    private final float[] qHalt;

    public Evaluator(HrmAct act) {
        this.act = act;
        this.cfg = act.inner().config();
        this.carry = act.initialCarry();
        this.predicted = new int[cfg.batchSize() * cfg.seqLen()];
        this.qHalt = new float[cfg.batchSize()];
    }

    /**
     * Per set: accuracy, exact_accuracy, q_halt_accuracy, steps, lm_loss, q_halt_loss (reference names), each
     * per counted example; none for a set without counted examples (the reference divides by 0 there).
     */
    public Map<String, Map<String, Double>> run(PuzzleDataset test, PredictionSink sink) {
        return run(test, sink, hrm.dist.Cluster.SINGLE);
    }

    /**
     * The same split over the ranks of a data-parallel run: rank r evaluates batches r, r + N, ...
     * and the metric sums are added up, so every rank returns the whole test set's metrics. A sink
     * sees only this rank's batches.
     */
    public Map<String, Map<String, Double>> run(PuzzleDataset test, PredictionSink sink, hrm.dist.Cluster cluster) {
        if (test.metadata().seqLen() != cfg.seqLen())
            throw new IllegalArgumentException(test.dir() + ": seq_len " + test.metadata().seqLen() + " does not fit the model's " + cfg.seqLen());
        if (test.metadata().vocabSize() > cfg.vocabSize())
            throw new IllegalArgumentException(test.dir() + ": vocab_size " + test.metadata().vocabSize() + " does not fit the model's " + cfg.vocabSize());
        TestBatches batches = new TestBatches(test, cfg.batchSize());
        Batch batch = batches.newBatch();
        Map<String, Metrics> sums = new LinkedHashMap<>();
        for (PuzzleSet s : test.sets()) sums.put(s.name(), new Metrics());
        int index = 0;
        while (batches.next(batch)) {
            if (index++ % cluster.size() != cluster.rank()) continue;
            sums.get(batches.set().name()).add(act.evalToEnd(carry, batch));
            if (sink != null) {
                act.inner().logits().argmax(predicted);
                float[] q = act.inner().qHost();
                for (int b = 0; b < qHalt.length; b++) qHalt[b] = q[2 * b];
                sink.accept(batches.set(), batches.start(), batches.count(), batch, predicted, qHalt);
            }
        }
        if (cluster.size() > 1) for (Metrics m : sums.values()) m.sumOver(cluster::sumDoubles);
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (var e : sums.entrySet()) out.put(e.getKey(), e.getValue().perCounted());
        return out;
    }
}
