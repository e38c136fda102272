package hrm.eval;

import hrm.data.PuzzleSet;
import hrm.data.maze.MazePathChecker;
import hrm.model.Batch;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The maze score of docs/model.md §11.2: a prediction counts only if it draws a valid shortest path
 * from S to G. Exact accuracy against the label says nearly the same, but not when a maze has
 * several shortest paths; this counts any of them, and tallies why the others fail.
 */
public final class MazeScorer implements PredictionSink {
    private final MazePathChecker checker;
    private final int cells;
    private final Map<MazePathChecker.Verdict, Long> verdicts = new EnumMap<>(MazePathChecker.Verdict.class);
    private long total;

    public MazeScorer(int size) {
        this.checker = new MazePathChecker(size);
        this.cells = size * size;
    }

    @Override
    public void accept(PuzzleSet set, int start, int count, Batch batch, int[] predicted, float[] qHalt) {
        for (int r = 0; r < count; r++) {
            verdicts.merge(checker.check(batch.inputs(), r * cells, predicted, r * cells), 1L, Long::sum);
            total++;
        }
    }

    /** optimal_path_rate and the count of each failure kind. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("optimal_path_rate", total == 0 ? 0 : verdicts.getOrDefault(MazePathChecker.Verdict.SHORTEST_PATH, 0L) / (double) total);
        m.put("mazes", (double) total);
        for (var e : verdicts.entrySet())
            if (!e.getKey().solved()) m.put(e.getKey().name().toLowerCase(), e.getValue().doubleValue());
        return m;
    }
}
