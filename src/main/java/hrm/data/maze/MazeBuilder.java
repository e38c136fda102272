package hrm.data.maze;

import hrm.data.DatasetWriter;
import hrm.data.Dihedral;
import hrm.data.PuzzleSetBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Writes Maze datasets as the reference's {@code build_maze_dataset.py} does: one set {@code all} per
 * split, one group per original maze, one single-example puzzle per version (8 dihedral versions of each
 * training maze with augmentation, in transform order 0-7; the original alone otherwise and always in
 * test), puzzle identifier 0 throughout, vocabulary 6 and seq_len {@code size * size}.
 */
public final class MazeBuilder {
    private MazeBuilder() {}

    /** Counts of one written split. */
    public record SplitSummary(String split, int groups, int puzzles, int examples) {}

    /**
     * Writes {@code train} and {@code test} (a split with no mazes is left out) to {@code outputDir},
     * atomically; every maze must have the same size.
     */
    public static List<SplitSummary> write(List<Maze> train, List<Maze> test, boolean aug, Path outputDir, boolean overwrite) {
        int size = commonSize(train, test);
        DatasetWriter writer = new DatasetWriter(outputDir, MazeTokens.VOCAB_SIZE, size * size).overwrite(overwrite);
        List<SplitSummary> out = new ArrayList<>(2);
        if (!train.isEmpty()) out.add(add(writer, "train", train, aug ? Dihedral.COUNT : 1));
        if (!test.isEmpty()) out.add(add(writer, "test", test, 1));
        writer.commit(List.of(DatasetWriter.BLANK_IDENTIFIER));
        return out;
    }

    private static SplitSummary add(DatasetWriter writer, String split, List<Maze> mazes, int versions) {
        PuzzleSetBuilder set = writer.set(split, "all");
        int size = mazes.get(0).size();
        int[] input = new int[size * size], label = new int[size * size];
        for (Maze m : mazes) {
            for (int t = 0; t < versions; t++) {
                Dihedral.apply(t, m.input(), 0, size, size, input, 0);
                Dihedral.apply(t, m.label(), 0, size, size, label, 0);
                set.addExample(input, label);
                set.endPuzzle(0);
            }
            set.endGroup();
        }
        return new SplitSummary(split, set.groups(), set.puzzles(), set.examples());
    }

    private static int commonSize(List<Maze> train, List<Maze> test) {
        int size = -1;
        String first = null;
        for (List<Maze> list : List.of(train, test))
            for (Maze m : list) {
                if (size < 0) {
                    size = m.size();
                    first = list == train ? "train" : "test";
                } else if (m.size() != size) {
                    throw new IllegalArgumentException("mazes differ in size: " + first + " has " + size + "x" + size
                            + ", " + (list == train ? "train" : "test") + " has " + m.size() + "x" + m.size());
                }
            }
        if (size < 0) throw new IllegalArgumentException("no mazes to write: both train and test are empty");
        return size;
    }

    /**
     * {@code count} mazes drawn at random without replacement, in the order drawn (as numpy's
     * {@code random.choice(..., replace=False)} returns them); all of them, in file order, when
     * {@code count} is not smaller than the list, as the reference does.
     */
    public static List<Maze> subsample(List<Maze> mazes, int count, RandomGenerator rng) {
        if (count < 0) throw new IllegalArgumentException("subsample size " + count + " is negative");
        if (count >= mazes.size()) return mazes;
        int[] idx = new int[mazes.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        List<Maze> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out.add(mazes.get(idx[i]));
        }
        return out;
    }
}
