package hrm.data.sudoku;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** A seeded random train/test split of one collection; each side keeps the collection's order. */
public record SudokuSplit(SudokuPuzzles train, SudokuPuzzles test) {
    /** round(size * testFraction) puzzles, drawn at random, go to the test side. */
    public static SudokuSplit of(SudokuPuzzles all, double testFraction, RandomGenerator rng) {
        if (!(testFraction >= 0 && testFraction <= 1))
            throw new IllegalArgumentException("test fraction must be in [0, 1], got " + testFraction);
        int n = all.size();
        int nTest = (int) Math.round(n * testFraction);
        int[] test = SudokuBuilder.sample(n, nTest, rng);
        Arrays.sort(test);
        boolean[] isTest = new boolean[n];
        for (int i : test) isTest[i] = true;
        int[] train = new int[n - nTest];
        for (int i = 0, k = 0; i < n; i++) if (!isTest[i]) train[k++] = i;
        return new SudokuSplit(all.select(train), all.select(test));
    }
}
