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

    /** The transformed {@code rows x cols} grid, {@code cols x rows} where {@link #swapsAxes} holds. */
    public static int[] apply(int id, int[] grid, int rows, int cols) {
        int[] out = new int[rows * cols];
        apply(id, grid, rows, cols, out);
        return out;
    }

    /** Writes the transformed grid into {@code dst} (its first rows*cols entries); src and dst must differ. */
    public static void apply(int id, int[] src, int rows, int cols, int[] dst) {
        check(id);
        if (src.length < rows * cols || dst.length < rows * cols)
            throw new IllegalArgumentException("grid of " + rows + "x" + cols + " needs " + rows * cols
                    + " cells, got src " + src.length + ", dst " + dst.length);
        if (src == dst) throw new IllegalArgumentException("src and dst must be different arrays");
        int r = rows, c = cols;
        // Each case walks the output in order and reads its source cell; out is (r x c) or (c x r).
        switch (id) {
            case 0 -> System.arraycopy(src, 0, dst, 0, r * c);
            case 1 -> { // out[i][j] = a[j][c-1-i], out is c x r
                int o = 0;
                for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) dst[o++] = src[j * c + (c - 1 - i)];
            }
            case 2 -> {
                int n = r * c;
                for (int k = 0; k < n; k++) dst[k] = src[n - 1 - k];
            }
            case 3 -> { // out[i][j] = a[r-1-j][i]
                int o = 0;
                for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) dst[o++] = src[(r - 1 - j) * c + i];
            }
            case 4 -> {
                for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) dst[i * c + j] = src[i * c + (c - 1 - j)];
            }
            case 5 -> {
                for (int i = 0; i < r; i++) System.arraycopy(src, (r - 1 - i) * c, dst, i * c, c);
            }
            case 6 -> { // out[i][j] = a[j][i]
                int o = 0;
                for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) dst[o++] = src[j * c + i];
            }
            default -> { // 7: out[i][j] = a[r-1-j][c-1-i]
                int o = 0;
                for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) dst[o++] = src[(r - 1 - j) * c + (c - 1 - i)];
            }
        }
    }

    private static void check(int id) {
        if (id < 0 || id >= COUNT) throw new IllegalArgumentException("dihedral transform id must be 0..7, got " + id);
    }
}
