package hrm.data.maze;

/**
 * The Maze vocabulary of the reference builder: {@code CHARSET = "# SGo"}, each character's token is its
 * position + 1, so pad is 0 and the vocabulary has 6 tokens.
 */
public final class MazeTokens {
    public static final String CHARSET = "# SGo";
    public static final int PAD = 0;
    public static final int WALL = 1;
    public static final int OPEN = 2;
    public static final int START = 3;
    public static final int GOAL = 4;
    public static final int PATH = 5;
    public static final int VOCAB_SIZE = CHARSET.length() + 1;

    private MazeTokens() {}

    /** The token of a maze character, or -1 when it is not one. */
    public static int token(char c) {
        int i = CHARSET.indexOf(c);
        return i < 0 ? -1 : i + 1;
    }

    /** The character of a token 1..5. */
    public static char symbol(int token) {
        if (token < WALL || token > PATH) throw new IllegalArgumentException("maze token " + token + " is not in 1..5");
        return CHARSET.charAt(token - 1);
    }

    /**
     * The tokens of a square maze question, cells row after row: only '#', ' ', 'S', 'G', with
     * exactly one S and one G; an error names the cell.
     */
    public static int[] question(String cells) {
        int n = (int) Math.round(Math.sqrt(cells.length()));
        int[] g = new int[cells.length()];
        int starts = 0, goals = 0;
        for (int i = 0; i < g.length; i++) {
            char c = cells.charAt(i);
            int t = token(c);
            if (t < 0 || t == PATH)
                throw new IllegalArgumentException("question: character '" + c + "' at row " + (i / n + 1) + ", column " + (i % n + 1) + " is not one of '# SG'");
            if (t == START) starts++;
            if (t == GOAL) goals++;
            g[i] = t;
        }
        if (starts != 1 || goals != 1)
            throw new IllegalArgumentException("question has " + starts + " S and " + goals + " G cells, expected exactly one of each");
        return g;
    }

    /** Whether tokens[off, off + len) is a maze question: walls, open cells, exactly one S and one G. */
    public static boolean isQuestion(int[] tokens, int off, int len) {
        int starts = 0, goals = 0;
        for (int i = off; i < off + len; i++) {
            int t = tokens[i];
            if (t == START) starts++;
            else if (t == GOAL) goals++;
            else if (t != WALL && t != OPEN) return false;
        }
        return starts == 1 && goals == 1;
    }

    /** Whether a path may step onto a cell holding this token. */
    static boolean passable(int token) {
        return token == OPEN || token == START || token == GOAL || token == PATH;
    }

    /**
     * The square grid as text, one line per row, for people ({@link #toText} is the CSV field). A
     * model's answer may hold the pad token, which is no cell: it shows as '?' rather than failing.
     */
    public static String toRows(int[] grid) {
        int n = (int) Math.round(Math.sqrt(grid.length));
        StringBuilder sb = new StringBuilder(grid.length + n);
        for (int i = 0; i < grid.length; i++) {
            if (i > 0 && i % n == 0) sb.append('\n');
            sb.append(grid[i] >= WALL && grid[i] <= PATH ? symbol(grid[i]) : '?');
        }
        return sb.toString();
    }

    /** The grid as text, one character per cell, row after row: one line, as the CSV files hold it. */
    public static String toText(int[] grid) {
        StringBuilder sb = new StringBuilder(grid.length);
        for (int t : grid) sb.append(symbol(t));
        return sb.toString();
    }
}
