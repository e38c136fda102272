package hrm.data.maze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Makes new mazes like the Maze-Hard ones: a perfect maze carved by a randomised depth-first search on the
 * cells at odd coordinates, a few random interior walls knocked out to add loops, then a start and a goal on
 * random open cells, kept only when the breadth-first shortest path between them is at least
 * {@code minPathLength} steps. The label marks one shortest path.
 *
 * <p>The reference's 30x30 mazes (the fixture's {@code dfs-loops}) all have 422 open cells: 14x14 carved
 * cells, the 195 passages of their spanning tree, and 31 more openings; the default number of extra
 * openings, 0.16 per carved cell, gives the same at 30x30. Each maze costs a few microseconds, so plain
 * rejection is fast enough even for 110-step paths.
 */
public final class MazeGenerator {
    /** The CSV {@code source} of generated mazes, the same kind as the reference's. */
    public static final String SOURCE = "dfs-loops";
    private static final double EXTRA_OPENINGS_PER_CELL = 0.16;

    private final int size;
    private final int minPathLength;
    private final int extraOpenings;
    private final RandomGenerator rng;
    private final int cellsPerSide;
    private final MazeBfs bfs;
    private final int[] grid;
    private final int[] stack;
    private final boolean[] visited;
    private final int[] open;
    private final int[] choices = new int[4];
    private long attempts;

    /** A generator with the default number of extra openings for the size. */
    public MazeGenerator(int size, int minPathLength, RandomGenerator rng) {
        this(size, minPathLength, defaultExtraOpenings(size), rng);
    }

    public MazeGenerator(int size, int minPathLength, int extraOpenings, RandomGenerator rng) {
        if (size < 5) throw new IllegalArgumentException("maze size " + size + " must be at least 5");
        if (minPathLength < 1) throw new IllegalArgumentException("minimum path length " + minPathLength + " must be at least 1");
        if (extraOpenings < 0) throw new IllegalArgumentException("extra openings " + extraOpenings + " must not be negative");
        this.size = size;
        this.minPathLength = minPathLength;
        this.rng = rng;
        this.cellsPerSide = (size - 1) / 2;
        int cells = cellsPerSide * cellsPerSide;
        int interior = (size - 2) * (size - 2);
        // A tree on the carved cells opens cells + (cells - 1) of the interior; the rest are walls.
        this.extraOpenings = Math.min(extraOpenings, interior - (2 * cells - 1));
        if (minPathLength > 2 * cells - 2 + this.extraOpenings) throw new IllegalArgumentException(
                "no " + size + "x" + size + " maze has a path of " + minPathLength + " steps: it has only "
                        + (2 * cells - 1 + this.extraOpenings) + " open cells");
        this.bfs = new MazeBfs(size);
        this.grid = new int[size * size];
        this.stack = new int[cells];
        this.visited = new boolean[cells];
        this.open = new int[size * size];
    }

    public static int defaultExtraOpenings(int size) {
        int c = (size - 1) / 2;
        return (int) Math.round(EXTRA_OPENINGS_PER_CELL * c * c);
    }

    public int size() {
        return size;
    }

    /** Mazes tried so far, the kept ones included. */
    public long attempts() {
        return attempts;
    }

    /**
     * Generates {@code count} distinct mazes. {@code exclude} holds the {@link #key}s of mazes to avoid (for
     * example the training mazes when making a test set); the new mazes' keys are added to it.
     */
    public List<Maze> generate(int count, Set<String> exclude) {
        List<Maze> out = new ArrayList<>(count);
        while (out.size() < count) {
            Maze m = next();
            if (exclude.add(key(m))) out.add(m);
        }
        return out;
    }

    public List<Maze> generate(int count) {
        return generate(count, new HashSet<>());
    }

    /** A string that is equal for equal input grids. */
    public static String key(Maze m) {
        return MazeTokens.toText(m.input());
    }

    /** The next maze whose shortest path has at least {@code minPathLength} steps. */
    public Maze next() {
        long limit = attempts + 10_000_000L;
        while (attempts < limit) {
            attempts++;
            carve();
            int openCount = 0;
            for (int i = 0; i < grid.length; i++) if (grid[i] == MazeTokens.OPEN) open[openCount++] = i;
            int s = open[rng.nextInt(openCount)];
            int g = open[rng.nextInt(openCount - 1)];
            if (g == s) g = open[openCount - 1]; // uniform over the other open cells
            bfs.run(grid, 0, s, g);
            int d = bfs.distance(g);
            if (d < minPathLength) continue;
            int[] input = grid.clone();
            input[s] = MazeTokens.START;
            input[g] = MazeTokens.GOAL;
            int[] label = input.clone();
            bfs.markPath(g, label);
            return new Maze(SOURCE, size, input, label, d);
        }
        throw new IllegalArgumentException("no " + size + "x" + size + " maze with a shortest path of at least "
                + minPathLength + " steps in 10,000,000 attempts; lower the minimum path length");
    }

    /** Fills {@link #grid} with a depth-first-search maze plus the extra openings. */
    private void carve() {
        Arrays.fill(grid, MazeTokens.WALL);
        Arrays.fill(visited, false);
        int n = cellsPerSide;
        int first = rng.nextInt(n * n);
        visited[first] = true;
        grid[at(first)] = MazeTokens.OPEN;
        int top = 0;
        stack[top++] = first;
        while (top > 0) {
            int c = stack[top - 1];
            int r = c / n, col = c - r * n, k = 0;
            if (r > 0 && !visited[c - n]) choices[k++] = c - n;
            if (col > 0 && !visited[c - 1]) choices[k++] = c - 1;
            if (col < n - 1 && !visited[c + 1]) choices[k++] = c + 1;
            if (r < n - 1 && !visited[c + n]) choices[k++] = c + n;
            if (k == 0) {
                top--;
                continue;
            }
            int next = choices[k == 1 ? 0 : rng.nextInt(k)];
            visited[next] = true;
            int a = at(c), b = at(next);
            grid[(a + b) >>> 1] = MazeTokens.OPEN; // the wall cell between two cells two apart
            grid[b] = MazeTokens.OPEN;
            stack[top++] = next;
        }
        int inner = size - 2;
        for (int opened = 0; opened < extraOpenings; ) {
            int i = 1 + rng.nextInt(inner), j = 1 + rng.nextInt(inner);
            int idx = i * size + j;
            if (grid[idx] == MazeTokens.WALL) {
                grid[idx] = MazeTokens.OPEN;
                opened++;
            }
        }
    }

    /** The grid index of carved cell {@code c}. */
    private int at(int c) {
        int r = c / cellsPerSide, col = c - r * cellsPerSide;
        return (2 * r + 1) * size + 2 * col + 1;
    }
}
