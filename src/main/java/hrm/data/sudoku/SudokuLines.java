package hrm.data.sudoku;

import hrm.io.IoMessages;
import hrm.io.LineReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puzzles one a line for {@code hrm solve}: 16, 36 or 81 cells as {@link MiniSudoku#parse} reads
 * them ('.' or '0' blank, spaces and '|' ignored), blank lines and lines starting with '#' skipped.
 * All lines are read and checked before any is solved, so a bad line is refused (naming
 * file:line) before a model runs on the ones above it; all puzzles of a file have one size, as
 * the model that solves them takes one.
 */
public final class SudokuLines {
    /** A 9x9 line with spaces and '|' between all cells is under 200 characters. */
    static final int MAX_LINE = 1024;
    /** A model answers a few puzzles a second on a CPU: more would take a day, and the list is held in memory. */
    public static final int MAX_PUZZLES = 100_000;

    /** @param line the 1-based line of the file it came from; @param cells 0 blank */
    public record Puzzle(long line, int[] cells) {}

    private SudokuLines() {}

    /** The puzzles of {@code file}; a missing file is bad input naming it. */
    public static List<Puzzle> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + IoMessages.of(e), e);
        }
    }

    /** The puzzles of {@code in}, named {@code name} in messages (standard input: "stdin"). */
    public static List<Puzzle> read(InputStream in, Path name) {
        List<Puzzle> out = new ArrayList<>();
        try {
            LineReader lines = LineReader.of(in, name, MAX_LINE, "one puzzle a line: 16, 36 or 81 cells");
            String line;
            while ((line = lines.next()) != null) {
                long no = lines.lineNumber();
                String text = no == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
                if (text.isBlank() || text.strip().startsWith("#")) continue;
                int[] cells;
                try {
                    cells = MiniSudoku.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new SudokuInputException(name, no, e.getMessage());
                }
                if (!out.isEmpty() && out.get(0).cells().length != cells.length)
                    throw new SudokuInputException(name, no, "a " + cells.length + "-cell puzzle after " + out.get(0).cells().length
                            + "-cell ones (line " + out.get(0).line() + "): one size a file, as a model solves one size");
                if (out.size() == MAX_PUZZLES)
                    throw new SudokuInputException(name, no, "more than " + MAX_PUZZLES + " puzzles: split the file");
                out.add(new Puzzle(no, cells));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + IoMessages.of(e), e);
        }
        if (out.isEmpty()) throw new IllegalArgumentException(name + ": no puzzle (one a line: 16, 36 or 81 cells; '#' starts a comment)");
        return out;
    }
}
