package hrm.data.maze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hrm.data.DatasetException;
import hrm.data.Dihedral;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MazeBuilderTest {
    @TempDir
    Path tmp;

    private final List<Maze> train = MazeCsv.read(MazeCsvTest.CSV_DIR.resolve("train.csv"));
    private final List<Maze> test = MazeCsv.read(MazeCsvTest.CSV_DIR.resolve("test.csv"));

    @Test
    void augmentedBuildHasTheReferenceBuildersStructureAndArrays() {
        Path out = tmp.resolve("maze");
        List<MazeBuilder.SplitSummary> s = MazeBuilder.write(train, test, true, out, false);
        assertEquals(List.of(new MazeBuilder.SplitSummary("train", 20, 160, 160),
                new MazeBuilder.SplitSummary("test", 10, 10, 10)), s);
        for (String split : new String[] {"train", "test"}) {
            PuzzleDataset ours = PuzzleDataset.open(out, split);
            PuzzleDataset ref = PuzzleDataset.open(MazeCsvTest.FIXTURE, split);
            assertEquals(ref.metadata(), ours.metadata(), split);
            assertEquals(List.of("<blank>"), ours.identifiers());
            assertEquals(ref.identifiers(), ours.identifiers());
            PuzzleSet a = ours.sets().get(0), b = ref.sets().get(0);
            assertEquals(b.examples(), a.examples());
            assertEquals(b.puzzles(), a.puzzles());
            assertEquals(b.groups(), a.groups());
            for (int p = 0; p <= a.puzzles(); p++) assertEquals(b.puzzleStart(p), a.puzzleStart(p));
            for (int p = 0; p < a.puzzles(); p++) assertEquals(b.puzzleIdentifier(p), a.puzzleIdentifier(p));
            for (int g = 0; g <= a.groups(); g++) assertEquals(b.groupStart(g), a.groupStart(g));
            // Maze augmentation is not random (all 8 transforms in order), so even the tokens agree.
            int[] x = new int[900], y = new int[900];
            for (int e = 0; e < a.examples(); e++) {
                a.input(e, x, 0);
                b.input(e, y, 0);
                assertArrayEquals(y, x, split + " input " + e);
                a.label(e, x, 0);
                b.label(e, y, 0);
                assertArrayEquals(y, x, split + " label " + e);
            }
        }
    }

    @Test
    void everyAugmentedMazeMapsBackToItsOriginal() {
        Path out = tmp.resolve("maze");
        MazeBuilder.write(train, test, true, out, false);
        PuzzleSet set = PuzzleDataset.open(out, "train").sets().get(0);
        MazePathChecker checker = new MazePathChecker(30);
        int[] in = new int[900], lab = new int[900];
        Set<String> versions = new HashSet<>();
        for (int g = 0; g < set.groups(); g++) {
            Maze original = train.get(g);
            assertEquals(8, set.groupStart(g + 1) - set.groupStart(g));
            for (int p = set.groupStart(g); p < set.groupStart(g + 1); p++) {
                assertEquals(1, set.puzzleStart(p + 1) - set.puzzleStart(p));
                int transform = p - set.groupStart(g);
                set.input(set.puzzleStart(p), in, 0);
                set.label(set.puzzleStart(p), lab, 0);
                assertEquals(MazePathChecker.Verdict.SHORTEST_PATH, checker.check(in, lab));
                assertArrayEquals(original.input(), Dihedral.apply(Dihedral.inverse(transform), in, 30, 30));
                assertArrayEquals(original.label(), Dihedral.apply(Dihedral.inverse(transform), lab, 30, 30));
                versions.add(MazeTokens.toText(in));
            }
        }
        assertEquals(160, versions.size());
    }

    @Test
    void withoutAugmentationEachTrainingMazeIsOneGroupOfOnePuzzle() {
        Path out = tmp.resolve("plain");
        MazeBuilder.write(train, test, false, out, false);
        PuzzleDataset ds = PuzzleDataset.open(out, "train");
        PuzzleSet set = ds.sets().get(0);
        assertEquals(20, set.groups());
        assertEquals(20, set.puzzles());
        assertEquals(20, set.examples());
        assertEquals(20, ds.metadata().totalGroups());
    }

    @Test
    void subsampleDrawsDistinctMazesReproducibly() {
        List<Maze> a = MazeBuilder.subsample(train, 7, new SplittableRandom(1));
        List<Maze> b = MazeBuilder.subsample(train, 7, new SplittableRandom(1));
        List<Maze> c = MazeBuilder.subsample(train, 7, new SplittableRandom(2));
        assertEquals(7, a.size());
        assertEquals(7, new HashSet<>(a).size());
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertTrue(train.containsAll(a));
        assertSame(train, MazeBuilder.subsample(train, 20, new SplittableRandom(1)));
        assertSame(train, MazeBuilder.subsample(train, 50, new SplittableRandom(1)));
    }

    @Test
    void mixedSizesAndAnExistingOutputAreRefused() {
        List<Maze> small = new MazeGenerator(9, 2, new SplittableRandom(0)).generate(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MazeBuilder.write(train, small, false, tmp.resolve("x"), false));
        assertTrue(e.getMessage().contains("30x30") && e.getMessage().contains("9x9"), e.getMessage());
        Path out = tmp.resolve("once");
        MazeBuilder.write(small, small, false, out, false);
        assertThrows(DatasetException.class, () -> MazeBuilder.write(small, small, false, out, false));
        MazeBuilder.write(small, List.of(), true, out, true);
        assertEquals(16, PuzzleDataset.open(out, "train").examples());
        assertTrue(Files.notExists(out.resolve("test")));
    }
}
