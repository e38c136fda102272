package hrm.data.sudoku;

import hrm.data.DatasetWriter;
import hrm.data.PuzzleSetBuilder;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A generated Sudoku dataset on a small board (the demo's 6x6 with 2x3 boxes): puzzles with a
 * unique solution and a fixed number of blanks, tokens as the reference's Sudoku (pad 0, blank 1,
 * digit d -> d + 1), one group and one puzzle per example, no puzzle embedding. Test puzzles never
 * appear in the training split.
 */
public final class MiniSudokuBuilder {
    private MiniSudokuBuilder() {}

    public record Summary(int train, int test, double seconds) {}

    public static Summary build(Path outputDir, MiniSudoku board, int trainPuzzles, int testPuzzles, int blanks, long seed, boolean overwrite) {
        if (blanks < 1 || blanks >= board.cells) throw new IllegalArgumentException("blanks = " + blanks + ": must be in 1.." + (board.cells - 1));
        long t0 = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        Set<String> seen = new HashSet<>();
        try (DatasetWriter w = new DatasetWriter(outputDir, board.n + 2, board.cells).overwrite(overwrite)) {
            // test first, so the training draw can skip every test puzzle
            fill(w.set("test", "all"), board, testPuzzles, blanks, rng, seen);
            fill(w.set("train", "all"), board, trainPuzzles, blanks, rng, seen);
            w.commit(List.of(DatasetWriter.BLANK_IDENTIFIER));
        }
        return new Summary(trainPuzzles, testPuzzles, (System.nanoTime() - t0) / 1e9);
    }

    private static void fill(PuzzleSetBuilder b, MiniSudoku board, int count, int blanks, SplittableRandom rng, Set<String> seen) {
        int attempts = 0;
        while (b.examples() < count) {
            if (++attempts > 50 * count + 1000)
                throw new IllegalArgumentException("could not draw " + count + " distinct " + board.n + "x" + board.n + " puzzles with " + blanks + " blanks");
            int[] solution = board.randomSolution(rng);
            int[] puzzle = board.puzzle(solution, blanks, rng);
            if (puzzle == null || !seen.add(java.util.Arrays.toString(puzzle))) continue;
            b.addExample(MiniSudoku.toTokens(puzzle), MiniSudoku.toTokens(solution));
            b.endPuzzle(0);
            b.endGroup();
        }
    }
}
