package hrm.eval.views;

import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.data.maze.MazePathChecker;
import hrm.data.maze.MazeTokens;
import hrm.eval.ArcScorer;

/**
 * What a test set holds, as far as views care: which symmetries keep its answers well defined and
 * how an answer is checked without the label. Only Sudoku and mazes have both; ARC (whose
 * augmentations change the task's identifier) and unknown data get no views for now.
 */
public sealed interface PuzzleKind {
    /** An n x n Sudoku with boxRows x boxCols boxes, tokens pad 0, blank 1, digit d = d + 1. */
    record Sudoku(int boxRows, int boxCols) implements PuzzleKind {
        public int n() {
            return boxRows * boxCols;
        }

        @Override
        public String describe() {
            return n() + "x" + n() + " Sudoku with " + boxRows + "x" + boxCols + " boxes";
        }
    }

    /** A size x size maze in {@link MazeTokens}. */
    record Maze(int size) implements PuzzleKind {
        @Override
        public String describe() {
            return size + "x" + size + " maze";
        }
    }

    /** ARC or anything else: no symmetry and no check known here. */
    record Other(String what) implements PuzzleKind {
        @Override
        public String describe() {
            return what;
        }
    }

    String describe();

    /** The views' name for the dataset's test split: maze first (as hrm eval scores it), then Sudoku by shape and tokens. */
    static PuzzleKind of(PuzzleDataset test) {
        if (ArcScorer.isArcDataset(test)) return new Other("an ARC dataset");
        int s = test.metadata().seqLen(), side = (int) Math.round(Math.sqrt(s)), vocab = test.metadata().vocabSize();
        if (side * side == s && vocab == MazeTokens.VOCAB_SIZE && allInputs(test, (in, len) -> MazeTokens.isQuestion(in, 0, len)))
            return new Maze(side);
        int[] box = switch (s) {
            case 16 -> new int[] {2, 2};
            case 36 -> new int[] {2, 3};
            case 81 -> new int[] {3, 3};
            default -> null;
        };
        if (box != null && vocab == side + 2 && allInputs(test, (in, len) -> tokensWithin(in, len, 1, side + 1)))
            return new Sudoku(box[0], box[1]);
        return new Other("a dataset that is neither Sudoku nor maze");
    }

    /** The check of an answer for this kind; null for {@link Other}. */
    default AnswerCheck check() {
        return switch (this) {
            case Sudoku k -> new SudokuAnswerCheck(k.boxRows(), k.boxCols());
            case Maze k -> {
                MazePathChecker checker = new MazePathChecker(k.size());
                yield (in, io, ans, ao) -> checker.check(in, io, ans, ao).solved();
            }
            case Other k -> null;
        };
    }

    private static boolean tokensWithin(int[] in, int len, int lo, int hi) {
        for (int i = 0; i < len; i++) if (in[i] < lo || in[i] > hi) return false;
        return true;
    }

    private static boolean allInputs(PuzzleDataset test, java.util.function.BiPredicate<int[], Integer> ok) {
        int s = test.metadata().seqLen();
        int[] in = new int[s];
        for (PuzzleSet set : test.sets())
            for (int e = 0; e < set.examples(); e++) {
                set.input(e, in, 0);
                if (!ok.test(in, s)) return false;
            }
        return true;
    }
}
