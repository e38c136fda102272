package hrm.eval;

import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.data.maze.MazeTokens;
import hrm.model.Batch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The maze path rate through the evaluator's sink, on the authors' Maze-Hard test mazes with
 * predictions whose verdicts are known: the label itself, the label with a gap, no path at all,
 * and a padding row that must not count.
 */
class MazeScorerTest {
    static final Path MAZES = Path.of("testdata/reference-datasets/maze");

    @Test
    void countsOnlyTheRealRowsWithAShortestPath() {
        PuzzleSet set = PuzzleDataset.open(MAZES, "test").sets().get(0);
        int n = 900, rows = 4;
        int[] inputs = new int[rows * n], labels = new int[rows * n], predicted = new int[rows * n];
        for (int r = 0; r < 3; r++) {
            set.input(r, inputs, r * n);
            set.label(r, labels, r * n);
        }
        System.arraycopy(labels, 0, predicted, 0, n);                  // row 0: the authors' shortest path
        System.arraycopy(labels, n, predicted, n, n);                  // row 1: the same with one path cell missing
        for (int i = n; i < 2 * n; i++)
            if (predicted[i] == MazeTokens.PATH) { predicted[i] = MazeTokens.OPEN; break; }
        System.arraycopy(inputs, 2 * n, predicted, 2 * n, n);          // row 2: the question, no path drawn
        Batch batch = new Batch(inputs, labels, new int[rows]);        // row 3: padding of a short batch (zeros)

        MazeScorer s = new MazeScorer(30);
        s.accept(set, 0, 3, batch, predicted, new float[rows]);
        Map<String, Double> m = s.metrics();
        assertEquals(3.0, m.get("mazes"));
        assertEquals(1.0 / 3, m.get("optimal_path_rate"), 1e-12);
        assertEquals(2.0, m.get("broken_path"), "a gap and a missing path both break the path");

        // a second batch starting later in the set: rows are read from their own offsets
        MazeScorer t = new MazeScorer(30);
        int[] shifted = new int[rows * n];
        System.arraycopy(labels, n, shifted, 0, n);
        System.arraycopy(labels, 0, shifted, n, n);
        Batch swapped = new Batch(concat(inputs, n, 0, n), concat(labels, n, 0, n), new int[rows]);
        t.accept(set, 1, 2, swapped, shifted, new float[rows]);
        assertEquals(1.0, t.metrics().get("optimal_path_rate"));
        MazeScorer u = new MazeScorer(30);
        u.accept(set, 1, 2, swapped, predicted, new float[rows]); // row 0's path drawn on row 1's maze and back
        assertEquals(0.0, u.metrics().get("optimal_path_rate"));
    }

    /** Rows a and b of x (each n long), then zeros to 4 rows. */
    private static int[] concat(int[] x, int a, int b, int n) {
        int[] out = new int[4 * n];
        System.arraycopy(x, a, out, 0, n);
        System.arraycopy(x, b, out, n, n);
        return out;
    }
}
