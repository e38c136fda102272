package hrm.data;

/**
 * The 8 symmetries of a rectangle, numbered as the reference's {@code dihedral_transform}: 0 identity,
 * 1 rot90, 2 rot180, 3 rot270 (numpy {@code rot90}, counter-clockwise), 4 flip left-right, 5 flip
 * up-down, 6 transpose, 7 anti-transpose (flip left-right of rot90).
 *
 * <p>Grids are row-major; ids 1, 3, 6 and 7 swap the numbers of rows and columns.
 */
public final class Dihedral {
    public static final int COUNT = 8;
    private static final int[] INVERSE = {0, 3, 2, 1, 4, 5, 6, 7};

    private Dihedral() {}

    /** The id that undoes {@code id}. */
    public static int inverse(int id) {
        check(id);
        return INVERSE[id];
    }

    /** Whether the transform exchanges rows and columns (a rows x cols grid becomes cols x rows). */
    public static boolean swapsAxes(int id) {
        check(id);
        return id == 1 || id == 3 || id == 6 || id == 7;
    }

    /** Rows of the transformed grid. */
    public static int outRows(int id, int rows, int cols) {
        return swapsAxes(id) ? cols : rows;
    }

    /** Columns of the transformed grid. */
    public static int outCols(int id, int rows, int cols) {
        return swapsAxes(id) ? rows : cols;
    }

    /** The transformed {@code rows x cols} grid, {@code cols x rows} where {@link #swapsAxes} holds. */
    public static int[] apply(int id, int[] grid, int rows, int cols) {
        int[] out = new int[rows * cols];
        apply(id, grid, 0, rows, cols, out, 0);
        return out;
    }

    /** Writes the transformed grid at {@code src[srcOff..]} into {@code dst[dstOff..]}; the two must not overlap. */
    public static void apply(int id, int[] src, int srcOff, int rows, int cols, int[] dst, int dstOff) {
        check(id);
        int n = rows * cols;
        if (rows < 0 || cols < 0 || srcOff < 0 || dstOff < 0 || srcOff + n > src.length || dstOff + n > dst.length)
            throw new IllegalArgumentException("a " + rows + "x" + cols + " grid at " + srcOff + " -> " + dstOff
                    + " does not fit arrays of " + src.length + " and " + dst.length);
        if (src == dst && srcOff < dstOff + n && dstOff < srcOff + n)
            throw new IllegalArgumentException("source and destination overlap");
        int r = rows, c = cols, s = srcOff;
        // Each case walks the output in order and reads its source cell; out is (r x c) or (c x r).
        switch (id) {
            case 0 -> System.arraycopy(src, s, dst, dstOff, n);
            case 1 -> { // out[i][j] = a[j][c-1-i], out is c x r
                int o = dstOff;
                for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) dst[o++] = src[s + j * c + (c - 1 - i)];
            }
            case 2 -> {
                for (int k = 0; k < n; k++) dst[dstOff + k] = src[s + n - 1 - k];
            }
            case 3 -> { // out[i][j] = a[r-1-j][i]
                int o = dstOff;
                for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) dst[o++] = src[s + (r - 1 - j) * c + i];
            }
            case 4 -> {
                int o = dstOff;
                for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) dst[o++] = src[s + i * c + (c - 1 - j)];
            }
            case 5 -> {
                for (int i = 0; i < r; i++) System.arraycopy(src, s + (r - 1 - i) * c, dst, dstOff + i * c, c);
            }
            case 6 -> { // out[i][j] = a[j][i]
                int o = dstOff;
                for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) dst[o++] = src[s + j * c + i];
            }
            default -> { // 7: out[i][j] = a[r-1-j][c-1-i]
                int o = dstOff;
                for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) dst[o++] = src[s + (r - 1 - j) * c + (c - 1 - i)];
            }
        }
    }

    private static void check(int id) {
        if (id < 0 || id >= COUNT) throw new IllegalArgumentException("dihedral transform id must be 0..7, got " + id);
    }
}
