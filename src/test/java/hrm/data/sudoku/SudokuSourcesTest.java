package hrm.data.sudoku;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The CSV and puzzle-list readers, including the messages for bad input. */
class SudokuSourcesTest {
    static final Path CSV_DIR = Path.of("testdata/reference-datasets/sudoku-csv");
    static final String Q = ".5..83.17...1..4..3.4..56.8....3...9.9.8245....6....7...9....5...729..861.36.72.4";
    static final String A = "652483917978162435314975628825736149791824563436519872269348751547291386183657294";
    @TempDir
    Path dir;

    @Test
    void readsTheSudokuExtremeLayout() {
        SudokuPuzzles train = SudokuCsv.read(CSV_DIR.resolve("train.csv"));
        SudokuPuzzles test = SudokuCsv.read(CSV_DIR.resolve("test.csv"));
        assertEquals(12, train.size());
        assertEquals(6, test.size());
        int[] q = new int[81], a = new int[81];
        train.question(0, q);
        train.answer(0, a);
        assertEquals(Q, SudokuGrid.format(q));
        assertEquals(A, SudokuGrid.format(a));
        assertEquals(5, train.rating(0));
        assertEquals(0, SudokuCsv.read(CSV_DIR.resolve("train.csv"), 6).size(), "min rating filters");
    }

    @Test
    void badCsvRowsNameTheFileAndLine() throws IOException {
        String header = "source,question,answer,rating\n";
        String good = "x," + Q + "," + A + ",3\n";
        expectCsvError(header + good + "x," + Q + "," + A + "\n", 3, "expected 4 comma-separated fields");
        expectCsvError(header + "x," + Q.substring(1) + "," + A + ",3\n", 2, "question: expected 81 characters, got 80");
        expectCsvError(header + good + good + "x," + Q.replace('5', 'x') + "," + A + ",3\n", 4, "question: character 2 is 'x'");
        expectCsvError(header + "x," + Q + "," + A.replace('6', '.') + ",3\n", 2, "answer: character 1 is '.'");
        expectCsvError(header + "x," + Q + "," + A + ",three\n", 2, "rating: expected an integer");
        String wrong = "7" + A.substring(1);
        expectCsvError(header + "x," + Q + "," + wrong + ",3\n", 2, "answer repeats a digit in row 1");
        String swapped = A.substring(0, 1) + A.charAt(2) + A.charAt(1) + A.substring(3);   // 5 and 2 swapped: clashes with the given 5
        expectCsvError(header + "x," + Q + "," + swapped + ",3\n", 2, "where the question gives 5");
        expectCsvError("src,q,a,r\n" + good, 1, "expected the header");
        java.io.UncheckedIOException missing = assertThrows(java.io.UncheckedIOException.class, () -> SudokuCsv.read(dir.resolve("none.csv")));
        assertEquals(dir.resolve("none.csv") + ": no such file", missing.getMessage());
    }

    private void expectCsvError(String text, int line, String what) throws IOException {
        Path f = Files.writeString(dir.resolve("bad.csv"), text);
        SudokuInputException e = assertThrows(SudokuInputException.class, () -> SudokuCsv.read(f));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void readsPuzzleListsWithCommentsAndExtraFields() {
        SudokuPuzzleList list = SudokuPuzzleList.read(SudokuSolverTest.TDOKU);
        assertTrue(list.size() >= 30);
        assertEquals(1, list.lines()[0]);
        SudokuPuzzleList magic = SudokuPuzzleList.read(Path.of("testdata/sudoku/puzzles3_magictour_top1465.txt"));
        assertEquals(1465, magic.size());
        assertEquals(3, magic.lines()[0], "two comment lines come first");
        SudokuPuzzles solved = magic.solve(2);
        assertEquals(1465, solved.size());
        int[] q = new int[81], a = new int[81];
        long rated = 0;
        for (int i = 0; i < solved.size(); i++) {
            solved.question(i, q);
            solved.answer(i, a);
            assertNull(SudokuGrid.checkSolution(q, a));
            rated += solved.rating(i);
        }
        assertTrue(rated > 0, "top1465 puzzles need guessing");
    }

    @Test
    void listPuzzlesWithoutOneSolutionAreErrorsNamingTheLine() throws IOException {
        Path f = Files.writeString(dir.resolve("p.txt"), "# comment\n\n" + Q + ":1\n"
                + "1...5.2.9..7.......6.......2...........5.1..2....2.39.3.4.9...15...1...3...8...4.:0\n");
        SudokuInputException e = assertThrows(SudokuInputException.class, () -> SudokuPuzzleList.read(f).solve(1));
        assertEquals(f + ":4: the puzzle has no solution", e.getMessage());
        Path g = Files.writeString(dir.resolve("q.txt"), Q + "\n" + ".".repeat(81) + "\n");
        e = assertThrows(SudokuInputException.class, () -> SudokuPuzzleList.read(g).solve(1));
        assertEquals(g + ":2: the puzzle has more than one solution", e.getMessage());
        Path h = Files.writeString(dir.resolve("r.txt"), Q + "\n" + Q + "1\n");
        e = assertThrows(SudokuInputException.class, () -> SudokuPuzzleList.read(h));
        assertEquals(h + ":2: puzzle: expected 81 characters, got 82", e.getMessage());
        Path k = Files.writeString(dir.resolve("s.txt"), Q.replace('3', 'a') + "\n");
        e = assertThrows(SudokuInputException.class, () -> SudokuPuzzleList.read(k));
        assertTrue(e.getMessage().startsWith(k + ":1: puzzle: character 6 is 'a'"), e.getMessage());
    }

    @Test
    void splitIsSeededAndDisjoint() {
        SudokuPuzzles all = SudokuPuzzleList.read(SudokuSolverTest.TDOKU.resolveSibling("puzzles3_magictour_top1465.txt")).solve(2);
        SudokuSplit a = SudokuSplit.of(all, 0.1, new SplittableRandom(5));
        SudokuSplit b = SudokuSplit.of(all, 0.1, new SplittableRandom(5));
        assertEquals(147, a.test().size());
        assertEquals(1465 - 147, a.train().size());
        java.util.Set<String> train = new java.util.HashSet<>(), test = new java.util.HashSet<>();
        int[] q = new int[81];
        for (int i = 0; i < a.train().size(); i++) { a.train().question(i, q); train.add(SudokuGrid.format(q)); }
        for (int i = 0; i < a.test().size(); i++) {
            a.test().question(i, q);
            test.add(SudokuGrid.format(q));
            int[] q2 = new int[81];
            b.test().question(i, q2);
            assertArrayEquals(q, q2, "same seed, same split");
        }
        test.retainAll(train);
        assertTrue(test.isEmpty());
    }
}
