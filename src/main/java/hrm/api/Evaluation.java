package hrm.api;

import hrm.data.PuzzleDataset;
import hrm.eval.ArcScorer;
import hrm.eval.Evaluator;
import hrm.eval.MazeScorer;
import hrm.eval.PredictionSink;
import hrm.model.HrmAct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A dataset's test split through a model, scored as {@code hrm eval} scores it: the metrics per set
 * (reference names: accuracy, exact_accuracy, q_halt_accuracy, steps, lm_loss, q_halt_loss), and on
 * an ARC dataset pass@K, on a maze dataset the path checks. {@code hrm eval} runs this and adds what
 * only it does (predictions written, views); {@link HrmModel#evaluate} returns it.
 *
 * @param examples the test split's examples
 * @param sets     per set, its metrics (none for a set without labelled examples)
 * @param arc      the ARC metrics (metrics.json's "ARC"), null on other datasets
 * @param maze     the maze metrics (metrics.json's "maze"), null on other datasets
 * @param arcScorer the ARC scorer itself (for TRM's submission.json), null on other datasets
 */
public record Evaluation(long examples, Map<String, Map<String, Double>> sets, Map<String, Double> arc, Map<String, Double> maze, ArcScorer arcScorer) {
    /**
     * Runs {@code act} (built for this dataset at its evaluation batch size) over {@code test}; each
     * batch's predictions also go to {@code extra} (hrm eval's prediction files and views), which
     * may be empty.
     */
    public static Evaluation run(HrmAct act, PuzzleDataset test, List<PredictionSink> extra) {
        // each family is scored as its code base scores it (TRM: evaluators/arc.py; HRM: evaluate.py)
        ArcScorer arc = ArcScorer.isArcDataset(test) ? new ArcScorer(test.identifiers(), test.metadata().blankIdentifierId(),
                act.inner().config().family().arcRules()) : null;
        List<PredictionSink> sinks = new ArrayList<>(extra);
        if (arc != null) sinks.add(arc);
        // maze test sets: the maze tokens, every input a maze question (a 4x4 Sudoku also has 16 cells and 6 tokens)
        MazeScorer maze = hrm.eval.views.PuzzleKind.of(test) instanceof hrm.eval.views.PuzzleKind.Maze m ? new MazeScorer(m.size()) : null;
        if (maze != null) sinks.add(maze);
        Map<String, Map<String, Double>> metrics = new Evaluator(act).run(test, (set, start, count, b, pred, q) -> {
            for (PredictionSink s : sinks) s.accept(set, start, count, b, pred, q);
        });
        return new Evaluation(test.examples(), metrics, arc == null ? null : arc.result().metrics(), maze == null ? null : maze.metrics(), arc);
    }
}
