package hrm.api;

import hrm.eval.views.PuzzleKind;
import hrm.eval.views.View;
import hrm.eval.views.ViewRunner;
import hrm.eval.views.ViewSet;
import hrm.eval.views.ViewVote;
import hrm.model.Batch;
import hrm.model.HrmAct;

import java.util.Arrays;

/**
 * Test-time views of one puzzle ({@link HrmModel#solve(Puzzle, int, long)}, {@code hrm solve --views K}):
 * the K views run as the rows of batches (at most {@link #MAX_BATCH} rows a batch), each answer
 * mapped back, and the verified choice of {@link ViewVote} answered, with how many views agreed on
 * it. The answer needs no label: it is the most voted one that passes the puzzle's own check.
 */
final class TestTimeViews {
    /** The most views run in one batch. */
    static final int MAX_BATCH = 64;

    private TestTimeViews() {}

    /**
     * The views {@code views} asks for on {@code p}, drawn from {@code seed}; null for one view (the
     * plain answer). Refused in one line starting "views: ": fewer than one, more than the kind has
     * distinct symmetries, or views of a kind that has none (ARC, raw tokens).
     */
    static ViewSet draw(Puzzle p, int views, long seed) {
        if (views < 1) throw new IllegalArgumentException("views: " + views + ", expected a positive integer");
        if (views == 1) return null;
        PuzzleKind kind = switch (p) {
            case Puzzle.Sudoku s -> new PuzzleKind.Sudoku(s.board().boxRows, s.board().boxCols);
            case Puzzle.Maze m -> new PuzzleKind.Maze(m.rows().size());
            default -> throw new IllegalArgumentException("views: " + views + ", test-time views exist for sudoku and maze only");
        };
        try {
            return ViewSet.draw(kind, views, seed);
        } catch (IllegalArgumentException e) { // "views = K: why", as hrm eval's key names it
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^views = (-?\\d+): ", "views: $1, "), e);
        }
    }

    /**
     * The vote of {@code views} over the puzzle {@code tokens}: each batch of views through
     * {@code act} (a model of {@code min(K, MAX_BATCH)} rows, fresh state for every batch), each
     * answer mapped back to the puzzle; the chosen answer into {@code answer}.
     */
    static Answer.Views vote(HrmAct act, int[] tokens, int puzzleId, ViewSet views, int[] answer) {
        int k = views.size(), s = tokens.length, rows = act.inner().config().batchSize();
        ViewVote vote = new ViewVote(s, k);
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
        int chosen = vote.verified(views.check(), tokens, 0);
        vote.answer(chosen, answer, 0);
        return new Answer.Views(k, vote.votes(chosen), vote.distinct(), vote.passes(chosen, views.check(), tokens, 0));
    }
}
