package hrm.data;

/**
 * The 8 symmetries of a grid (spec section 10), numbered as the reference's {@code dihedral_transform}:
 * 0 identity, 1 rot90, 2 rot180, 3 rot270 (numpy {@code rot90}, counter-clockwise), 4 flip left-right,
 * 5 flip up-down, 6 transpose, 7 anti-transpose (flip left-right of rot90).
 *
 * <p>Grids are flat row-major int arrays of {@code rows x cols}; transforms 1, 3, 6 and 7 swap the two
 * dimensions, so their result is {@code cols x rows}. Maze and ARC augmentation share this class.
 */
public final class Dihedral {
    public static final int COUNT = 8;
    private static final int[] INVERSE = {0, 3, 2, 1, 4, 5, 6, 7};

    private Dihedral() {}

    /** The transform that undoes {@code id}. */
    public static int inverse(int id) {
        return INVERSE[check(id)];
    }

    /** Whether the result of {@code id} has rows and columns swapped. */
    public static boolean swapsAxes(int id) {
        return switch (check(id)) {
            case 1, 3, 6, 7 -> true;
            default -> false;
        };
    }

    /** Rows of the transformed grid. */
    public static int outRows(int id, int rows, int cols) {
        return swapsAxes(id) ? cols : rows;
    }

    /** Columns of the transformed grid. */
    public static int outCols(int id, int rows, int cols) {
        return swapsAxes(id) ? rows : cols;
    }

    /** A new array holding transform {@code id} of the {@code rows x cols} grid. */
    public static int[] apply(int id, int[] grid, int rows, int cols) {
        int[] out = new int[rows * cols];
        apply(id, grid, 0, rows, cols, out, 0);
        return out;
    }

    /**
     * Writes transform {@code id} of the {@code rows x cols} grid at {@code src[srcOff..]} into
     * {@code dst[dstOff..]} (which must not overlap the source).
     */
    public static void apply(int id, int[] src, int srcOff, int rows, int cols, int[] dst, int dstOff) {
        check(id);
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative grid size " + rows + "x" + cols);
        int n = rows * cols;
        if (srcOff < 0 || srcOff + n > src.length) throw new IllegalArgumentException(
                "source holds " + src.length + " values, a " + rows + "x" + cols + " grid at " + srcOff + " does not fit");
        if (dstOff < 0 || dstOff + n > dst.length) throw new IllegalArgumentException(
                "destination holds " + dst.length + " values, a " + rows + "x" + cols + " grid at " + dstOff + " does not fit");
        if (n == 0) return;
        int outCols = outCols(id, rows, cols);
        int outRows = outRows(id, rows, cols);
        // out[i][j] = src[base + i * di + j * dj]: the source cell numpy's operation puts at (i, j).
        int last = rows - 1, right = cols - 1;
        int base, di, dj;
        switch (id) {
            case 0 -> { base = 0; di = cols; dj = 1; }
            case 1 -> { base = right; di = -1; dj = cols; }
            case 2 -> { base = last * cols + right; di = -cols; dj = -1; }
            case 3 -> { base = last * cols; di = 1; dj = -cols; }
            case 4 -> { base = right; di = cols; dj = -1; }
            case 5 -> { base = last * cols; di = -cols; dj = 1; }
            case 6 -> { base = 0; di = 1; dj = cols; }
            default -> { base = last * cols + right; di = -1; dj = -cols; }
        }
        for (int i = 0; i < outRows; i++) {
            int d = dstOff + i * outCols, s = srcOff + base + i * di;
            for (int j = 0; j < outCols; j++, s += dj) dst[d + j] = src[s];
        }
    }

    private static int check(int id) {
        if (id < 0 || id >= COUNT) throw new IllegalArgumentException("dihedral transform id " + id + " is not in 0..7");
        return id;
    }
}
