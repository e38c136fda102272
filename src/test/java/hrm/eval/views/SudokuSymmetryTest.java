package hrm.eval.views;

import hrm.data.PuzzleDataset;
import hrm.data.sudoku.MiniSudoku;
import hrm.data.sudoku.SudokuTransform;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SudokuSymmetryTest {
    private static final int[][] BOARDS = {{2, 2}, {2, 3}, {3, 3}};

    @Test
    void everyViewIsUndoneByItsInverseOnAnyTokens() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int[] b : BOARDS) {
            int n = b[0] * b[1];
            int transposed = 0;
            for (int t = 0; t < 300; t++) {
                SudokuSymmetry v = SudokuSymmetry.random(b[0], b[1], rng);
                if (v.transposes()) transposed++;
                int[] x = new int[n * n];
                for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(n + 4); // pad, blank, digits and stray tokens
                int[] y = new int[x.length], back = new int[x.length];
                v.apply(x, 0, y, 0);
                v.invert(y, 0, back, 0);
                assertArrayEquals(x, back, v.toString());
                v.invert(x, 0, y, 0);
                v.apply(y, 0, back, 0);
                assertArrayEquals(x, back, "apply undoes invert too: " + v);
            }
            if (b[0] == b[1]) assertTrue(transposed > 100, "square boxes: about half the views transpose, got " + transposed);
            else assertEquals(0, transposed, "2x3 boxes never transpose");
        }
        assertThrows(IllegalArgumentException.class, () -> new SudokuSymmetry(2, 3, new int[] {0, 1, 2, 3, 4, 5}, true,
                new int[] {0, 1, 2, 3, 4, 5}, new int[] {0, 1, 2, 3, 4, 5}), "a 2x3-box board cannot be transposed");
        assertThrows(IllegalArgumentException.class, () -> new SudokuSymmetry(2, 2, new int[] {0, 1, 2, 3}, false,
                new int[] {0, 2, 1, 3}, new int[] {0, 1, 2, 3}), "rows may not leave their band");
    }

    /** A view of a puzzle is a puzzle whose unique solution is the view of the solution; mapped back it is the original. */
    @Test
    void aViewOfAValidSolutionIsAValidSolutionOfTheViewedPuzzle() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int[] b : BOARDS) {
            MiniSudoku board = new MiniSudoku(b[0], b[1]);
            SudokuAnswerCheck check = new SudokuAnswerCheck(b[0], b[1]);
            for (int t = 0; t < 20; t++) {
                int[] solution = board.randomSolution(rng);
                int[] puzzle = board.puzzle(solution, board.cells / 3, rng);
                if (puzzle == null) continue;
                SudokuSymmetry v = SudokuSymmetry.random(b[0], b[1], rng);
                int[] q = new int[board.cells], a = new int[board.cells];
                v.apply(MiniSudoku.toTokens(puzzle), 0, q, 0);
                v.apply(MiniSudoku.toTokens(solution), 0, a, 0);
                assertNull(board.check(MiniSudoku.fromTokens(q), MiniSudoku.fromTokens(a)), v.toString());
                assertTrue(check.valid(q, 0, a, 0));
                int[] solved = new int[board.cells];
                assertEquals(1, board.countSolutions(MiniSudoku.fromTokens(q), 2, solved), "the view keeps a unique solution");
                assertArrayEquals(MiniSudoku.fromTokens(a), solved);
            }
        }
    }

    /** On 9x9 the view is the dataset builders' augmentation (SudokuTransform) on tokens instead of digits. */
    @Test
    void agreesWithTheBuildersTransformOn9x9() {
        SplittableRandom rng = new SplittableRandom(3);
        MiniSudoku board = new MiniSudoku(3, 3);
        for (int t = 0; t < 50; t++) {
            SudokuTransform st = SudokuTransform.random(rng);
            int[] digitMap = st.digitMap(), perm = new int[9];
            for (int d = 1; d <= 9; d++) perm[d - 1] = digitMap[d] - 1;
            SudokuSymmetry v = new SudokuSymmetry(3, 3, perm, st.transpose(), st.rowPerm(), st.colPerm());
            int[] grid = board.puzzle(board.randomSolution(rng), 40, rng);
            if (grid == null) continue;
            int[] tokens = new int[81];
            v.apply(MiniSudoku.toTokens(grid), 0, tokens, 0);
            assertArrayEquals(MiniSudoku.toTokens(st.apply(grid)), tokens);
        }
    }

    @Test
    void countsTheSymmetriesAndDrawsThemWithoutRepeats() {
        assertEquals(24L * 8 * 8 * 2, SudokuSymmetry.count(2, 2));
        assertEquals(720L * 48 * 72, SudokuSymmetry.count(2, 3));
        assertEquals(362880L * 1296 * 1296 * 2, SudokuSymmetry.count(3, 3));
        ViewSet all = ViewSet.draw(new PuzzleKind.Sudoku(2, 2), 3072, 0);
        assertTrue(all.views().get(0).isIdentity(), "the first view is the identity");
        Set<View> distinct = new HashSet<>(all.views());
        assertEquals(3072, distinct.size(), "every symmetry of 4x4 once");
        assertEquals(all.views(), ViewSet.draw(new PuzzleKind.Sudoku(2, 2), 3072, 0).views(), "seeded");
        assertNotEquals(ViewSet.draw(new PuzzleKind.Sudoku(3, 3), 4, 0).views(), ViewSet.draw(new PuzzleKind.Sudoku(3, 3), 4, 1).views());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ViewSet.draw(new PuzzleKind.Sudoku(2, 2), 3073, 0));
        assertTrue(e.getMessage().startsWith("views = 3073") && e.getMessage().contains("3072"), e.getMessage());
    }

    @Test
    void arcAndUnknownDataHaveNoViews() {
        PuzzleKind arc = PuzzleKind.of(PuzzleDataset.open(Path.of("testdata/reference-datasets/arc"), "test"));
        assertInstanceOf(PuzzleKind.Other.class, arc);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ViewSet.draw(arc, 2, 0));
        assertTrue(e.getMessage().startsWith("views = 2") && e.getMessage().contains("ARC"), e.getMessage());
        assertEquals(new PuzzleKind.Sudoku(3, 3), PuzzleKind.of(PuzzleDataset.open(Path.of("testdata/reference-datasets/sudoku"), "test")));
        PuzzleKind maze = PuzzleKind.of(PuzzleDataset.open(Path.of("testdata/reference-datasets/maze"), "test"));
        assertInstanceOf(PuzzleKind.Maze.class, maze);
    }
}
