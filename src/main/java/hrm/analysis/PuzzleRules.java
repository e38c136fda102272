package hrm.analysis;

import hrm.data.PuzzleDataset;
import hrm.data.sudoku.MiniSudoku;
import hrm.eval.views.AnswerCheck;
import hrm.eval.views.PuzzleKind;

import java.util.ArrayList;
import java.util.List;

/**
 * What a puzzle's own rules say of a predicted grid, without its label, for a trace: a Sudoku's cells
 * whose digit repeats in a row, column or box (which cells, not only whether: the strips draw them);
 * whether a maze's path is a valid shortest path from S to G (the views' check). Other tasks (ARC)
 * have no rule to check. The kind of puzzle is the views' ({@link PuzzleKind}).
 */
public final class PuzzleRules {
    private final PuzzleKind kind;
    private final AnswerCheck check;

    private PuzzleRules(PuzzleKind kind) {
        this.kind = kind;
        this.check = kind.check();
    }

    /** The rules of a test split's puzzles. */
    public static PuzzleRules of(PuzzleDataset test) {
        return new PuzzleRules(PuzzleKind.of(test));
    }

    /** The rules of a puzzle given by its kind as hrm solve names it (sudoku, maze, arc) and its number of cells. */
    public static PuzzleRules forKind(String kind, int cells) {
        return new PuzzleRules(switch (kind) {
            case "sudoku" -> {
                MiniSudoku b = MiniSudoku.forCells(cells);
                yield new PuzzleKind.Sudoku(b.boxRows, b.boxCols);
            }
            case "maze" -> new PuzzleKind.Maze((int) Math.round(Math.sqrt(cells)));
            default -> new PuzzleKind.Other(kind);
        });
    }

    public PuzzleKind puzzleKind() {
        return kind;
    }

    /** The task's name in outputs: sudoku, maze or grid. */
    public String kind() {
        return switch (kind) {
            case PuzzleKind.Sudoku s -> "sudoku";
            case PuzzleKind.Maze m -> "maze";
            case PuzzleKind.Other o -> "grid";
        };
    }

    /**
     * The rule check of a prediction (tokens of the cells) for its input: the list of cells breaking a
     * Sudoku rule (blanks break nothing), whether a maze path is a valid shortest path, or null.
     */
    public Object violations(int[] input, int[] prediction) {
        return switch (kind) {
            case PuzzleKind.Sudoku s -> repeatedDigits(s, prediction);
            case PuzzleKind.Maze m -> check.valid(input, 0, prediction, 0);
            case PuzzleKind.Other o -> null;
        };
    }

    /** The cells (row-major) whose digit appears again in their row, column or box. */
    private static List<Integer> repeatedDigits(PuzzleKind.Sudoku s, int[] prediction) {
        int n = s.n();
        int[] g = MiniSudoku.fromTokens(prediction);
        List<Integer> bad = new ArrayList<>();
        for (int c = 0; c < n * n; c++) {
            int v = g[c];
            if (v == 0 || v > n) continue;
            int r = c / n, col = c % n, br = r / s.boxRows() * s.boxRows(), bc = col / s.boxCols() * s.boxCols();
            boolean repeats = false;
            for (int k = 0; k < n && !repeats; k++) {
                if (k != col && g[r * n + k] == v) repeats = true;
                if (k != r && g[k * n + col] == v) repeats = true;
                int rr = br + k / s.boxCols(), cc = bc + k % s.boxCols();
                if ((rr != r || cc != col) && g[rr * n + cc] == v) repeats = true;
            }
            if (repeats) bad.add(c);
        }
        return bad;
    }
}
