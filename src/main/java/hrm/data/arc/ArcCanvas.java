package hrm.data.arc;

/**
 * The token layout of an ARC example (docs/model.md §11.3): a grid placed in a 30 x 30 canvas, pad 0,
 * end-of-grid 1, colour c as c + 2. End markers fill the row directly below the grid (across its
 * columns) and the column directly right of it (across its rows), each only where it fits; the
 * corner below-right stays pad.
 */
public final class ArcCanvas {
    public static final int SIZE = ArcGrid.MAX_SIZE;
    public static final int SEQ_LEN = SIZE * SIZE;
    public static final int PAD = 0;
    public static final int EOS = 1;
    public static final int COLOUR_OFFSET = 2;
    public static final int VOCAB_SIZE = COLOUR_OFFSET + ArcGrid.COLOURS;

    private ArcCanvas() {}

    /**
     * Writes the {@code rows x cols} grid of colours at {@code colours[offset..]}, its top-left corner at
     * ({@code top}, {@code left}), as the 900 tokens {@code dst[0..900)}.
     */
    public static void place(int[] colours, int offset, int rows, int cols, int top, int left, int[] dst) {
        if (rows < 1 || cols < 1 || top < 0 || left < 0 || top + rows > SIZE || left + cols > SIZE)
            throw new IllegalArgumentException("a " + rows + "x" + cols + " grid at (" + top + ", " + left
                    + ") does not fit the 30x30 canvas");
        java.util.Arrays.fill(dst, 0, SEQ_LEN, PAD);
        for (int r = 0; r < rows; r++) {
            int d = (top + r) * SIZE + left, s = offset + r * cols;
            for (int c = 0; c < cols; c++) dst[d + c] = colours[s + c] + COLOUR_OFFSET;
        }
        int endRow = top + rows, endCol = left + cols;
        if (endRow < SIZE) java.util.Arrays.fill(dst, endRow * SIZE + left, endRow * SIZE + endCol, EOS);
        if (endCol < SIZE) for (int r = top; r < endRow; r++) dst[r * SIZE + endCol] = EOS;
    }

    public static void place(ArcGrid grid, int top, int left, int[] dst) {
        place(grid.toArray(), 0, grid.rows(), grid.cols(), top, left, dst);
    }

    private static boolean isColour(int token) {
        return token >= COLOUR_OFFSET && token < VOCAB_SIZE;
    }

    /**
     * The largest top-left rectangle of colour tokens in the 900 tokens at {@code tokens[offset..]}, as
     * colours: rows are scanned from the top, the usable width shrinking to the first non-colour cell of
     * each row, and the largest area wins (the first, on a tie). {@link ArcGrid#EMPTY} if the top-left
     * cell is not a colour.
     */
    public static ArcGrid crop(int[] tokens, int offset) {
        int width = SIZE, bestArea = 0, bestRows = 0, bestCols = 0;
        for (int r = 0; r < SIZE && width > 0; r++) {
            int base = offset + r * SIZE;
            for (int c = 0; c < width; c++) {
                if (!isColour(tokens[base + c])) {
                    width = c;
                    break;
                }
            }
            int area = (r + 1) * width;
            if (area > bestArea) {
                bestArea = area;
                bestRows = r + 1;
                bestCols = width;
            }
        }
        if (bestArea == 0) return ArcGrid.EMPTY;
        int[] colours = new int[bestArea];
        for (int r = 0; r < bestRows; r++)
            for (int c = 0; c < bestCols; c++) colours[r * bestCols + c] = tokens[offset + r * SIZE + c] - COLOUR_OFFSET;
        return ArcGrid.of(bestRows, bestCols, colours, 0);
    }
}
