package hrm.data.sudoku;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SudokuTransformTest {
    static final int[] PUZZLE = SudokuGrid.parsePuzzle(".5..83.17...1..4..3.4..56.8....3...9.9.8245....6....7...9....5...729..861.36.72.4");
    static final int[] SOLUTION = SudokuGrid.parseSolution("652483917978162435314975628825736149791824563436519872269348751547291386183657294");

    @Test
    void everyAugmentedPuzzleMapsBackByTheInverse() {
        SplittableRandom rng = new SplittableRandom(11);
        SudokuSolver solver = new SudokuSolver();
        int transposed = 0;
        for (int i = 0; i < 2000; i++) {
            SudokuTransform t = SudokuTransform.random(rng);
            if (t.transpose()) transposed++;
            int[] q = t.apply(PUZZLE), a = t.apply(SOLUTION);
            assertNull(SudokuGrid.checkSolution(q, a), t.toString());
            assertEquals(SudokuGrid.blanks(PUZZLE), SudokuGrid.blanks(q));
            assertArrayEquals(PUZZLE, t.inverse().apply(q), t.toString());
            assertArrayEquals(SOLUTION, t.inverse().apply(a), t.toString());
            assertEquals(t, t.inverse().inverse());
            if (i < 50) {
                assertEquals(1, solver.countSolutions(q, 2));
                int[] s = new int[81];
                solver.solution(s);
                assertArrayEquals(a, s);
            }
        }
        assertTrue(transposed > 900 && transposed < 1100, "transpose with p = 1/2: " + transposed + " of 2000");
    }

    @Test
    void followsTheReferenceFormula() {
        // out[r][c] = digitMap[x'[rowPerm[r]][colPerm[c]]], x' the transpose
        int[] digits = {0, 3, 1, 2, 5, 4, 6, 9, 7, 8};
        int[] rows = {5, 3, 4, 0, 2, 1, 7, 8, 6}, cols = {2, 1, 0, 6, 7, 8, 4, 3, 5};
        SudokuTransform t = new SudokuTransform(digits, true, rows, cols);
        int[] out = t.apply(SOLUTION);
        for (int r = 0; r < 9; r++)
            for (int c = 0; c < 9; c++)
                assertEquals(digits[SOLUTION[cols[c] * 9 + rows[r]]], out[r * 9 + c]);
        assertArrayEquals(SOLUTION, SudokuTransform.identity().apply(SOLUTION));
    }

    @Test
    void rejectsMappingsThatBreakTheGrid() {
        int[] id = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        int[] digits = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThrows(IllegalArgumentException.class, () -> new SudokuTransform(digits, false, new int[]{0, 1, 3, 2, 4, 5, 6, 7, 8}, id));
        assertThrows(IllegalArgumentException.class, () -> new SudokuTransform(digits, false, id, new int[]{0, 0, 2, 3, 4, 5, 6, 7, 8}));
        assertThrows(IllegalArgumentException.class, () -> new SudokuTransform(new int[]{1, 0, 2, 3, 4, 5, 6, 7, 8, 9}, false, id, id));
        assertThrows(IllegalArgumentException.class, () -> new SudokuTransform(new int[]{0, 1, 1, 3, 4, 5, 6, 7, 8, 9}, false, id, id));
    }
}
