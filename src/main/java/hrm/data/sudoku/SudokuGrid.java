package hrm.data.sudoku;

/** Text forms of 81-cell grids and the validity checks shared by the sources. */
public final class SudokuGrid {
    private SudokuGrid() {}

    /**
     * Parses a puzzle: 81 characters, '1'-'9' given, '.' or '0' blank. Returns cells 0-9, or throws
     * IllegalArgumentException saying which character is wrong.
     */
    public static int[] parsePuzzle(CharSequence text) {
        return parse(text, true);
    }

    /** Parses a solved grid: 81 characters '1'-'9'. */
    public static int[] parseSolution(CharSequence text) {
        return parse(text, false);
    }

    private static int[] parse(CharSequence text, boolean blanks) {
        if (text.length() != 81)
            throw new IllegalArgumentException("expected 81 characters, got " + text.length());
        int[] cells = new int[81];
        for (int i = 0; i < 81; i++) {
            char ch = text.charAt(i);
            if (ch >= '1' && ch <= '9') cells[i] = ch - '0';
            else if (blanks && (ch == '.' || ch == '0')) cells[i] = 0;
            else throw new IllegalArgumentException("character " + (i + 1) + " is '" + printable(ch)
                    + "', expected " + (blanks ? "'1'-'9', '.' or '0'" : "'1'-'9'"));
        }
        return cells;
    }

    /** The puzzle in the '.'-blank form used by the sudoku-extreme CSV. */
    public static String format(int[] cells) {
        char[] out = new char[81];
        for (int i = 0; i < 81; i++) out[i] = cells[i] == 0 ? '.' : (char) ('0' + cells[i]);
        return new String(out);
    }

    /** Null if {@code solution} is a valid complete grid agreeing with every given of {@code puzzle}, else why not. */
    public static String checkSolution(int[] puzzle, int[] solution) {
        for (int i = 0; i < 81; i++)
            if (puzzle[i] != 0 && puzzle[i] != solution[i])
                return "answer has " + solution[i] + " at row " + (i / 9 + 1) + " column " + (i % 9 + 1)
                        + " where the question gives " + puzzle[i];
        for (int u = 0; u < 27; u++) {
            int seen = 0;
            for (int k = 0; k < 9; k++) seen |= 1 << (solution[SudokuSolver.UNITS[u * 9 + k]] - 1);
            if (seen != SudokuSolver.ALL)
                return "answer repeats a digit in " + (u < 9 ? "row " + (u + 1) : u < 18 ? "column " + (u - 8) : "box " + (u - 17));
        }
        return null;
    }

    /** Number of blank cells. */
    public static int blanks(int[] puzzle) {
        int n = 0;
        for (int v : puzzle) if (v == 0) n++;
        return n;
    }

    private static String printable(char ch) {
        return ch < 32 || ch > 126 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch);
    }
}
