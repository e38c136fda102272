package hrm.data.sudoku;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SudokuSolverTest {
    static final Path TDOKU = Path.of("testdata/sudoku/tdoku_test_puzzles.txt");

    /** Each line: puzzle:count[:solution]; the counts go up to 601, so count without a cap. */
    @Test
    void solvesTdokuTestPuzzlesWithExactCounts() throws IOException {
        List<String> lines = Files.readAllLines(TDOKU).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertTrue(lines.size() >= 30, "expected the tdoku test file, got " + lines.size() + " lines");
        SudokuSolver solver = new SudokuSolver();
        int unique = 0, none = 0, many = 0;
        for (String line : lines) {
            String[] f = line.split(":");
            int[] puzzle = SudokuGrid.parsePuzzle(f[0]);
            int expected = Integer.parseInt(f[1]);
            assertEquals(expected, solver.countSolutions(puzzle, 100_000), line);
            assertEquals(Math.min(expected, 2), solver.countSolutions(puzzle, 2), line);
            if (expected == 1) {
                int[] got = new int[81];
                solver.solution(got);
                assertEquals(f[2], SudokuGrid.format(got), line);
                assertNull(SudokuGrid.checkSolution(puzzle, got));
                unique++;
            } else if (expected == 0) none++;
            else many++;
        }
        assertTrue(unique > 0 && none > 0 && many > 0, unique + " " + none + " " + many);
    }

    @Test
    void givenConflictHasNoSolutionAndFullGridHasOne() {
        SudokuSolver solver = new SudokuSolver();
        int[] p = new int[81];
        p[0] = 5;
        p[8] = 5; // same row
        assertEquals(0, solver.countSolutions(p, 2));
        int[] grid = SudokuGrid.parseSolution("652483917978162435314975628825736149791824563436519872269348751547291386183657294");
        assertEquals(1, solver.countSolutions(grid, 2));
        assertEquals(0, solver.guesses());
        assertEquals(2, solver.countSolutions(new int[81], 2));
    }

    /** Backtracks with limit 2 cover the whole tree, so relabelling digits cannot change them. */
    @Test
    void ratingIsInvariantUnderDigitRelabelling() {
        int[] hard = SudokuGrid.parsePuzzle("........8..3...4...9..2..6.....79.......612...6.5.2.7...8...5...1.....2.4.5.....3");
        SudokuSolver solver = new SudokuSolver();
        assertEquals(1, solver.countSolutions(hard, 2));
        long rating = solver.backtracks();
        assertTrue(rating > 0, "this puzzle needs guessing");
        SudokuTransform relabel = new SudokuTransform(new int[]{0, 9, 8, 7, 6, 5, 4, 3, 2, 1}, false,
                new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8}, new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8});
        assertEquals(1, solver.countSolutions(relabel.apply(hard), 2));
        assertEquals(rating, solver.backtracks());
    }

    @Test
    void batchSolverAgreesWithOneSolverOnAnyThreadCountAndReportsWorkerFailures() throws IOException {
        SudokuPuzzleList list = SudokuPuzzleList.read(TDOKU);
        SudokuBatchSolver.Results one = SudokuBatchSolver.solveAll(list.puzzles(), 1), three = SudokuBatchSolver.solveAll(list.puzzles(), 3);
        SudokuSolver solver = new SudokuSolver();
        int[] q = new int[81];
        for (int i = 0; i < list.size(); i++) {
            for (int k = 0; k < 81; k++) q[k] = list.puzzles()[i * 81 + k];
            assertEquals(solver.countSolutions(q, 2), one.solutionCounts()[i]);
            assertEquals(solver.backtracks(), one.backtracks()[i]);
        }
        assertArrayEquals(one.solutionCounts(), three.solutionCounts());
        assertArrayEquals(one.backtracks(), three.backtracks());
        assertArrayEquals(one.solutions(), three.solutions());
        byte[] many = new byte[81 * 600];
        for (int i = 0; i < 600; i++) System.arraycopy(list.puzzles(), 0, many, i * 81, 81);
        many[599 * 81] = 12; // not a cell value: must surface as an exception, not as a silently unsolved puzzle
        assertThrows(IllegalArgumentException.class, () -> SudokuBatchSolver.solveAll(many, 2));
    }

    @Test
    void rejectsBadArguments() {
        SudokuSolver solver = new SudokuSolver();
        assertThrows(IllegalArgumentException.class, () -> solver.countSolutions(new int[80], 2));
        int[] p = new int[81];
        p[3] = 10;
        assertThrows(IllegalArgumentException.class, () -> solver.countSolutions(p, 2));
        assertThrows(IllegalStateException.class, () -> {
            int[] q = new int[81];
            q[0] = 1;
            q[1] = 1;
            solver.countSolutions(q, 2);
            solver.solution(new int[81]);
        });
    }
}
