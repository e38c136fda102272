package hrm.data.sudoku;

import hrm.io.LineReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the sudoku-extreme CSV layout: a header {@code source,question,answer,rating}, then one
 * puzzle per row (81-character question with '.' or '0' blanks, 81-character answer, integer rating).
 * Every answer is checked to be a complete grid that agrees with its question.
 */
public final class SudokuCsv {
    static final String HEADER = "source,question,answer,rating";
    /** Longer lines are refused before they are parsed: a file without line ends must not become one line as long as the heap. */
    static final int MAX_LINE = 1 << 16;

    private SudokuCsv() {}

    /** All rows of {@code file}. */
    public static SudokuPuzzles read(Path file) {
        return read(file, Integer.MIN_VALUE);
    }

    /** The rows of {@code file} whose rating is at least {@code minRating} (every row is still validated). */
    public static SudokuPuzzles read(Path file, int minRating) {
        SudokuPuzzles out = new SudokuPuzzles();
        try (LineReader in = LineReader.open(file, MAX_LINE, "a row is about 170 characters")) {
            String header = in.next();
            if (header == null) throw new SudokuInputException(file, 1, "empty file, expected the header '" + HEADER + "'");
            header = stripBom(header).strip();
            if (!header.equals(HEADER))
                throw new SudokuInputException(file, 1, "expected the header '" + HEADER + "', got '" + abbreviate(header) + "'");
            String line;
            String[] fields = new String[4];
            while ((line = in.next()) != null) {
                long lineNo = in.lineNumber();
                if (line.isBlank()) continue;
                int n = split(line, fields);
                if (n != 4)
                    throw new SudokuInputException(file, lineNo, "expected 4 comma-separated fields (" + HEADER + "), got " + n);
                int[] question, answer;
                int rating;
                try {
                    question = SudokuGrid.parsePuzzle(fields[1]);
                } catch (IllegalArgumentException e) {
                    throw new SudokuInputException(file, lineNo, "question: " + hrm.io.ErrorText.of(e));
                }
                try {
                    answer = SudokuGrid.parseSolution(fields[2]);
                } catch (IllegalArgumentException e) {
                    throw new SudokuInputException(file, lineNo, "answer: " + hrm.io.ErrorText.of(e));
                }
                try {
                    rating = Integer.parseInt(fields[3].strip());
                } catch (NumberFormatException e) {
                    throw new SudokuInputException(file, lineNo, "rating: expected an integer, got '" + abbreviate(fields[3]) + "'");
                }
                String why = SudokuGrid.checkSolution(question, answer);
                if (why != null) throw new SudokuInputException(file, lineNo, why);
                if (rating >= minRating) out.add(question, answer, rating);
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + hrm.io.IoMessages.of(e), e);
        }
        return out;
    }

    /** Splits on commas, removing one pair of surrounding double quotes per field; returns the field count. */
    private static int split(String line, String[] fields) {
        int n = 0, start = 0, len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') len--;
        while (true) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 || comma > len ? len : comma;
            if (n < fields.length) fields[n] = unquote(line.substring(start, end));
            n++;
            if (end == len) return n;
            start = end + 1;
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"' ? s.substring(1, s.length() - 1) : s;
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

    static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
