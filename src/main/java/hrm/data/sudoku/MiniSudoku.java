package hrm.data.sudoku;

import java.util.SplittableRandom;

/**
 * Sudoku on an n x n board with boxes of boxRows x boxCols (n = boxRows * boxCols): 6x6 with 2x3
 * boxes, 4x4 with 2x2, or 9x9. A small exact solver that counts solutions, a random solved grid,
 * and puzzles with a unique solution and a chosen number of blanks. It is for boards small enough
 * that plain backtracking with the most-constrained cell first is instant; {@link SudokuSolver} is
 * the fast one for 9x9.
 */
public final class MiniSudoku {
    public final int boxRows, boxCols, n, cells;
    private final int full;
    private final int[][] peers;

    public MiniSudoku(int boxRows, int boxCols) {
        if (boxRows < 1 || boxCols < 1 || boxRows * boxCols > 16)
            throw new IllegalArgumentException("box " + boxRows + "x" + boxCols + ": boards up to 16x16 are supported");
        this.boxRows = boxRows;
        this.boxCols = boxCols;
        this.n = boxRows * boxCols;
        this.cells = n * n;
        this.full = (1 << (n + 1)) - 2; // digits 1..n as bits 1..n
        peers = new int[cells][];
        for (int c = 0; c < cells; c++) {
            int r = c / n, k = c % n, br = r / boxRows * boxRows, bc = k / boxCols * boxCols;
            java.util.Set<Integer> p = new java.util.TreeSet<>();
            for (int i = 0; i < n; i++) {
                p.add(r * n + i);
                p.add(i * n + k);
                p.add((br + i / boxCols) * n + bc + i % boxCols);
            }
            p.remove(c);
            peers[c] = p.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Digits 1..n a blank cell (0) could take; 0 for a filled cell. */
    private int candidates(int[] g, int c) {
        if (g[c] != 0) return 0;
        int used = 0;
        for (int p : peers[c]) used |= 1 << g[p];
        return full & ~used;
    }

    /** Solutions of g (0 = blank), counted up to limit; the first found goes to firstOut when non-null. */
    public int countSolutions(int[] puzzle, int limit, int[] firstOut) {
        return countSolutions(puzzle, limit, firstOut, Long.MAX_VALUE);
    }

    /**
     * As {@link #countSolutions(int[], int, int[])}, visiting at most {@code maxNodes} search nodes:
     * -1 if the search stopped there undecided. A user's puzzle is checked with a bound because a
     * blank-heavy 9x9 without a solution can take this plain backtracking a very long time.
     */
    public int countSolutions(int[] puzzle, int limit, int[] firstOut, long maxNodes) {
        int[] g = puzzle.clone();
        for (int c = 0; c < cells; c++)
            if (g[c] != 0 && (g[c] < 1 || g[c] > n || conflicts(g, c))) return 0;
        long[] budget = {maxNodes};
        int found = search(g, limit, firstOut, null, budget);
        return budget[0] < 0 ? -1 : found;
    }

    private boolean conflicts(int[] g, int c) {
        for (int p : peers[c]) if (g[p] == g[c]) return true;
        return false;
    }

    /** budget[0]: nodes left; below 0 the search is abandoned and its count means nothing. */
    private int search(int[] g, int limit, int[] firstOut, SplittableRandom rng, long[] budget) {
        if (--budget[0] < 0) return 0;
        int best = -1, bestCount = Integer.MAX_VALUE, bestMask = 0;
        for (int c = 0; c < cells; c++) {
            if (g[c] != 0) continue;
            int m = candidates(g, c), k = Integer.bitCount(m);
            if (k == 0) return 0;
            if (k < bestCount) {
                best = c;
                bestCount = k;
                bestMask = m;
            }
        }
        if (best < 0) {
            if (firstOut != null) System.arraycopy(g, 0, firstOut, 0, cells);
            return 1;
        }
        int[] digits = new int[bestCount];
        for (int d = 1, i = 0; d <= n; d++) if ((bestMask & (1 << d)) != 0) digits[i++] = d;
        if (rng != null) shuffle(digits, rng);
        int found = 0;
        for (int d : digits) {
            g[best] = d;
            found += search(g, limit - found, found == 0 ? firstOut : null, rng, budget);
            g[best] = 0;
            if (found >= limit || budget[0] < 0) break;
        }
        return found;
    }

    /** A uniformly shuffled search's first solved grid. */
    public int[] randomSolution(SplittableRandom rng) {
        int[] out = new int[cells];
        if (search(new int[cells], 1, out, rng, new long[] {Long.MAX_VALUE}) != 1) throw new IllegalStateException("no solution on an empty board");
        return out;
    }

    /**
     * A puzzle of the solution with exactly {@code blanks} blank cells and a unique solution: cells
     * are emptied in random order, skipping those whose removal allows a second solution. Null if
     * this order cannot reach the count (the caller draws again).
     */
    public int[] puzzle(int[] solution, int blanks, SplittableRandom rng) {
        int[] g = solution.clone(), order = new int[cells];
        for (int i = 0; i < cells; i++) order[i] = i;
        shuffle(order, rng);
        int removed = 0;
        for (int c : order) {
            if (removed == blanks) break;
            int keep = g[c];
            g[c] = 0;
            if (countSolutions(g, 2, null) == 1) removed++;
            else g[c] = keep;
        }
        return removed == blanks ? g : null;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Model tokens of cells, as the reference's Sudoku builder writes them: blank 1, digit d -> d + 1. */
    public static int[] toTokens(int[] cells) {
        int[] t = new int[cells.length];
        for (int i = 0; i < t.length; i++) t[i] = cells[i] + 1;
        return t;
    }

    /** Cells of model tokens (blank and pad both read as blank). */
    public static int[] fromTokens(int[] tokens) {
        int[] c = new int[tokens.length];
        for (int i = 0; i < c.length; i++) c[i] = Math.max(0, tokens[i] - 1);
        return c;
    }

    /** The board for a puzzle of this many cells: 16 (2x2 boxes), 36 (2x3), 81 (3x3). */
    public static MiniSudoku forCells(int cells) {
        return switch (cells) {
            case 16 -> new MiniSudoku(2, 2);
            case 36 -> new MiniSudoku(2, 3);
            case 81 -> new MiniSudoku(3, 3);
            default -> throw new IllegalArgumentException("a Sudoku of " + cells + " cells: expected 16 (4x4), 36 (6x6) or 81 (9x9)");
        };
    }

    /**
     * Cells from text: ASCII digits 1..n, '.' or '0' blank; whitespace and '|' ignored. Other digits
     * (Arabic-Indic, fullwidth: Character.digit takes them) are refused naming the cell, and so are
     * givens that already break a rule ({@link GivenClash}): such a puzzle has no solution to look for.
     */
    public static int[] parse(String text) {
        int[] t = text.replaceAll("[\\s|]", "").codePoints().toArray();
        MiniSudoku b = forCells(t.length);
        int[] g = new int[t.length];
        for (int i = 0; i < g.length; i++) {
            int ch = t[i];
            int v = ch == '.' ? 0 : ch >= '0' && ch <= '9' ? ch - '0' : -1;
            if (v < 0 || v > b.n)
                throw new IllegalArgumentException(b.cellName(i) + ": " + describe(ch) + " is not a digit 1-" + b.n + ", '.' or '0'"
                        + (Character.isDigit(ch) ? " (only ASCII digits)" : ""));
            g[i] = v;
        }
        GivenClash clash = GivenClash.find(b, g);
        if (clash != null) throw new IllegalArgumentException("givens break a rule: " + clash);
        return g;
    }

    private String cellName(int c) {
        return "row " + (c / n + 1) + " column " + (c % n + 1);
    }

    /** Cell c as the short messages name it: "r3c4" (1-based). */
    public String cellLabel(int c) {
        return "r" + (c / n + 1) + "c" + (c % n + 1);
    }

    private static String describe(int codePoint) {
        String s = "'" + new String(Character.toChars(codePoint)) + "'";
        return codePoint < 0x80 && codePoint >= 0x20 ? s : s + String.format(java.util.Locale.ROOT, " (U+%04X)", codePoint);
    }

    /** Null if answer is a complete valid grid keeping every given of puzzle, else what is wrong. */
    public String check(int[] puzzle, int[] answer) {
        for (int c = 0; c < cells; c++) {
            if (answer[c] < 1 || answer[c] > n) return "row " + (c / n + 1) + " column " + (c % n + 1) + " is not a digit";
            if (puzzle[c] != 0 && puzzle[c] != answer[c]) return "row " + (c / n + 1) + " column " + (c % n + 1) + " changes a given";
            if (conflicts(answer, c)) return "row " + (c / n + 1) + " column " + (c % n + 1) + " repeats a digit of its row, column or box";
        }
        return null;
    }

    /** The grid as rows of digits ('.' for blank), boxes separated. */
    public String format(int[] g) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < n; r++) {
            if (r > 0 && r % boxRows == 0) sb.append('\n');
            for (int c = 0; c < n; c++) {
                if (c > 0) sb.append(c % boxCols == 0 ? "  " : " ");
                int v = g[r * n + c];
                sb.append(v == 0 ? "." : Integer.toString(v, 36));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
