package hrm.data.sudoku;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SudokuBuilderTest {
    static final Path FIXTURE = Path.of("testdata/reference-datasets/sudoku");
    static final Path CSV = Path.of("testdata/reference-datasets/sudoku-csv");
    @TempDir
    Path tmp;

    /** The authors' builder's output (--num-aug 3): its augmentations are exactly our transform family. */
    @Test
    void referenceFixtureHasTheStructureAndTransformsWeBuild() {
        SudokuPuzzles train = SudokuCsv.read(CSV.resolve("train.csv")), test = SudokuCsv.read(CSV.resolve("test.csv"));
        List<int[][]> aug = SudokuDatasetCheck.check(FIXTURE, "train", train, 3);
        assertEquals(36, aug.size());
        assertTrue(SudokuDatasetCheck.check(FIXTURE, "test", test, 0).isEmpty());
        int[] q = new int[81], a = new int[81];
        for (int i = 0; i < aug.size(); i++) {
            train.question(i / 3, q);
            train.answer(i / 3, a);
            SudokuTransform t = SudokuDatasetCheck.find(q, a, aug.get(i)[0], aug.get(i)[1]);
            assertNotNull(t, "reference augmentation " + i + " is a digit permutation, transpose and band/stack shuffle");
            assertArrayEquals(q, t.inverse().apply(aug.get(i)[0]));
            assertArrayEquals(a, t.inverse().apply(aug.get(i)[1]));
        }
        int[] blanked = aug.get(0)[0].clone();
        for (int i = 0; i < 81; i++) if (blanked[i] != 0) { blanked[i] = 0; break; }
        train.question(0, q);
        train.answer(0, a);
        assertNull(SudokuDatasetCheck.find(q, a, blanked, aug.get(0)[1]), "a copy that lost a given is no transform of the original");
    }

    @Test
    void buildsTheReferenceStructureAndEveryCopyMapsBack() {
        SudokuPuzzles train = SudokuCsv.read(CSV.resolve("train.csv")), test = SudokuCsv.read(CSV.resolve("test.csv"));
        Path out = tmp.resolve("ds");
        SudokuBuilder.Summary sum = SudokuBuilder.build(train, test, new SudokuBuilder.Options(null, null, 3), new SplittableRandom(9), out, false);
        assertEquals(new SudokuBuilder.Summary(12, 48, 6, 6), sum);
        List<int[][]> aug = SudokuDatasetCheck.check(out, "train", train, 3);
        assertTrue(SudokuDatasetCheck.check(out, "test", test, 0).isEmpty());
        // Replaying the builder's draws gives each copy's transform; its inverse restores the original.
        SplittableRandom replay = new SplittableRandom(9);
        int[] q = new int[81], a = new int[81];
        Set<SudokuTransform> distinct = new HashSet<>();
        for (int i = 0; i < aug.size(); i++) {
            train.question(i / 3, q);
            train.answer(i / 3, a);
            SudokuTransform t = SudokuTransform.random(replay);
            distinct.add(t);
            assertArrayEquals(aug.get(i)[0], t.apply(q));
            assertArrayEquals(aug.get(i)[1], t.apply(a));
            assertArrayEquals(q, t.inverse().apply(aug.get(i)[0]));
            assertArrayEquals(a, t.inverse().apply(aug.get(i)[1]));
        }
        assertEquals(36, distinct.size());
    }

    @Test
    void subsamplesAndFiltersByDifficulty() {
        SudokuPuzzles all = SudokuPuzzleList.read(Path.of("testdata/sudoku/puzzles3_magictour_top1465.txt")).solve(2);
        SudokuSplit split = SudokuSplit.of(all, 0.2, new SplittableRandom(1));
        int minDifficulty = 3;
        SudokuPuzzles hardTrain = SudokuBuilder.filter(split.train(), minDifficulty), hardTest = SudokuBuilder.filter(split.test(), minDifficulty);
        assertTrue(hardTrain.size() > 40 && hardTrain.size() < split.train().size(), "the filter keeps some: " + hardTrain.size());
        Path out = tmp.resolve("sub");
        SudokuBuilder.Summary sum = SudokuBuilder.build(split.train(), split.test(), new SudokuBuilder.Options(40, minDifficulty, 2),
                new SplittableRandom(4), out, false);
        assertEquals(new SudokuBuilder.Summary(40, 120, hardTest.size(), hardTest.size()), sum);
        // The training originals are 40 distinct puzzles of the filtered set, in the sampled order.
        SplittableRandom replay = new SplittableRandom(4);
        SudokuPuzzles expected = hardTrain.select(SudokuBuilder.sample(hardTrain.size(), 40, replay));
        SudokuDatasetCheck.check(out, "train", expected, 2);
        SudokuDatasetCheck.check(out, "test", hardTest, 0);
        Set<String> seen = new HashSet<>();
        int[] q = new int[81];
        for (int i = 0; i < expected.size(); i++) {
            expected.question(i, q);
            assertTrue(expected.rating(i) >= minDifficulty);
            assertTrue(seen.add(SudokuGrid.format(q)));
        }
    }
}
