package hrm.data.maze;

import hrm.data.DatasetException;
import hrm.io.AtomicFiles;
import hrm.io.LineReader;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Maze CSV files in the layout of the authors' Maze-Hard data ({@code source,question,answer,rating}, one
 * maze per line, each grid as {@code size * size} characters row after row, LF line ends).
 *
 * <p>Reading checks every row: four fields, square grids of one size per file, the question made of
 * {@code "# SG"} with exactly one S and one G, the answer equal to the question except open cells that may
 * be marked {@code o}, and an integer (or empty) rating.
 */
public final class MazeCsv {
    public static final String HEADER = "source,question,answer,rating";
    /** Rows longer than this (mazes beyond about 1400x1400) are refused before they are parsed: a file without line ends must not become one line as long as the heap. */
    static final int MAX_LINE = 1 << 22;

    private MazeCsv() {}

    public static List<Maze> read(Path file) {
        if (!Files.isRegularFile(file)) throw new DatasetException(file, "no such file");
        List<Maze> mazes = new ArrayList<>();
        try (LineReader in = LineReader.open(file, MAX_LINE, "a 30x30 maze's row is about 1,800 characters")) {
            String header = in.next();
            if (header == null) throw error(file, 1, "empty file, expected the header " + HEADER);
            if (header.startsWith("\uFEFF")) header = header.substring(1);
            if (!header.strip().equals(HEADER))
                throw error(file, 1, "header is '" + header + "', expected '" + HEADER + "'");
            int size = -1;
            for (String line; (line = in.next()) != null; ) {
                int lineNo = (int) in.lineNumber();
                if (line.isEmpty()) continue;
                Maze m = parseRow(file, lineNo, line, size);
                size = m.size();
                mazes.add(m);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + hrm.io.IoMessages.of(e), e);
        }
        return mazes;
    }

    private static Maze parseRow(Path file, int line, String text, int size) {
        List<String> f = splitFields(file, line, text);
        if (f.size() != 4)
            throw error(file, line, "has " + f.size() + " fields, expected 4 (" + HEADER + ")");
        String q = f.get(1), a = f.get(2);
        int n = (int) Math.round(Math.sqrt(q.length()));
        if (q.isEmpty() || n * n != q.length())
            throw error(file, line, "question has " + q.length() + " characters, not a square grid");
        if (size >= 0 && n != size) throw error(file, line,
                "question is a " + n + "x" + n + " grid but earlier rows are " + size + "x" + size);
        if (a.length() != q.length()) throw error(file, line,
                "answer has " + a.length() + " characters, the question " + q.length());
        int[] input;
        try {
            input = MazeTokens.question(q);
        } catch (IllegalArgumentException e) {
            throw error(file, line, hrm.io.ErrorText.of(e));
        }
        int[] label = new int[n * n];
        for (int i = 0; i < q.length(); i++) {
            char ac = a.charAt(i);
            int qt = input[i], at = MazeTokens.token(ac);
            if (at < 0) throw error(file, line,
                    "answer: character '" + ac + "' at " + cell(i, n) + " is not one of '# SGo'");
            if (at != qt && !(qt == MazeTokens.OPEN && at == MazeTokens.PATH)) throw error(file, line,
                    "answer has '" + ac + "' at " + cell(i, n) + " where the question has '" + q.charAt(i)
                            + "' (only open cells may change, to 'o')");
            label[i] = at;
        }
        int rating = -1;
        String r = f.get(3).strip();
        if (!r.isEmpty()) {
            try {
                rating = Integer.parseInt(r);
            } catch (NumberFormatException e) {
                throw error(file, line, "rating '" + r + "' is not an integer");
            }
        }
        return new Maze(f.get(0), n, input, label, rating);
    }

    private static DatasetException error(Path file, int line, String what) {
        return new DatasetException(file, "line " + line + ": " + what);
    }

    private static String cell(int i, int n) {
        return "row " + (i / n + 1) + ", column " + (i % n + 1);
    }

    /** Splits one CSV record; fields may be double-quoted with {@code ""} for a quote, as Python writes them. */
    private static List<String> splitFields(Path file, int line, String text) {
        List<String> out = new ArrayList<>(4);
        StringBuilder sb = new StringBuilder(text.length());
        int i = 0, len = text.length();
        while (true) {
            sb.setLength(0);
            if (i < len && text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= len) throw error(file, line, "unterminated quoted field " + (out.size() + 1));
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < len && text.charAt(i) == '"') { sb.append('"'); i++; } else break;
                    } else sb.append(c);
                }
                if (i < len && text.charAt(i) != ',') throw error(file, line,
                        "text after the closing quote of field " + (out.size() + 1));
            } else {
                while (i < len && text.charAt(i) != ',') sb.append(text.charAt(i++));
            }
            out.add(sb.toString());
            if (i >= len) return out;
            i++; // the comma
        }
    }

    /** Writes mazes in the reference layout, atomically (a temporary file renamed into place). */
    public static void write(Path file, List<Maze> mazes) {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(HEADER);
            w.write('\n');
            for (Maze m : mazes) {
                w.write(quote(m.source()));
                w.write(',');
                w.write(MazeTokens.toText(m.input()));
                w.write(',');
                w.write(MazeTokens.toText(m.label()));
                w.write(',');
                if (m.rating() >= 0) w.write(Integer.toString(m.rating()));
                w.write('\n');
            }
            w.flush();
        });
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
