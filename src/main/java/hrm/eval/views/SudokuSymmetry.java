package hrm.eval.views;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Sudoku view on an n x n board with boxes of boxRows x boxCols: relabel the digits, permute the
 * bands (groups of boxRows rows) and the rows inside each band, the stacks (groups of boxCols
 * columns) and the columns inside each stack, and, only where boxes are square, transpose first
 * (a transposed 2x3-box board would have 3x2 boxes: another puzzle). Every rule (row, column, box)
 * maps onto a rule, so valid grids stay valid and the solution of the view is the view of the
 * solution. {@link hrm.data.sudoku.SudokuTransform} is the same map for 9x9 on digits; this one
 * works on any board and on tokens (pad 0, blank 1, digit d is token d + 1), since views are fed to
 * the model: {@code out[r][c] = token(x'[rowPerm[r]][colPerm[c]])}, x' = transpose(x) if transposed.
 * Tokens outside 1..n + 1 (pad, or a model's stray output) keep their value.
 */
public final class SudokuSymmetry implements View {
    private final int boxRows, boxCols, n;
    private final int[] tokenMap, tokenInverse, rowPerm, colPerm;
    private final boolean transpose;

    /**
     * @param digitPerm digit d (1..n) becomes digitPerm[d - 1] + 1
     * @param rowPerm   row r of the view is row rowPerm[r] of the (transposed) board; keeps bands together
     * @param colPerm   likewise for columns and stacks
     */
    public SudokuSymmetry(int boxRows, int boxCols, int[] digitPerm, boolean transpose, int[] rowPerm, int[] colPerm) {
        this.boxRows = boxRows;
        this.boxCols = boxCols;
        this.n = boxRows * boxCols;
        if (transpose && boxRows != boxCols)
            throw new IllegalArgumentException("a board with " + boxRows + "x" + boxCols + " boxes cannot be transposed (its boxes would turn)");
        checkPermutation("digitPerm", digitPerm, n);
        checkLines("rowPerm", rowPerm, boxRows);
        checkLines("colPerm", colPerm, boxCols);
        this.transpose = transpose;
        this.rowPerm = rowPerm.clone();
        this.colPerm = colPerm.clone();
        this.tokenMap = new int[n + 2];
        this.tokenInverse = new int[n + 2];
        tokenMap[0] = tokenInverse[0] = 0;
        tokenMap[1] = tokenInverse[1] = 1;
        for (int d = 0; d < n; d++) {
            tokenMap[d + 2] = digitPerm[d] + 2;
            tokenInverse[digitPerm[d] + 2] = d + 2;
        }
    }

    public static SudokuSymmetry identity(int boxRows, int boxCols) {
        int n = boxRows * boxCols;
        int[] id = identityPermutation(n);
        return new SudokuSymmetry(boxRows, boxCols, id, false, id, id);
    }

    /** A uniformly drawn symmetry: digits, transposition (square boxes only, probability 1/2), bands, rows, stacks, columns. */
    public static SudokuSymmetry random(int boxRows, int boxCols, SplittableRandom rng) {
        int n = boxRows * boxCols;
        int[] digits = shuffled(n, rng);
        boolean transpose = boxRows == boxCols && rng.nextBoolean();
        return new SudokuSymmetry(boxRows, boxCols, digits, transpose, lines(n, boxRows, rng), lines(n, boxCols, rng));
    }

    /**
     * How many distinct symmetries the board has: n! relabellings times the row orders
     * (bands! x (boxRows!)^bands) times the column orders (stacks! x (boxCols!)^stacks), twice that
     * with transposition; saturates at Long.MAX_VALUE (9x9 has about 1.2e12).
     */
    public static long count(int boxRows, int boxCols) {
        int n = boxRows * boxCols, bands = n / boxRows, stacks = n / boxCols;
        long c = factorial(n);
        c = times(c, factorial(bands));
        for (int b = 0; b < bands; b++) c = times(c, factorial(boxRows));
        c = times(c, factorial(stacks));
        for (int s = 0; s < stacks; s++) c = times(c, factorial(boxCols));
        return boxRows == boxCols ? times(c, 2) : c;
    }

    @Override
    public void apply(int[] src, int srcOff, int[] dst, int dstOff) {
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) {
                int sr = rowPerm[r], sc = colPerm[c];
                dst[dstOff + r * n + c] = map(tokenMap, src[srcOff + (transpose ? sc * n + sr : sr * n + sc)]);
            }
    }

    @Override
    public void invert(int[] src, int srcOff, int[] dst, int dstOff) {
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) {
                int sr = rowPerm[r], sc = colPerm[c];
                dst[dstOff + (transpose ? sc * n + sr : sr * n + sc)] = map(tokenInverse, src[srcOff + r * n + c]);
            }
    }

    @Override
    public boolean isIdentity() {
        return equals(identity(boxRows, boxCols));
    }

    public boolean transposes() {
        return transpose;
    }

    private static int map(int[] table, int token) {
        return token >= 0 && token < table.length ? table[token] : token;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SudokuSymmetry s && s.boxRows == boxRows && s.boxCols == boxCols && s.transpose == transpose
                && Arrays.equals(s.tokenMap, tokenMap) && Arrays.equals(s.rowPerm, rowPerm) && Arrays.equals(s.colPerm, colPerm);
    }

    @Override
    public int hashCode() {
        return ((Arrays.hashCode(tokenMap) * 31 + Arrays.hashCode(rowPerm)) * 31 + Arrays.hashCode(colPerm)) * 2 + (transpose ? 1 : 0);
    }

    @Override
    public String toString() {
        return "SudokuSymmetry[tokens=" + Arrays.toString(tokenMap) + ", transpose=" + transpose
                + ", rows=" + Arrays.toString(rowPerm) + ", cols=" + Arrays.toString(colPerm) + "]";
    }

    /** A line order that keeps groups of {@code group} lines together: the groups shuffled, then the lines in each. */
    private static int[] lines(int n, int group, SplittableRandom rng) {
        int[] groups = shuffled(n / group, rng), out = new int[n];
        for (int g = 0; g < groups.length; g++) {
            int[] inner = shuffled(group, rng);
            for (int i = 0; i < group; i++) out[g * group + i] = groups[g] * group + inner[i];
        }
        return out;
    }

    private static int[] shuffled(int n, SplittableRandom rng) {
        int[] p = identityPermutation(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] identityPermutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    private static void checkPermutation(String name, int[] p, int n) {
        boolean[] seen = new boolean[n];
        if (p.length != n) throw new IllegalArgumentException(name + " must permute 0.." + (n - 1) + ": " + Arrays.toString(p));
        for (int v : p) {
            if (v < 0 || v >= n || seen[v]) throw new IllegalArgumentException(name + " must permute 0.." + (n - 1) + ": " + Arrays.toString(p));
            seen[v] = true;
        }
    }

    private void checkLines(String name, int[] p, int group) {
        checkPermutation(name, p, n);
        for (int i = 0; i < n; i++)
            if (p[i] / group != p[i - i % group] / group)
                throw new IllegalArgumentException(name + " must keep each group of " + group + " lines together: " + Arrays.toString(p));
    }

    private static long factorial(int k) {
        long f = 1;
        for (int i = 2; i <= k; i++) f = times(f, i);
        return f;
    }

    private static long times(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
