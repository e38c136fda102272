package hrm.data.sudoku;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Makes puzzles with a unique solution offline: a random complete grid, then cells blanked in a
 * random order, each blank kept only if the puzzle stays uniquely solvable, until the wanted number
 * of blanks; a grid that cannot get there is replaced by a fresh one. Optionally a puzzle is kept
 * only if its rating (backtracks, {@link SudokuSolver#backtracks()}) reaches a minimum.
 */
public final class SudokuGenerator {
    /** No 16-clue Sudoku exists, so at most 81 - 17 cells can be blank. */
    public static final int MAX_BLANKS = 64;

    private final SudokuSolver solver = new SudokuSolver();
    private final int maxAttempts;

    /** @param maxAttempts grids tried per puzzle before giving up */
    public SudokuGenerator(int maxAttempts) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be positive");
        this.maxAttempts = maxAttempts;
    }

    public SudokuGenerator() {
        this(10_000);
    }

    /** A puzzle, its solution and its rating. */
    public record Puzzle(int[] question, int[] answer, int rating) {}

    /** A random complete grid: three independent random diagonal boxes, completed by the solver, then a random transform. */
    public int[] randomSolution(RandomGenerator rng) {
        int[] grid = new int[81];
        for (int box = 0; box < 3; box++) {
            int[] digits = SudokuTransform.permutation(9, rng);
            for (int k = 0; k < 9; k++) grid[(box * 3 + k / 3) * 9 + box * 3 + k % 3] = digits[k] + 1;
        }
        if (solver.countSolutions(grid, 1) != 1) throw new IllegalStateException("diagonal boxes always complete");
        int[] full = new int[81];
        solver.solution(full);
        return SudokuTransform.random(rng).apply(full);
    }

    /** Asks {@link #generate} for a minimal puzzle: blank cells until no more can go. */
    public static final int AS_MANY_BLANKS_AS_POSSIBLE = -1;

    /**
     * A puzzle with exactly {@code blanks} blank cells (0..{@value #MAX_BLANKS}, or
     * {@link #AS_MANY_BLANKS_AS_POSSIBLE}) and a rating of at least {@code minRating}.
     */
    public Puzzle generate(RandomGenerator rng, int blanks, int minRating) {
        if (blanks != AS_MANY_BLANKS_AS_POSSIBLE && (blanks < 0 || blanks > MAX_BLANKS))
            throw new IllegalArgumentException("blanks must be in 0.." + MAX_BLANKS + ", got " + blanks);
        int target = blanks == AS_MANY_BLANKS_AS_POSSIBLE ? 81 : blanks;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            int[] answer = randomSolution(rng);
            int[] question = answer.clone();
            int[] order = SudokuTransform.permutation(81, rng);
            int removed = 0;
            for (int k = 0; k < 81 && removed < target; k++) {
                int c = order[k];
                int keep = question[c];
                question[c] = 0;
                if (solver.countSolutions(question, 2) == 1) removed++;
                else question[c] = keep;
            }
            if (blanks != AS_MANY_BLANKS_AS_POSSIBLE && removed < blanks) continue;
            solver.countSolutions(question, 2);
            long rating = solver.backtracks();
            if (rating >= minRating) return new Puzzle(question, answer, (int) Math.min(Integer.MAX_VALUE, rating));
        }
        throw new IllegalArgumentException("no puzzle with " + (blanks == AS_MANY_BLANKS_AS_POSSIBLE ? "as many blanks as possible" : blanks + " blanks")
                + (minRating > 0 ? " and rating >= " + minRating : "")
                + " found in " + maxAttempts + " grids; ask for fewer blanks or a lower rating");
    }

    /**
     * {@code n} puzzles on {@code threads} threads. Puzzle i draws from the i-th child of
     * {@code SplittableRandom(seed)}, so the result does not depend on the thread count.
     */
    public static SudokuPuzzles generateAll(int n, int blanks, int minRating, long seed, int threads) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom[] rngs = new SplittableRandom[n];
        for (int i = 0; i < n; i++) rngs[i] = root.split();
        Puzzle[] out = new Puzzle[n];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable worker = () -> {
            SudokuGenerator g = new SudokuGenerator();
            try {
                for (int i; failure.get() == null && (i = next.getAndIncrement()) < n; ) out[i] = g.generate(rngs[i], blanks, minRating);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        };
        int t = Math.max(1, Math.min(threads, n));
        List<Thread> pool = new ArrayList<>();
        for (int i = 0; i < t; i++) pool.add(Thread.ofPlatform().name("sudoku-generator-" + i).start(worker));
        try {
            for (Thread th : pool) th.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating", e);
        }
        if (failure.get() != null) throw failure.get();
        SudokuPuzzles puzzles = new SudokuPuzzles();
        for (Puzzle p : out) puzzles.add(p.question(), p.answer(), p.rating());
        return puzzles;
    }
}
