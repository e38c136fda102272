package hrm.data.maze;

import static hrm.data.maze.MazePathChecker.Verdict.BRANCH;
import static hrm.data.maze.MazePathChecker.Verdict.BROKEN_PATH;
import static hrm.data.maze.MazePathChecker.Verdict.CHANGED_CELL;
import static hrm.data.maze.MazePathChecker.Verdict.DISCONNECTED;
import static hrm.data.maze.MazePathChecker.Verdict.NOT_SHORTEST;
import static hrm.data.maze.MazePathChecker.Verdict.PATH_THROUGH_WALL;
import static hrm.data.maze.MazePathChecker.Verdict.SHORTEST_PATH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MazePathCheckerTest {
    private static final String ROOM =
            "#######"
          + "#S    #"
          + "#     #"
          + "#     #"
          + "#     #"
          + "#    G#"
          + "#######";

    /** A loop: the short way along the top, a 9-step detour around the block. */
    private static final String LOOP =
            "#######"
          + "#S  G #"
          + "# ### #"
          + "#     #"
          + "#######"
          + "#######"
          + "#######";

    private final MazePathChecker checker = new MazePathChecker(7);

    @Test
    void anyShortestPathIsAccepted() {
        int[] room = grid(ROOM);
        assertEquals(SHORTEST_PATH, checker.check(room, mark(ROOM, 1, 2, 1, 3, 1, 4, 1, 5, 2, 5, 3, 5, 4, 5)));
        assertEquals(SHORTEST_PATH, checker.check(room, mark(ROOM, 2, 1, 3, 1, 4, 1, 5, 1, 5, 2, 5, 3, 5, 4)));
        assertEquals(SHORTEST_PATH, checker.check(room, mark(ROOM, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5)));
        assertEquals(SHORTEST_PATH, checker.check(grid(LOOP), mark(LOOP, 1, 2, 1, 3)));
    }

    @Test
    void faultsInHandMadeMazesAreNamed() {
        int[] room = grid(ROOM);
        int[] topRight = {1, 2, 1, 3, 1, 4, 1, 5, 2, 5, 3, 5, 4, 5};
        assertEquals(BROKEN_PATH, checker.check(room, mark(ROOM, 1, 2, 1, 4, 1, 5, 2, 5, 3, 5, 4, 5)), "a gap");
        assertEquals(BROKEN_PATH, checker.check(room, mark(ROOM, concat(topRight, 3, 2))), "a stray cell");
        assertEquals(BRANCH, checker.check(room, mark(ROOM, concat(topRight, 2, 4))), "a side cell");
        assertEquals(DISCONNECTED, checker.check(room, mark(ROOM, concat(topRight, 3, 1, 3, 2, 4, 1, 4, 2))), "a loop apart");
        assertEquals(BROKEN_PATH, checker.check(room, room.clone()), "no path at all");
        assertEquals(NOT_SHORTEST, checker.check(grid(LOOP), mark(LOOP, 2, 1, 3, 1, 3, 2, 3, 3, 3, 4, 3, 5, 2, 5, 1, 5)), "the detour");
        assertEquals(PATH_THROUGH_WALL, checker.check(room, mark(ROOM, concat(topRight, 0, 3))));
        int[] moved = mark(ROOM, topRight);
        moved[5 * 7 + 5] = MazeTokens.OPEN;
        moved[5 * 7 + 4] = MazeTokens.GOAL;
        assertEquals(CHANGED_CELL, checker.check(room, moved), "goal moved");
        int[] overStart = mark(ROOM, topRight);
        overStart[8] = MazeTokens.PATH;
        assertEquals(CHANGED_CELL, checker.check(room, overStart), "start overwritten");
    }

    @Test
    void corruptedLabelsOfGeneratedMazesAreRejected() {
        MazePathChecker c30 = new MazePathChecker(30);
        SplittableRandom rng = new SplittableRandom(11);
        List<Maze> mazes = new MazeGenerator(30, 110, new SplittableRandom(2)).generate(20);
        for (Maze m : mazes) {
            int[] in = m.input(), label = m.label();
            assertEquals(SHORTEST_PATH, c30.check(in, label));

            int[] missing = label.clone();
            missing[pick(label, rng, (g, i) -> g[i] == MazeTokens.PATH)] = MazeTokens.OPEN;
            assertEquals(BROKEN_PATH, c30.check(in, missing), "a missing cell");

            int[] extra = label.clone();
            extra[pick(label, rng, (g, i) -> g[i] == MazeTokens.OPEN && touches(g, i, MazeTokens.PATH))] = MazeTokens.PATH;
            assertEquals(BRANCH, c30.check(in, extra), "an extra cell beside the path");

            int[] stray = label.clone();
            stray[pick(label, rng, (g, i) -> g[i] == MazeTokens.OPEN && !touches(g, i, MazeTokens.PATH)
                    && !touches(g, i, MazeTokens.START) && !touches(g, i, MazeTokens.GOAL))] = MazeTokens.PATH;
            assertEquals(BROKEN_PATH, c30.check(in, stray), "an extra cell away from the path");

            int[] wall = label.clone();
            wall[pick(label, rng, (g, i) -> g[i] == MazeTokens.WALL && touches(g, i, MazeTokens.PATH))] = MazeTokens.PATH;
            assertEquals(PATH_THROUGH_WALL, c30.check(in, wall), "a path through a wall");

            int[] opened = label.clone();
            opened[pick(label, rng, (g, i) -> g[i] == MazeTokens.WALL)] = MazeTokens.OPEN;
            assertEquals(CHANGED_CELL, c30.check(in, opened), "a wall removed");

            assertEquals(CHANGED_CELL, c30.check(in, new int[900]), "all padding");
            assertFalse(c30.check(in, in).solved());
        }
    }

    @Test
    void aDetourInAGeneratedMazeIsNotShortest() {
        // Knocking a wall out of a generated maze can only shorten paths; its shortest path, checked in the
        // original maze, is then invalid (through a wall), and the original label, checked in the opened maze,
        // is a detour whenever the opening made a shortcut.
        MazePathChecker c30 = new MazePathChecker(30);
        MazeBfs bfs = new MazeBfs(30);
        int detours = 0;
        for (Maze m : new MazeGenerator(30, 110, new SplittableRandom(4)).generate(20)) {
            for (int w = 31; w < 900 - 31; w++) {
                if (m.input()[w] != MazeTokens.WALL || w % 30 == 0 || w % 30 == 29) continue;
                int[] opened = m.input().clone();
                opened[w] = MazeTokens.OPEN;
                bfs.run(opened, 0, m.find(MazeTokens.START));
                if (bfs.distance(m.find(MazeTokens.GOAL)) >= m.rating()) continue;
                int[] newLabel = opened.clone();
                bfs.markPath(m.find(MazeTokens.GOAL), newLabel);
                assertEquals(SHORTEST_PATH, c30.check(opened, newLabel));
                assertEquals(NOT_SHORTEST, c30.check(opened, withWallOpened(m.label(), w)));
                // Every path shorter than the original uses the opened cell, a wall in the original maze.
                assertEquals(MazeTokens.PATH, newLabel[w]);
                assertEquals(PATH_THROUGH_WALL, c30.check(m.input(), newLabel));
                detours++;
                break;
            }
        }
        assertTrue(detours >= 10, "only " + detours + " mazes had a shortcut");
    }

    @Test
    void offsetsSelectOneGridOfABatch() {
        int[] room = grid(ROOM), good = mark(ROOM, 1, 2, 1, 3, 1, 4, 1, 5, 2, 5, 3, 5, 4, 5);
        int[] inputs = new int[3 * 49], preds = new int[3 * 49];
        System.arraycopy(room, 0, inputs, 49, 49);
        System.arraycopy(good, 0, preds, 98, 49);
        assertEquals(SHORTEST_PATH, checker.check(inputs, 49, preds, 98));
        assertEquals(CHANGED_CELL, checker.check(inputs, 49, preds, 0));
        assertThrows(IllegalArgumentException.class, () -> checker.check(inputs, 100, preds, 0));
        assertThrows(IllegalArgumentException.class, () -> checker.check(new int[49], good), "an input with no S");
    }

    private static int[] withWallOpened(int[] label, int w) {
        int[] g = label.clone();
        g[w] = MazeTokens.OPEN;
        return g;
    }

    interface CellTest {
        boolean ok(int[] grid, int cell);
    }

    private static int pick(int[] grid, SplittableRandom rng, CellTest test) {
        int[] cells = new int[grid.length];
        int k = 0;
        for (int i = 0; i < grid.length; i++) {
            int r = i / 30, c = i % 30;
            if (r > 0 && r < 29 && c > 0 && c < 29 && test.ok(grid, i)) cells[k++] = i;
        }
        assertTrue(k > 0, "no cell fits");
        return cells[rng.nextInt(k)];
    }

    private static boolean touches(int[] g, int i, int token) {
        return g[i - 1] == token || g[i + 1] == token || g[i - 30] == token || g[i + 30] == token;
    }

    private static int[] grid(String text) {
        int[] g = new int[text.length()];
        for (int i = 0; i < g.length; i++) g[i] = MazeTokens.token(text.charAt(i));
        return g;
    }

    private static int[] mark(String text, int... rowCols) {
        int[] g = grid(text);
        for (int i = 0; i < rowCols.length; i += 2) g[rowCols[i] * 7 + rowCols[i + 1]] = MazeTokens.PATH;
        return g;
    }

    private static int[] concat(int[] a, int... b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
