package hrm.data.sudoku;

import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class MiniSudokuTest {
    @Test
    void generatedPuzzlesHaveTheBlanksAndOneSolution() {
        MiniSudoku b = new MiniSudoku(2, 3);
        SplittableRandom rng = new SplittableRandom(4);
        for (int k = 0; k < 200; k++) {
            int[] s = b.randomSolution(rng);
            assertNull(b.check(new int[b.cells], s), "a random solution is a valid grid");
            int[] p;
            while ((p = b.puzzle(s, 16, rng)) == null) s = b.randomSolution(rng);
            int blanks = 0;
            for (int v : p) if (v == 0) blanks++;
            assertEquals(16, blanks);
            int[] found = new int[b.cells];
            assertEquals(1, b.countSolutions(p, 2, found));
            assertArrayEquals(s, found);
        }
    }

    @Test
    void checkNamesWhatIsWrong() {
        MiniSudoku b = new MiniSudoku(2, 2);
        int[] s = MiniSudoku.parse("1234 3412 2143 4321");
        assertNull(b.check(new int[16], s));
        int[] bad = s.clone();
        bad[0] = 2;
        assertTrue(b.check(new int[16], bad).contains("row 1 column 1"));
        int[] puzzle = new int[16];
        puzzle[5] = 1;
        assertTrue(b.check(puzzle, s).contains("changes a given"));
        assertThrows(IllegalArgumentException.class, () -> MiniSudoku.parse("12345"));
        assertThrows(IllegalArgumentException.class, () -> MiniSudoku.parse("1239 3412 2143 4321"));
    }

    @Test
    void builderKeepsTestPuzzlesOutOfTraining(@TempDir Path tmp) {
        MiniSudoku b = new MiniSudoku(2, 3);
        MiniSudokuBuilder.build(tmp.resolve("d"), b, 300, 100, 14, 1, false);
        Set<String> test = new HashSet<>();
        PuzzleSet t = PuzzleDataset.open(tmp.resolve("d"), "test").sets().get(0);
        int[] in = new int[36], lab = new int[36];
        for (int e = 0; e < t.examples(); e++) {
            t.input(e, in, 0);
            test.add(java.util.Arrays.toString(in));
        }
        assertEquals(100, test.size());
        PuzzleSet tr = PuzzleDataset.open(tmp.resolve("d"), "train").sets().get(0);
        assertEquals(300, tr.examples());
        assertEquals(8, PuzzleDataset.open(tmp.resolve("d"), "train").metadata().vocabSize());
        for (int e = 0; e < tr.examples(); e++) {
            tr.input(e, in, 0);
            tr.label(e, lab, 0);
            assertFalse(test.contains(java.util.Arrays.toString(in)), "training puzzle " + e + " is a test puzzle");
            int[] puzzle = new int[36], answer = new int[36];
            for (int i = 0; i < 36; i++) {
                puzzle[i] = in[i] - 1;
                answer[i] = lab[i] - 1;
            }
            assertNull(b.check(puzzle, answer));
        }
    }
}
