package hrm.data.maze;

/**
 * One square maze: the input grid (walls, open cells, one start, one goal) and the label grid (the input
 * with the cells of a shortest path marked), as row-major token arrays of {@code size * size}.
 *
 * @param source where it came from (the CSV's {@code source} column)
 * @param rating the CSV's {@code rating} column: the shortest path's length in steps, -1 when unknown
 */
public record Maze(String source, int size, int[] input, int[] label, int rating) {
    public Maze {
        if (size < 1) throw new IllegalArgumentException("maze size " + size + " must be positive");
        if (input.length != size * size || label.length != size * size) throw new IllegalArgumentException(
                "a " + size + "x" + size + " maze needs " + size * size + " cells, got input " + input.length
                        + " and label " + label.length);
    }

    /** The index of the only cell holding {@code token}, or -1 when there is none. */
    public int find(int token) {
        for (int i = 0; i < input.length; i++) if (input[i] == token) return i;
        return -1;
    }
}
