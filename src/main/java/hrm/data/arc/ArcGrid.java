package hrm.data.arc;

import java.util.Arrays;

/** An ARC grid: at most 30 x 30 cells of colours 0-9, row-major; immutable, compared by content. */
public final class ArcGrid {
    public static final int MAX_SIZE = 30;
    public static final int COLOURS = 10;

    /** The 0 x 0 grid: what a crop finds when the top-left cell holds no colour. */
    public static final ArcGrid EMPTY = new ArcGrid(0, 0, new byte[0]);

    private final int rows;
    private final int cols;
    private final byte[] cells;

    private ArcGrid(int rows, int cols, byte[] cells) {
        this.rows = rows;
        this.cols = cols;
        this.cells = cells;
    }

    /** A grid from {@code rows * cols} row-major colours; throws if the size or a colour is out of range. */
    public static ArcGrid of(int rows, int cols, int[] colours, int offset) {
        if (rows < 1 || cols < 1 || rows > MAX_SIZE || cols > MAX_SIZE)
            throw new IllegalArgumentException("grid of " + rows + "x" + cols + " is outside 1x1..30x30");
        byte[] cells = new byte[rows * cols];
        for (int i = 0; i < cells.length; i++) {
            int c = colours[offset + i];
            if (c < 0 || c >= COLOURS) throw new IllegalArgumentException("colour " + c + " at cell " + i + " is outside 0-9");
            cells[i] = (byte) c;
        }
        return new ArcGrid(rows, cols, cells);
    }

    public static ArcGrid of(int rows, int cols, int... colours) {
        if (colours.length != rows * cols)
            throw new IllegalArgumentException(rows + "x" + cols + " grid given " + colours.length + " colours");
        return of(rows, cols, colours, 0);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int size() {
        return cells.length;
    }

    public int get(int row, int col) {
        return cells[row * cols + col];
    }

    /** Copies the colours, row-major, into {@code dst[offset..]}. */
    public void copyTo(int[] dst, int offset) {
        for (int i = 0; i < cells.length; i++) dst[offset + i] = cells[i];
    }

    public int[] toArray() {
        int[] a = new int[cells.length];
        copyTo(a, 0);
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArcGrid g && g.rows == rows && g.cols == cols && Arrays.equals(g.cells, cells);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(cells);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            if (r > 0) sb.append('/');
            for (int c = 0; c < cols; c++) sb.append((char) ('0' + cells[r * cols + c]));
        }
        return rows + "x" + cols + ":" + sb;
    }
}
