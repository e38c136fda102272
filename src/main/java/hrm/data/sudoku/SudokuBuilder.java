package hrm.data.sudoku;

import hrm.data.DatasetWriter;
import hrm.data.PuzzleSetBuilder;

import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The reference Sudoku builder (build_sudoku_dataset.py): both splits filtered by
 * {@code minDifficulty} on the rating, a random training subset of {@code subsampleSize},
 * and {@code numAug} augmented copies of every training puzzle (the test split is never
 * augmented). One group per original puzzle holds it and its copies, each copy its own puzzle
 * of one example under puzzle identifier 0. Tokens are digit + 1: pad 0, blank 1, digits 2-10.
 */
public final class SudokuBuilder {
    public static final int VOCAB_SIZE = 11;
    public static final int SEQ_LEN = 81;

    /**
     * @param subsampleSize training puzzles to keep, drawn at random without replacement (null: all)
     * @param minDifficulty keep only puzzles rated at least this (null: all)
     * @param numAug        augmented copies per training puzzle
     */
    public record Options(Integer subsampleSize, Integer minDifficulty, int numAug) {
        public Options {
            if (subsampleSize != null && subsampleSize < 1) throw new IllegalArgumentException("subsample size must be positive, got " + subsampleSize);
            if (numAug < 0) throw new IllegalArgumentException("num-aug must be >= 0, got " + numAug);
        }
    }

    /** What was written. */
    public record Summary(int trainGroups, int trainExamples, int testGroups, int testExamples) {}

    private SudokuBuilder() {}

    /** Builds the dataset into {@code outputDir} (atomically); {@code rng} draws the subset and the augmentations. */
    public static Summary build(SudokuPuzzles train, SudokuPuzzles test, Options options, RandomGenerator rng,
                                Path outputDir, boolean overwrite) {
        SudokuPuzzles tr = filter(train, options.minDifficulty());
        SudokuPuzzles te = filter(test, options.minDifficulty());
        if (options.subsampleSize() != null && options.subsampleSize() < tr.size())
            tr = tr.select(sample(tr.size(), options.subsampleSize(), rng));
        try (DatasetWriter writer = new DatasetWriter(outputDir, VOCAB_SIZE, SEQ_LEN).overwrite(overwrite)) {
            PuzzleSetBuilder trainSet = writer.set("train", "all");
            PuzzleSetBuilder testSet = writer.set("test", "all");
            add(tr, options.numAug(), rng, trainSet);
            add(te, 0, rng, testSet);
            Summary summary = new Summary(trainSet.groups(), trainSet.examples(), testSet.groups(), testSet.examples());
            writer.commit(List.of(DatasetWriter.BLANK_IDENTIFIER));
            return summary;
        }
    }

    private static void add(SudokuPuzzles puzzles, int numAug, RandomGenerator rng, PuzzleSetBuilder out) {
        int[] q = new int[81], a = new int[81], tq = new int[81], ta = new int[81], in = new int[81], label = new int[81];
        for (int i = 0; i < puzzles.size(); i++) {
            puzzles.question(i, q);
            puzzles.answer(i, a);
            addPuzzle(q, a, in, label, out);
            for (int k = 0; k < numAug; k++) {
                SudokuTransform t = SudokuTransform.random(rng);
                t.apply(q, tq);
                t.apply(a, ta);
                addPuzzle(tq, ta, in, label, out);
            }
            out.endGroup();
        }
    }

    private static void addPuzzle(int[] question, int[] answer, int[] in, int[] label, PuzzleSetBuilder out) {
        for (int i = 0; i < 81; i++) {
            in[i] = question[i] + 1;
            label[i] = answer[i] + 1;
        }
        out.addExample(in, label);
        out.endPuzzle(0);
    }

    static SudokuPuzzles filter(SudokuPuzzles p, Integer minDifficulty) {
        if (minDifficulty == null) return p;
        int n = 0;
        int[] keep = new int[p.size()];
        for (int i = 0; i < p.size(); i++) if (p.rating(i) >= minDifficulty) keep[n++] = i;
        return n == p.size() ? p : p.select(java.util.Arrays.copyOf(keep, n));
    }

    /** k distinct indices of 0..n-1 in random order (a partial Fisher-Yates shuffle). */
    static int[] sample(int n, int k, RandomGenerator rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, k);
    }
}
