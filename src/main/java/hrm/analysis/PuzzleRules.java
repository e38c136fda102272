package hrm.analysis;

import hrm.data.DatasetMetadata;
import hrm.data.maze.MazePathChecker;
import hrm.data.maze.MazeTokens;
import hrm.data.sudoku.MiniSudoku;

import java.util.ArrayList;
import java.util.List;

/**
 * What a puzzle's own rules say of a predicted grid, without its label: a Sudoku's cells whose digit
 * repeats in a row, column or box; whether a maze's path is a valid shortest path from S to G. Other
 * tasks (ARC) have no rule to check.
 */
public abstract sealed class PuzzleRules {
    /** The task's name in outputs: sudoku, maze or grid. */
    public abstract String kind();

    /**
     * The rule check of a prediction (tokens of the cells) for its input: a list of the cells breaking
     * a Sudoku rule, a maze path's validity, or null where there is no rule.
     */
    public abstract Object violations(int[] input, int[] prediction);

    /** Sudoku by its size and vocabulary (pad, blank, digits); maze by its vocabulary and a maze question as input; else none. */
    public static PuzzleRules of(DatasetMetadata meta, int[] anInput) {
        int s = meta.seqLen(), side = (int) Math.round(Math.sqrt(s));
        if (meta.vocabSize() == MazeTokens.VOCAB_SIZE && side * side == s && MazeTokens.isQuestion(anInput, 0, s)) return new Maze(side);
        if ((s == 16 || s == 36 || s == 81) && meta.vocabSize() == side + 2) return new Sudoku(MiniSudoku.forCells(s));
        return new None();
    }

    /** The rules of a puzzle given by its kind (as hrm solve names it) and its number of cells. */
    public static PuzzleRules forKind(String kind, int cells) {
        return switch (kind) {
            case "sudoku" -> new Sudoku(MiniSudoku.forCells(cells));
            case "maze" -> new Maze((int) Math.round(Math.sqrt(cells)));
            default -> new None();
        };
    }

    static final class Sudoku extends PuzzleRules {
        final MiniSudoku board;

        Sudoku(MiniSudoku board) {
            this.board = board;
        }

        @Override
        public String kind() {
            return "sudoku";
        }

        /** The cells (row-major indices) whose digit appears again in their row, column or box; blanks break nothing. */
        @Override
        public List<Integer> violations(int[] input, int[] prediction) {
            int n = board.n;
            int[] g = MiniSudoku.fromTokens(prediction);
            List<Integer> bad = new ArrayList<>();
            for (int c = 0; c < g.length; c++) {
                int v = g[c];
                if (v == 0 || v > n) continue;
                int r = c / n, col = c % n, br = r / board.boxRows * board.boxRows, bc = col / board.boxCols * board.boxCols;
                boolean repeats = false;
                for (int k = 0; k < n && !repeats; k++) {
                    if (k != col && g[r * n + k] == v) repeats = true;
                    if (k != r && g[k * n + col] == v) repeats = true;
                    int rr = br + k / board.boxCols, cc = bc + k % board.boxCols;
                    if ((rr != r || cc != col) && g[rr * n + cc] == v) repeats = true;
                }
                if (repeats) bad.add(c);
            }
            return bad;
        }
    }

    static final class Maze extends PuzzleRules {
        final MazePathChecker checker;

        Maze(int side) {
            checker = new MazePathChecker(side);
        }

        @Override
        public String kind() {
            return "maze";
        }

        /** Whether the predicted path is a valid shortest path from S to G. */
        @Override
        public Boolean violations(int[] input, int[] prediction) {
            return checker.check(input, prediction).solved();
        }
    }

    static final class None extends PuzzleRules {
        @Override
        public String kind() {
            return "grid";
        }

        @Override
        public Object violations(int[] input, int[] prediction) {
            return null;
        }
    }
}
