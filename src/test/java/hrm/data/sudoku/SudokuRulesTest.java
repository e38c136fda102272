package hrm.data.sudoku;

import hrm.data.sudoku.SudokuSolvability.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** What {@code hrm solve} checks before a model runs: givens that break a rule, givens no grid completes; and what it checks after. */
class SudokuRulesTest {
    static final MiniSudoku NINE = new MiniSudoku(3, 3), SIX = new MiniSudoku(2, 3), FOUR = new MiniSudoku(2, 2);
    static final String HARD = "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";

    static int[] cells(MiniSudoku b, int... cellDigit) {
        int[] g = new int[b.cells];
        for (int i = 0; i < cellDigit.length; i += 2) g[cellDigit[i]] = cellDigit[i + 1];
        return g;
    }

    @Test
    void aRepeatedDigitIsNamedWithItsUnitAndCells() {
        assertEquals("5 twice in row 1 (r1c1, r1c7)", GivenClash.find(NINE, cells(NINE, 0, 5, 6, 5)).toString());
        assertEquals("7 twice in column 2 (r1c2, r9c2)", GivenClash.find(NINE, cells(NINE, 1, 7, 73, 7)).toString());
        assertEquals("3 twice in box 5 (r4c4, r6c6)", GivenClash.find(NINE, cells(NINE, 30, 3, 50, 3)).toString());
        assertEquals("2 3 times in row 9 (r9c1, r9c5, r9c9)", GivenClash.find(NINE, cells(NINE, 72, 2, 76, 2, 80, 2)).toString());
        // 6x6 boxes are 2 rows by 3 columns: r2c3 and r1c1 share box 1, r1c4 is in box 2
        assertEquals("1 twice in box 1 (r1c1, r2c3)", GivenClash.find(SIX, cells(SIX, 0, 1, 8, 1)).toString());
        assertNull(GivenClash.find(SIX, cells(SIX, 0, 1, 3, 2, 9, 1)), "r1c1 and r2c4 are in different boxes");
        assertEquals("4 twice in box 4 (r3c3, r4c4)", GivenClash.find(FOUR, cells(FOUR, 10, 4, 15, 4)).toString());
        assertNull(GivenClash.find(NINE, MiniSudoku.parse(HARD)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MiniSudoku.parse("5.....5.." + ".".repeat(72)));
        assertEquals("givens break a rule: 5 twice in row 1 (r1c1, r1c7)", e.getMessage());
    }

    @Test
    void solvableGivensGetASolutionThatKeepsThem() {
        SudokuSolvability.Decision d = SudokuSolvability.decide(NINE, MiniSudoku.parse(HARD), SudokuSolvability.DEFAULT_MAX_NODES);
        assertEquals(Verdict.SOLVABLE, d.verdict());
        assertNull(NINE.check(MiniSudoku.parse(HARD), d.solution()), "a valid grid keeping the givens");
        int[] four = MiniSudoku.parse("1..4 .41. .14. 4..1");
        assertNull(FOUR.check(four, SudokuSolvability.decide(FOUR, four, 1000).solution()));
    }

    @Test
    void givensThatKeepTheRulesButNoGridCompletesHaveNoSolution() {
        // r1c9 must be 9 (row 1 holds 1-8), but column 9 already holds 9 at r2c9: no repeat among the givens
        int[] g = MiniSudoku.parse("12345678." + "........9" + ".".repeat(63));
        assertNull(GivenClash.find(NINE, g));
        assertEquals(Verdict.NO_SOLUTION, SudokuSolvability.decide(NINE, g, SudokuSolvability.DEFAULT_MAX_NODES).verdict());
        // 4x4: row 1 needs 3 and 4 in r1c3 and r1c4, but their box already holds 4 at r2c4
        int[] f = MiniSudoku.parse("12.. ...4 .... ....");
        assertNull(GivenClash.find(FOUR, f));
        assertEquals(Verdict.NO_SOLUTION, SudokuSolvability.decide(FOUR, f, 1000).verdict());
        f[7] = 0;
        assertEquals(Verdict.SOLVABLE, SudokuSolvability.decide(FOUR, f, 1000).verdict(), "without r2c4 it completes");
    }

    @Test
    void theSearchStopsAtItsBoundAndSaysItCouldNotDecide() {
        // counting every grid of an empty board is cut at the bound: -1, not a count
        assertEquals(-1, NINE.countSolutions(new int[81], Integer.MAX_VALUE, null, 1000));
        // the hardest puzzles here need many nodes: a tiny bound leaves them undecided, the default decides them
        int[] hard = MiniSudoku.parse(HARD);
        assertEquals(Verdict.UNDECIDED, SudokuSolvability.decide(NINE, hard, 10).verdict());
        long t0 = System.nanoTime();
        assertEquals(-1, NINE.countSolutions(new int[81], Integer.MAX_VALUE, null, SudokuSolvability.DEFAULT_MAX_NODES));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the default bound is a fraction of a second, not minutes");
    }

    /** tdoku's test puzzles, each with its solution count after ':': ten have none, several have hundreds. */
    @Test
    void theTdokuTestPuzzlesAreDecidedAsTheirCountsSay() throws Exception {
        int none = 0, some = 0;
        for (String l : Files.readAllLines(Path.of("testdata/sudoku/tdoku_test_puzzles.txt"))) {
            if (l.isBlank() || l.startsWith("#")) continue;
            String[] f = l.strip().split(":");
            int count = Integer.parseInt(f[1]);
            Verdict v = SudokuSolvability.decide(NINE, MiniSudoku.parse(f[0]), SudokuSolvability.DEFAULT_MAX_NODES).verdict();
            assertEquals(count == 0 ? Verdict.NO_SOLUTION : Verdict.SOLVABLE, v, l);
            if (count == 0) none++;
            else some++;
        }
        assertEquals(10, none);
        assertTrue(some > 20, some + " solvable");
    }

    @Test
    void changedGivensAreNamedInReadingOrder() {
        int[] puzzle = MiniSudoku.parse("1..4 .41. .14. 4..1"), answer = MiniSudoku.parse("1234 3412 2143 4321");
        assertEquals(List.of(), ChangedGiven.find(FOUR, puzzle, answer));
        answer[2 * 4 + 1] = 3; // r3c2: 1 -> 3
        answer[0] = 0;         // r1c1: a blank where 1 was given
        assertEquals(List.of(new ChangedGiven(0, "r1c1", 1, 0), new ChangedGiven(9, "r3c2", 1, 3)), ChangedGiven.find(FOUR, puzzle, answer));
        assertEquals("r3c2 from 1 to 3", ChangedGiven.find(FOUR, puzzle, answer).get(1).toString());
    }

    @Test
    void linesOfPuzzlesSkipCommentsAndNameABadLine(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("p.txt"), "\uFEFF# four by four\n\n1..4.41..14.4..1\r\n  # indented comment\n1... .... .... ...2\n");
        List<SudokuLines.Puzzle> ps = SudokuLines.read(f);
        assertEquals(List.of(3L, 5L), ps.stream().map(SudokuLines.Puzzle::line).toList());
        assertArrayEquals(MiniSudoku.parse("1..4.41..14.4..1"), ps.get(0).cells());
        for (String[] bad : new String[][] {{"1..4.41..14.4..1\n1..4.41..14\n", ":2: a Sudoku of 11 cells"},
                {"# x\n1.1.............\n", ":2: givens break a rule: 1 twice in row 1 (r1c1, r1c3)"},
                {"1..4.41..14.4..1\n" + ".".repeat(36) + "\n", ":2: a 36-cell puzzle after 16-cell ones (line 1)"},
                {"# only a comment\n\n", ": no puzzle"}}) {
            Path b = Files.writeString(tmp.resolve("bad.txt"), bad[0]);
            RuntimeException e = assertThrows(RuntimeException.class, () -> SudokuLines.read(b));
            assertTrue(e.getMessage().startsWith(b + bad[1]), e.getMessage());
        }
        List<SudokuLines.Puzzle> in = SudokuLines.read(new ByteArrayInputStream("1..4.41..14.4..1\n".getBytes(StandardCharsets.UTF_8)), Path.of("stdin"));
        assertEquals(1, in.size());
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> SudokuLines.read(new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8)), Path.of("stdin")));
        assertTrue(e.getMessage().startsWith("stdin:1: "), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> SudokuLines.read(tmp.resolve("missing.txt")));
        assertEquals(tmp.resolve("missing.txt") + ": no such file", e.getMessage());
    }
}
