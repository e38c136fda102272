package hrm.data.sudoku;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SudokuGeneratorTest {
    @Test
    void generatedPuzzlesHaveTheBlanksAndOneSolution() {
        SudokuPuzzles p = SudokuGenerator.generateAll(30, 55, 0, 123, 2);
        assertEquals(30, p.size());
        SudokuSolver solver = new SudokuSolver();
        int[] q = new int[81], a = new int[81], s = new int[81];
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int i = 0; i < p.size(); i++) {
            p.question(i, q);
            p.answer(i, a);
            assertEquals(55, SudokuGrid.blanks(q));
            assertEquals(1, solver.countSolutions(q, 2), SudokuGrid.format(q));
            solver.solution(s);
            assertArrayEquals(a, s);
            assertEquals(solver.backtracks(), p.rating(i));
            assertTrue(distinct.add(SudokuGrid.format(a)), "solution grids differ");
        }
    }

    @Test
    void seededAndIndependentOfThreads() {
        SudokuPuzzles one = SudokuGenerator.generateAll(8, 50, 0, 77, 1), two = SudokuGenerator.generateAll(8, 50, 0, 77, 3);
        SudokuPuzzles other = SudokuGenerator.generateAll(8, 50, 0, 78, 1);
        int[] a = new int[81], b = new int[81];
        boolean differs = false;
        for (int i = 0; i < 8; i++) {
            one.question(i, a);
            two.question(i, b);
            assertArrayEquals(a, b);
            other.question(i, b);
            differs |= !java.util.Arrays.equals(a, b);
        }
        assertTrue(differs);
    }

    @Test
    void minimumRatingIsHonoured() {
        SudokuGenerator g = new SudokuGenerator();
        SudokuSolver solver = new SudokuSolver();
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 3; i++) {
            SudokuGenerator.Puzzle p = g.generate(rng, 58, 2);
            assertTrue(p.rating() >= 2);
            assertEquals(1, solver.countSolutions(p.question(), 2));
            assertEquals(p.rating(), solver.backtracks());
        }
    }

    @Test
    void asManyBlanksAsPossibleGivesMinimalPuzzles() {
        SudokuGenerator g = new SudokuGenerator();
        SudokuSolver solver = new SudokuSolver();
        SplittableRandom rng = new SplittableRandom(8);
        for (int n = 0; n < 3; n++) {
            int[] q = g.generate(rng, SudokuGenerator.AS_MANY_BLANKS_AS_POSSIBLE, 0).question();
            assertEquals(1, solver.countSolutions(q, 2));
            assertTrue(SudokuGrid.blanks(q) >= 50, "random minimal puzzles have about 24 clues: " + SudokuGrid.blanks(q));
            for (int c = 0; c < 81; c++) {
                if (q[c] == 0) continue;
                int keep = q[c];
                q[c] = 0;
                assertEquals(2, solver.countSolutions(q, 2), "no clue can go: cell " + c);
                q[c] = keep;
            }
        }
    }

    @Test
    void impossibleRequestsFailClearly() {
        assertThrows(IllegalArgumentException.class, () -> new SudokuGenerator().generate(new SplittableRandom(1), 65, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SudokuGenerator(2).generate(new SplittableRandom(1), 64, 0));
        assertTrue(e.getMessage().contains("64 blanks"), e.getMessage());
    }
}
