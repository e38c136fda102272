package hrm.data.sudoku;

/**
 * Whether a puzzle's givens have a solution at all, decided by {@link MiniSudoku}'s exact search
 * with a bound on its work: a hostile puzzle gets "could not decide" in bounded time instead of a
 * search that runs for hours. The bound is above what real puzzles need (the hardest 9x9
 * collections take this search at most about half a million nodes), so UNDECIDED means a puzzle
 * built to be hard for backtracking.
 */
public final class SudokuSolvability {
    /** About a fifth of a second of search on one core; the hardest of the magictour top 1465 needs under 520,000. */
    public static final long DEFAULT_MAX_NODES = 1_000_000;

    public enum Verdict { SOLVABLE, NO_SOLUTION, UNDECIDED }

    /** @param solution a solution when SOLVABLE, else null */
    public record Decision(Verdict verdict, int[] solution) {}

    private SudokuSolvability() {}

    /** Whether {@code puzzle} (0 blank) on board {@code b} has a solution, searching at most {@code maxNodes} nodes. */
    public static Decision decide(MiniSudoku b, int[] puzzle, long maxNodes) {
        if (puzzle.length != b.cells) throw new IllegalArgumentException(puzzle.length + " cells on a board of " + b.cells);
        int[] solution = new int[b.cells];
        return switch (b.countSolutions(puzzle, 1, solution, maxNodes)) {
            case 1 -> new Decision(Verdict.SOLVABLE, solution);
            case 0 -> new Decision(Verdict.NO_SOLUTION, null);
            default -> new Decision(Verdict.UNDECIDED, null);
        };
    }
}
