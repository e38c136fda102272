package hrm.eval.views;

import hrm.data.maze.Maze;
import hrm.data.maze.MazeGenerator;
import hrm.data.maze.MazePathChecker;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class MazeSymmetryTest {
    @Test
    void all8TransformsAreUndoneAndMoveEveryCell() {
        int size = 7;
        int[] grid = new int[size * size];
        for (int i = 0; i < grid.length; i++) grid[i] = i; // every cell distinct: the transform is seen whole
        Set<List<Integer>> images = new HashSet<>();
        for (int id = 0; id < 8; id++) {
            MazeSymmetry v = new MazeSymmetry(id, size);
            int[] y = new int[grid.length], back = new int[grid.length];
            v.apply(grid, 0, y, 0);
            v.invert(y, 0, back, 0);
            assertArrayEquals(grid, back, "transform " + id);
            images.add(java.util.Arrays.stream(y).boxed().toList());
            assertEquals(id == 0, v.isIdentity());
        }
        assertEquals(8, images.size(), "8 distinct transforms");
    }

    /** A turned or mirrored maze's turned or mirrored shortest path is a shortest path, and maps back to the label. */
    @Test
    void aTransformedShortestPathIsStillAShortestPath() {
        MazeGenerator gen = new MazeGenerator(12, 5, new SplittableRandom(4));
        MazePathChecker checker = new MazePathChecker(12);
        for (Maze m : gen.generate(10)) {
            assertTrue(checker.check(m.input(), m.label()).solved());
            for (int id = 0; id < 8; id++) {
                MazeSymmetry v = new MazeSymmetry(id, 12);
                int[] in = new int[144], path = new int[144], back = new int[144];
                v.apply(m.input(), 0, in, 0);
                v.apply(m.label(), 0, path, 0);
                assertEquals(MazePathChecker.Verdict.SHORTEST_PATH, checker.check(in, path), "transform " + id);
                v.invert(path, 0, back, 0);
                assertArrayEquals(m.label(), back);
            }
        }
    }

    @Test
    void drawsTheIdentityFirstThenDistinctTransformsAndRefusesANinth() {
        ViewSet views = ViewSet.draw(new PuzzleKind.Maze(30), 8, 5);
        Set<Integer> ids = new HashSet<>();
        for (View v : views.views()) ids.add(((MazeSymmetry) v).id());
        assertEquals(8, ids.size());
        assertEquals(0, ((MazeSymmetry) views.views().get(0)).id());
        assertEquals(views.views(), ViewSet.draw(new PuzzleKind.Maze(30), 8, 5).views(), "seeded");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ViewSet.draw(new PuzzleKind.Maze(30), 9, 0));
        assertTrue(e.getMessage().startsWith("views = 9") && e.getMessage().contains("only 8"), e.getMessage());
    }
}
