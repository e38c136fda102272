package hrm.data.maze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MazeGeneratorTest {
    @Test
    void hardMazesHaveShortestPathLabelsOfAtLeastTheMinimumLength() {
        MazeGenerator gen = new MazeGenerator(30, 110, new SplittableRandom(1));
        List<Maze> mazes = gen.generate(100);
        MazePathChecker checker = new MazePathChecker(30);
        MazeBfs bfs = new MazeBfs(30);
        for (Maze m : mazes) {
            assertEquals(30, m.size());
            assertTrue(m.rating() >= 110, "rating " + m.rating());
            assertEquals(MazePathChecker.Verdict.SHORTEST_PATH, checker.check(m.input(), m.label()));
            // The rating is the independent breadth-first distance, and the label has that many steps.
            bfs.run(m.input(), 0, m.find(MazeTokens.START));
            assertEquals(bfs.distance(m.find(MazeTokens.GOAL)), m.rating());
            assertEquals(m.rating() - 1, count(m.label(), MazeTokens.PATH));
            assertEquals(1, count(m.input(), MazeTokens.START));
            assertEquals(1, count(m.input(), MazeTokens.GOAL));
            assertEquals(0, count(m.input(), MazeTokens.PATH));
            // The reference's 30x30 mazes: 422 open cells and a wall border.
            assertEquals(900 - 422, count(m.input(), MazeTokens.WALL));
            for (int i = 0; i < 30; i++) {
                assertEquals(MazeTokens.WALL, m.input()[i]);
                assertEquals(MazeTokens.WALL, m.input()[29 * 30 + i]);
                assertEquals(MazeTokens.WALL, m.input()[i * 30]);
                assertEquals(MazeTokens.WALL, m.input()[i * 30 + 29]);
            }
        }
        assertEquals(100, new HashSet<>(mazes.stream().map(MazeGenerator::key).toList()).size());
    }

    @Test
    void aSeedRepeatsItsMazesAndAnotherSeedDoesNot() {
        List<Maze> a = new MazeGenerator(30, 110, new SplittableRandom(5)).generate(5);
        List<Maze> b = new MazeGenerator(30, 110, new SplittableRandom(5)).generate(5);
        List<Maze> c = new MazeGenerator(30, 110, new SplittableRandom(6)).generate(5);
        assertEquals(a.stream().map(MazeGenerator::key).toList(), b.stream().map(MazeGenerator::key).toList());
        assertEquals(a.stream().map(m -> MazeTokens.toText(m.label())).toList(),
                b.stream().map(m -> MazeTokens.toText(m.label())).toList());
        assertNotEquals(a.stream().map(MazeGenerator::key).toList(), c.stream().map(MazeGenerator::key).toList());
    }

    @Test
    void excludedMazesAreNotGeneratedAgain() {
        // Tiny mazes repeat often, so exclusion has work to do.
        Set<String> seen = new HashSet<>();
        List<Maze> first = new MazeGenerator(5, 1, new SplittableRandom(3)).generate(20, seen);
        List<Maze> second = new MazeGenerator(5, 1, new SplittableRandom(3)).generate(20, seen);
        Set<String> all = new HashSet<>();
        for (Maze m : first) all.add(MazeGenerator.key(m));
        for (Maze m : second) assertTrue(all.add(MazeGenerator.key(m)), "repeated maze " + MazeGenerator.key(m));
        assertEquals(40, seen.size());
    }

    @Test
    void otherSizesAndOddSizesWork() {
        for (int size : new int[] {5, 9, 17, 31}) {
            MazePathChecker checker = new MazePathChecker(size);
            for (Maze m : new MazeGenerator(size, 2, new SplittableRandom(size)).generate(10)) {
                assertEquals(size * size, m.input().length);
                assertTrue(m.rating() >= 2);
                assertEquals(MazePathChecker.Verdict.SHORTEST_PATH, checker.check(m.input(), m.label()));
            }
        }
    }

    @Test
    void impossibleRequestsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MazeGenerator(4, 1, new SplittableRandom(0)));
        assertThrows(IllegalArgumentException.class, () -> new MazeGenerator(30, 0, new SplittableRandom(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MazeGenerator(30, 500, new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("500"), e.getMessage());
    }

    static int count(int[] grid, int token) {
        int k = 0;
        for (int t : grid) if (t == token) k++;
        return k;
    }
}
