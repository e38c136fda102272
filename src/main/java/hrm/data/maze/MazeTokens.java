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

    /** Whether a path may step onto a cell holding this token. */
    static boolean passable(int token) {
        return token == OPEN || token == START || token == GOAL || token == PATH;
    }

    /** The grid as text, one character per cell, row after row. */
    public static String toText(int[] grid) {
        StringBuilder sb = new StringBuilder(grid.length);
        for (int t : grid) sb.append(symbol(t));
        return sb.toString();
    }
}
