package hrm.eval.views;

/**
 * One test-time view of a puzzle: a symmetry of its grid that keeps the answer well defined, as
 * a map on token grids (the model's inputs and outputs, never characters). {@link #apply} turns
 * the puzzle into the view the model is shown; {@link #invert} maps the model's answer to that
 * view back onto the original puzzle, so answers of different views can be compared and voted on.
 * Grids are the {@code seq_len} cells only: the puzzle-embedding rows are not tokens of the
 * sequence (the identifier travels beside it), so a view leaves them alone.
 */
public interface View {
    /** Writes the view of the grid at {@code src[srcOff..]} into {@code dst[dstOff..]}; the two must not overlap. */
    void apply(int[] src, int srcOff, int[] dst, int dstOff);

    /** Undoes {@link #apply}: {@code invert(apply(x)) == x} for every grid, also for tokens outside the puzzle's alphabet. */
    void invert(int[] src, int srcOff, int[] dst, int dstOff);

    /** Whether this is the identity (the plain prediction). */
    boolean isIdentity();
}
