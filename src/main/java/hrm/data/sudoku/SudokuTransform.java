package hrm.data.sudoku;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The reference augmentation as an explicit mapping: optionally transpose, then take rows in
 * {@code rowPerm} order and columns in {@code colPerm} order, then relabel digits by
 * {@code digitMap} (blank 0 stays 0):
 * {@code out[r][c] = digitMap[x'[rowPerm[r]][colPerm[c]]]} with x' = transpose(x) if {@code transpose}.
 * The row and column orders keep bands and stacks together, so the result is again a Sudoku.
 */
public record SudokuTransform(int[] digitMap, boolean transpose, int[] rowPerm, int[] colPerm) {
    public SudokuTransform {
        digitMap = digitMap.clone();
        rowPerm = rowPerm.clone();
        colPerm = colPerm.clone();
        if (digitMap.length != 10 || digitMap[0] != 0 || !isPermutation(digitMap))
            throw new IllegalArgumentException("digitMap must map 0 to 0 and permute 1-9: " + Arrays.toString(digitMap));
        checkLinePermutation("rowPerm", rowPerm);
        checkLinePermutation("colPerm", colPerm);
    }

    public static SudokuTransform identity() {
        int[] id = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        return new SudokuTransform(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, false, id, id);
    }

    /**
     * A random transform drawn in the reference's order: digit permutation, transpose with
     * probability 1/2, band order then the rows inside each band, stack order then the columns.
     */
    public static SudokuTransform random(RandomGenerator rng) {
        int[] digits = new int[10];
        int[] perm = permutation(9, rng);
        for (int i = 0; i < 9; i++) digits[i + 1] = perm[i] + 1;
        boolean transpose = rng.nextDouble() < 0.5;
        return new SudokuTransform(digits, transpose, linePermutation(rng), linePermutation(rng));
    }

    /** Applies the transform: {@code dst} (81 cells) from {@code src}; they must be different arrays. */
    public void apply(int[] src, int[] dst) {
        if (src == dst) throw new IllegalArgumentException("src and dst must differ");
        for (int r = 0; r < 9; r++)
            for (int c = 0; c < 9; c++) {
                int sr = rowPerm[r], sc = colPerm[c];
                dst[r * 9 + c] = digitMap[transpose ? src[sc * 9 + sr] : src[sr * 9 + sc]];
            }
    }

    public int[] apply(int[] src) {
        int[] dst = new int[81];
        apply(src, dst);
        return dst;
    }

    /**
     * The transform that undoes this one, in the same form. Undoing the relabel and the line
     * orders gives x' = inverse orders of y; if x' was a transpose, transposing back swaps the
     * roles of the row and column orders.
     */
    public SudokuTransform inverse() {
        int[] digits = new int[10];
        for (int d = 1; d <= 9; d++) digits[digitMap[d]] = d;
        int[] rInv = invert(rowPerm), cInv = invert(colPerm);
        return transpose ? new SudokuTransform(digits, true, cInv, rInv) : new SudokuTransform(digits, false, rInv, cInv);
    }

    @Override
    public int[] digitMap() { return digitMap.clone(); }

    @Override
    public int[] rowPerm() { return rowPerm.clone(); }

    @Override
    public int[] colPerm() { return colPerm.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof SudokuTransform t && transpose == t.transpose && Arrays.equals(digitMap, t.digitMap)
                && Arrays.equals(rowPerm, t.rowPerm) && Arrays.equals(colPerm, t.colPerm);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digitMap) * 31 + Arrays.hashCode(rowPerm) * 17 + Arrays.hashCode(colPerm) + (transpose ? 1 : 0);
    }

    @Override
    public String toString() {
        return "SudokuTransform[digitMap=" + Arrays.toString(digitMap) + ", transpose=" + transpose
                + ", rowPerm=" + Arrays.toString(rowPerm) + ", colPerm=" + Arrays.toString(colPerm) + "]";
    }

    private static int[] linePermutation(RandomGenerator rng) {
        int[] bands = permutation(3, rng);
        int[] out = new int[9];
        for (int b = 0; b < 3; b++) {
            int[] inner = permutation(3, rng);
            for (int i = 0; i < 3; i++) out[b * 3 + i] = bands[b] * 3 + inner[i];
        }
        return out;
    }

    /** Fisher-Yates shuffle of 0..n-1. */
    static int[] permutation(int n, RandomGenerator rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] invert(int[] p) {
        int[] inv = new int[p.length];
        for (int i = 0; i < p.length; i++) inv[p[i]] = i;
        return inv;
    }

    private static boolean isPermutation(int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int v : p) {
            if (v < 0 || v >= p.length || seen[v]) return false;
            seen[v] = true;
        }
        return true;
    }

    private static void checkLinePermutation(String name, int[] p) {
        if (p.length != 9 || !isPermutation(p))
            throw new IllegalArgumentException(name + " must permute 0-8: " + Arrays.toString(p));
        for (int b = 0; b < 3; b++)
            for (int i = 1; i < 3; i++)
                if (p[b * 3 + i] / 3 != p[b * 3] / 3)
                    throw new IllegalArgumentException(name + " must keep each band (stack) together: " + Arrays.toString(p));
    }
}
