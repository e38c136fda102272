package hrm.data.maze;

import java.util.ArrayList;
import java.util.List;

/**
 * A maze as people write it, rows of '#', ' ', 'S', 'G', turned into the model's question tokens.
 * Shared by {@code hrm solve maze} (a file or standard input) and the embedding API (a string), so
 * both read a maze the same way.
 */
public final class MazeText {
    private MazeText() {}

    /**
     * The question tokens of {@code text}, its rows ending in LF, CRLF or CR; messages start with
     * {@code where} (a file name, or what the caller calls the text). A line may lose its trailing
     * spaces to an editor: they are open cells, so short lines are padded to the maze's side (its
     * row count). Blank lines at the end are ignored.
     */
    public static int[] parse(String text, String where) {
        List<String> lines = lines(text);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
        int n = lines.size();
        if (n == 0) throw new IllegalArgumentException(where + ": empty maze");
        StringBuilder cells = new StringBuilder(n * n);
        for (int r = 0; r < n; r++) {
            String line = lines.get(r);
            if (line.length() > n) throw new IllegalArgumentException(where + ":" + (r + 1) + ": " + line.length() + " characters in a maze of " + n + " rows (mazes are square)");
            cells.append(line).append(" ".repeat(n - line.length()));
        }
        try {
            return MazeTokens.question(cells.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    /** The lines of text, each without its end: "\r\n", "\n" or "\r" (a file from Windows or an old Mac). */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r') continue;
            out.add(text.substring(start, i));
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
            start = i + 1;
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }
}
