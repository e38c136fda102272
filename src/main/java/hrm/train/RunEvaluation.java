package hrm.train;

import hrm.data.PuzzleDataset;
import hrm.dist.Cluster;
import hrm.eval.ArcScorer;
import hrm.eval.Evaluator;
import hrm.train.config.ConfigException;
import hrm.train.config.TrainConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run evaluates its test split: the {@link Evaluator} on the model being trained (with ema,
 * on the moving average in its weights, as the reference evaluates a copy holding it), the batches
 * split over the ranks, and the task scorer the configuration's {@code evaluators} name (ARC only:
 * one for the run, so votes pool across evaluations; every rank then evaluates everything, since
 * the votes must see every prediction).
 */
final class RunEvaluation {
    private final TrainConfig cfg;
    private final PuzzleDataset test;
    private final TrainStep model;
    private final Cluster cluster;
    private final ArcScorer arcScorer;
    private Evaluator evaluator; // made at the first evaluation: a run without one allocates no carry for it

    /** Refuses an evaluator the configuration names that cannot score this test split. */
    RunEvaluation(TrainConfig cfg, PuzzleDataset test, TrainStep model, Cluster cluster) {
        this.cfg = cfg;
        this.test = test;
        this.model = model;
        this.cluster = cluster;
        this.arcScorer = arcScorer(cfg, test);
    }

    /** The evaluators the configuration names: ARC only (TinyRecursiveModels' arc@ARC), and only on an ARC test set. */
    private static ArcScorer arcScorer(TrainConfig cfg, PuzzleDataset test) {
        ArcScorer scorer = null;
        for (Object e : cfg.recursive().evaluators()) {
            Object name = e instanceof Map<?, ?> m ? m.get("name") : e;
            if (name == null || !(String.valueOf(name).equals("ARC") || String.valueOf(name).endsWith("@ARC")))
                throw new ConfigException("evaluators: " + e + ": the only evaluator is arc@ARC (TinyRecursiveModels' evaluators/arc.py)");
            if (test == null || !ArcScorer.isArcDataset(test))
                throw new ConfigException("evaluators: " + name + " scores ARC test sets; " + (test == null ? "this dataset has no test split" : test.dir() + " is not one")
                        + " (give evaluators=[] for other tasks)");
            scorer = new ArcScorer(test.identifiers(), test.metadata().blankIdentifierId(), hrm.model.ArcRules.TRM);
        }
        return scorer;
    }

    boolean hasTestSplit() {
        return test != null;
    }

    /** Per set, the metrics of the test split now; with an ARC scorer also its pass@K under "ARC". */
    Map<String, Map<String, Double>> run() {
        if (test == null) throw new ConfigException(cfg.dataPath() + ": no test split to evaluate");
        if (evaluator == null) evaluator = new Evaluator(model.act());
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        Cluster split = arcScorer == null ? cluster : Cluster.SINGLE;
        if (model.ema() == null) out.putAll(evaluator.run(test, arcScorer, split));
        else model.ema().withShadow(() -> out.putAll(evaluator.run(test, arcScorer, split)));
        if (arcScorer != null) {
            Map<String, Double> arc = new LinkedHashMap<>(); // logged as ARC/pass@K, TinyRecursiveModels' names
            arcScorer.result().metrics().forEach((k, v) -> arc.put(k.substring("ARC/".length()), v));
            out.put("ARC", arc);
        }
        return out;
    }
}
