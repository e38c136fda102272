package hrm.data.sudoku;

import hrm.io.LineReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A puzzle-only collection: one 81-character puzzle per line ('.' or '0' blank), lines starting
 * with '#' and blank lines skipped, anything after a ':' on a line ignored (the tdoku files put
 * solution counts and solutions there).
 *
 * @param file    where the puzzles came from, for messages
 * @param puzzles 81 cells per puzzle (0 blank, 1-9 given)
 * @param lines   the 1-based line of each puzzle
 */
public record SudokuPuzzleList(Path file, byte[] puzzles, long[] lines) {
    /** Longer lines are refused before they are parsed: a file without line ends must not become one line as long as the heap. */
    static final int MAX_LINE = 1 << 16;

    public int size() { return lines.length; }

    public static SudokuPuzzleList read(Path file) {
        byte[] cells = new byte[81 * 1024];
        long[] lines = new long[1024];
        int n = 0;
        try (LineReader in = LineReader.open(file, MAX_LINE, "a puzzle line is 81 characters, 165 with a solution after ':'")) {
            String line;
            while ((line = in.next()) != null) {
                long lineNo = in.lineNumber();
                String text = line.strip();
                if (lineNo == 1 && text.startsWith("\uFEFF")) text = text.substring(1);
                if (text.isEmpty() || text.startsWith("#")) continue;
                int colon = text.indexOf(':');
                String puzzle = (colon < 0 ? text : text.substring(0, colon)).strip();
                int[] grid;
                try {
                    grid = SudokuGrid.parsePuzzle(puzzle);
                } catch (IllegalArgumentException e) {
                    throw new SudokuInputException(file, lineNo, "puzzle: " + hrm.io.ErrorText.of(e));
                }
                if (n == lines.length) {
                    lines = Arrays.copyOf(lines, n * 2);
                    cells = Arrays.copyOf(cells, n * 2 * 81);
                }
                for (int i = 0; i < 81; i++) cells[n * 81 + i] = (byte) grid[i];
                lines[n++] = lineNo;
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + hrm.io.IoMessages.of(e), e);
        }
        return new SudokuPuzzleList(file, Arrays.copyOf(cells, n * 81), Arrays.copyOf(lines, n));
    }

    /**
     * Solves every puzzle and keeps it with its solution, rated by its backtrack count. A puzzle
     * with no solution or with several is an error naming its line.
     */
    public SudokuPuzzles solve(int threads) {
        SudokuBatchSolver.Results r = SudokuBatchSolver.solveAll(puzzles, threads);
        SudokuPuzzles out = new SudokuPuzzles();
        int[] q = new int[81], a = new int[81];
        for (int i = 0; i < size(); i++) {
            int count = r.solutionCounts()[i];
            if (count != 1)
                throw new SudokuInputException(file, lines[i], count == 0 ? "the puzzle has no solution"
                        : "the puzzle has more than one solution");
            for (int k = 0; k < 81; k++) {
                q[k] = puzzles[i * 81 + k];
                a[k] = r.solutions()[i * 81 + k];
            }
            out.add(q, a, (int) Math.min(Integer.MAX_VALUE, r.backtracks()[i]));
        }
        return out;
    }
}
