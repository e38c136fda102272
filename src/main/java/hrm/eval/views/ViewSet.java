package hrm.eval.views;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The K views a run evaluates: the identity first (so the first view is the plain prediction),
 * then K - 1 others drawn without repeats from a generator seeded by {@code seed}. The same views
 * serve every test example, so a run is reproducible from (K, seed) alone.
 */
public record ViewSet(PuzzleKind kind, List<View> views, AnswerCheck check) {
    public ViewSet {
        views = List.copyOf(views);
    }

    public int size() {
        return views.size();
    }

    /** Refused (IllegalArgumentException naming {@code views}) when the kind has no views or fewer than K. */
    public static ViewSet draw(PuzzleKind kind, int k, long seed) {
        if (k < 1) throw new IllegalArgumentException("views = " + k + ": expected a positive integer");
        SplittableRandom rng = new SplittableRandom(seed);
        List<View> views = new ArrayList<>(k);
        switch (kind) {
            case PuzzleKind.Sudoku s -> {
                long distinct = SudokuSymmetry.count(s.boxRows(), s.boxCols());
                if (k > distinct) throw tooMany(k, kind, distinct);
                Set<View> seen = new HashSet<>();
                SudokuSymmetry id = SudokuSymmetry.identity(s.boxRows(), s.boxCols());
                views.add(id);
                seen.add(id);
                while (views.size() < k) {
                    SudokuSymmetry v = SudokuSymmetry.random(s.boxRows(), s.boxCols(), rng);
                    if (seen.add(v)) views.add(v);
                }
            }
            case PuzzleKind.Maze m -> {
                if (k > hrm.data.Dihedral.COUNT) throw tooMany(k, kind, hrm.data.Dihedral.COUNT);
                int[] ids = {1, 2, 3, 4, 5, 6, 7};
                for (int i = ids.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1), t = ids[i];
                    ids[i] = ids[j];
                    ids[j] = t;
                }
                views.add(new MazeSymmetry(0, m.size()));
                for (int i = 0; i < k - 1; i++) views.add(new MazeSymmetry(ids[i], m.size()));
            }
            case PuzzleKind.Other o -> throw new IllegalArgumentException("views = " + k + ": test-time views exist for Sudoku and maze datasets only, not for "
                        + o.what() + " (use views=1)"); // callers ask only for views > 1 here
        }
        return new ViewSet(kind, views, kind.check());
    }

    private static IllegalArgumentException tooMany(int k, PuzzleKind kind, long distinct) {
        return new IllegalArgumentException("views = " + k + ": a " + kind.describe() + " has only " + distinct + " distinct symmetries");
    }
}
