package hrm.data.maze;

/**
 * Decides whether a predicted label grid solves a maze: the predicted grid must equal the input except for
 * open cells marked {@code o}, and those cells together with S and G must form one simple 4-connected path
 * from S to G (no branches, gaps or stray cells) whose length equals the breadth-first distance from S to G.
 *
 * <p>Any shortest path is accepted, not only the one in the dataset's label. One checker serves one grid
 * size; it reuses its buffers, so it allocates nothing per call and is not thread-safe.
 */
public final class MazePathChecker {
    /** The outcome of a check: {@link #SHORTEST_PATH} or the first fault found. */
    public enum Verdict {
        /** A valid S-to-G path of shortest length. */
        SHORTEST_PATH,
        /** A cell other than an open one marked {@code o} differs from the input. */
        CHANGED_CELL,
        /** A wall cell is marked {@code o}. */
        PATH_THROUGH_WALL,
        /** S, G or a path cell has fewer path neighbours than a path needs (a gap, a stray cell, or no path). */
        BROKEN_PATH,
        /** S, G or a path cell has more path neighbours than a simple path allows. */
        BRANCH,
        /** Path cells not on the walk from S to G (a separate loop). */
        DISCONNECTED,
        /** A valid path, but longer than the shortest one. */
        NOT_SHORTEST;

        public boolean solved() {
            return this == SHORTEST_PATH;
        }
    }

    private final int size;
    private final MazeBfs bfs;

    public MazePathChecker(int size) {
        if (size < 2) throw new IllegalArgumentException("maze size " + size + " must be at least 2");
        this.size = size;
        this.bfs = new MazeBfs(size);
    }

    public int size() {
        return size;
    }

    public Verdict check(int[] input, int[] predicted) {
        return check(input, 0, predicted, 0);
    }

    /**
     * Checks the {@code size * size} prediction at {@code predicted[predOff..]} against the maze at
     * {@code input[inOff..]} (tokens of {@link MazeTokens}; the input must hold exactly one S and one G).
     */
    public Verdict check(int[] input, int inOff, int[] predicted, int predOff) {
        int n = size * size;
        if (inOff < 0 || inOff + n > input.length || predOff < 0 || predOff + n > predicted.length)
            throw new IllegalArgumentException("a " + size + "x" + size + " grid does not fit at offsets " + inOff
                    + "/" + predOff + " of arrays of " + input.length + "/" + predicted.length);
        int start = -1, goal = -1, pathCells = 0;
        Verdict fault = null;
        for (int i = 0; i < n; i++) {
            int q = input[inOff + i], p = predicted[predOff + i];
            if (q == MazeTokens.START) {
                if (start >= 0) throw new IllegalArgumentException("maze input has more than one start cell");
                start = i;
            } else if (q == MazeTokens.GOAL) {
                if (goal >= 0) throw new IllegalArgumentException("maze input has more than one goal cell");
                goal = i;
            } else if (q != MazeTokens.WALL && q != MazeTokens.OPEN) {
                throw new IllegalArgumentException("maze input token " + q + " at cell " + i + " is not #, space, S or G");
            }
            if (fault != null) continue;
            if (p == MazeTokens.PATH) {
                pathCells++;
                if (q == MazeTokens.WALL) fault = Verdict.PATH_THROUGH_WALL;
                else if (q != MazeTokens.OPEN) fault = Verdict.CHANGED_CELL;
            } else if (p != q) {
                fault = Verdict.CHANGED_CELL;
            }
        }
        if (start < 0 || goal < 0) throw new IllegalArgumentException("maze input has no start or no goal cell");
        if (fault != null) return fault;

        // Degrees: S and G need exactly one path neighbour, path cells exactly two. A spur leaves a dead end
        // (too few) beside a fork (too many); it is reported as the branch it is.
        boolean tooFew = false;
        for (int i = 0; i < n; i++) {
            int p = predicted[predOff + i];
            if (p != MazeTokens.PATH && i != start && i != goal) continue;
            int degree = pathNeighbours(predicted, predOff, i);
            int want = p == MazeTokens.PATH ? 2 : 1;
            if (degree > want) return Verdict.BRANCH;
            if (degree < want) tooFew = true;
        }
        if (tooFew) return Verdict.BROKEN_PATH;
        // With those degrees the walk from S is simple and ends at G; cells it misses form separate loops.
        int prev = -1, cur = start, steps = 0;
        while (cur != goal) {
            int next = nextOnPath(predicted, predOff, cur, prev);
            prev = cur;
            cur = next;
            steps++;
        }
        if (steps - 1 != pathCells) return Verdict.DISCONNECTED;
        bfs.run(input, inOff, start, goal);
        return steps == bfs.distance(goal) ? Verdict.SHORTEST_PATH : Verdict.NOT_SHORTEST;
    }

    private boolean onPath(int[] grid, int off, int cell) {
        int t = grid[off + cell];
        return t == MazeTokens.PATH || t == MazeTokens.START || t == MazeTokens.GOAL;
    }

    private int pathNeighbours(int[] grid, int off, int c) {
        int r = c / size, col = c - r * size, k = 0;
        if (r > 0 && onPath(grid, off, c - size)) k++;
        if (col > 0 && onPath(grid, off, c - 1)) k++;
        if (col < size - 1 && onPath(grid, off, c + 1)) k++;
        if (r < size - 1 && onPath(grid, off, c + size)) k++;
        return k;
    }

    private int nextOnPath(int[] grid, int off, int c, int prev) {
        int r = c / size, col = c - r * size;
        if (r > 0 && c - size != prev && onPath(grid, off, c - size)) return c - size;
        if (col > 0 && c - 1 != prev && onPath(grid, off, c - 1)) return c - 1;
        if (col < size - 1 && c + 1 != prev && onPath(grid, off, c + 1)) return c + 1;
        return c + size;
    }
}
