package hrm.data.maze;

import java.util.Arrays;

/** Breadth-first distances over the 4-connected passable cells of a square grid; buffers are reused. */
final class MazeBfs {
    private final int size;
    private final int[] dist;
    private final int[] queue;

    MazeBfs(int size) {
        this.size = size;
        this.dist = new int[size * size];
        this.queue = new int[size * size];
    }

    int size() {
        return size;
    }

    /** Fills the distances (in steps) from {@code from}; -1 marks cells not reachable. */
    void run(int[] grid, int off, int from) {
        run(grid, off, from, -1);
    }

    /**
     * Like {@link #run}, but stops once {@code target} has its distance: every cell nearer than the target is
     * then final, which is all {@link #markPath} needs.
     */
    void run(int[] grid, int off, int from, int target) {
        Arrays.fill(dist, -1);
        int head = 0, tail = 0;
        dist[from] = 0;
        queue[tail++] = from;
        while (head < tail && (target < 0 || dist[target] < 0)) {
            int c = queue[head++];
            int r = c / size, col = c - r * size, d = dist[c] + 1;
            if (r > 0) tail = visit(grid, off, c - size, d, tail);
            if (col > 0) tail = visit(grid, off, c - 1, d, tail);
            if (col < size - 1) tail = visit(grid, off, c + 1, d, tail);
            if (r < size - 1) tail = visit(grid, off, c + size, d, tail);
        }
    }

    private int visit(int[] grid, int off, int n, int d, int tail) {
        if (dist[n] < 0 && MazeTokens.passable(grid[off + n])) {
            dist[n] = d;
            queue[tail++] = n;
        }
        return tail;
    }

    /** The distance found by the last {@link #run}, -1 when unreachable. */
    int distance(int cell) {
        return dist[cell];
    }

    /**
     * Marks one shortest path from the last run's source to {@code goal} with {@link MazeTokens#PATH} in
     * {@code label}, leaving both end cells as they are; the goal must be reachable.
     */
    void markPath(int goal, int[] label) {
        int c = goal;
        // Walk back down the distances; the fixed neighbour order makes the label deterministic.
        while (dist[c] > 1) {
            int r = c / size, col = c - r * size, want = dist[c] - 1;
            if (r > 0 && dist[c - size] == want) c -= size;
            else if (col > 0 && dist[c - 1] == want) c -= 1;
            else if (col < size - 1 && dist[c + 1] == want) c += 1;
            else c += size;
            label[c] = MazeTokens.PATH;
        }
    }
}
