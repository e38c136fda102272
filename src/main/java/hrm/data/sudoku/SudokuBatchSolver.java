package hrm.data.sudoku;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Solves many puzzles on several threads, one solver per thread, handing out blocks of puzzles. */
public final class SudokuBatchSolver {
    private static final int BLOCK = 256;

    /**
     * @param solutionCounts solutions per puzzle, capped at the limit
     * @param backtracks     the rating of each puzzle (see {@link SudokuSolver#backtracks()})
     * @param solutions      81 cells per puzzle: its first solution, zeros where it has none
     */
    public record Results(int[] solutionCounts, long[] backtracks, long[] guesses, byte[] solutions) {}

    private SudokuBatchSolver() {}

    /** {@code puzzles} holds 81 cells (0-9) per puzzle; solutions are counted up to 2. */
    public static Results solveAll(byte[] puzzles, int threads) {
        return solveAll(puzzles, threads, 2);
    }

    /** As {@link #solveAll(byte[], int)}, counting solutions up to {@code limit} (1: solve only, no uniqueness check). */
    public static Results solveAll(byte[] puzzles, int threads, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        if (puzzles.length % 81 != 0) throw new IllegalArgumentException("puzzles must hold 81 cells each");
        int n = puzzles.length / 81;
        Results r = new Results(new int[n], new long[n], new long[n], new byte[puzzles.length]);
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable work = () -> {
            SudokuSolver solver = new SudokuSolver();
            int[] q = new int[81], a = new int[81];
            for (int start; failure.get() == null && (start = next.getAndAdd(BLOCK)) < n; )
                for (int i = start, end = Math.min(n, start + BLOCK); i < end; i++) {
                    for (int k = 0; k < 81; k++) q[k] = puzzles[i * 81 + k];
                    int count = solver.countSolutions(q, limit);
                    r.solutionCounts()[i] = count;
                    r.backtracks()[i] = solver.backtracks();
                    r.guesses()[i] = solver.guesses();
                    if (count > 0) {
                        solver.solution(a);
                        for (int k = 0; k < 81; k++) r.solutions()[i * 81 + k] = (byte) a[k];
                    }
                }
        };
        Runnable worker = () -> {
            try {
                work.run();
            } catch (RuntimeException e) { // reported by the caller, not lost on a worker thread
                failure.compareAndSet(null, e);
            }
        };
        int t = Math.max(1, Math.min(threads, (n + BLOCK - 1) / BLOCK));
        if (t == 1) {
            work.run();
            return r;
        }
        List<Thread> pool = new ArrayList<>();
        for (int i = 0; i < t; i++) pool.add(Thread.ofPlatform().name("sudoku-solver-" + i).start(worker));
        try {
            for (Thread th : pool) th.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while solving", e);
        }
        if (failure.get() != null) throw failure.get();
        return r;
    }
}
