package hrm.eval.views;

/**
 * A puzzle's own test of an answer, without its label: what lets views be chosen among at test
 * time (a Sudoku grid or a maze path can be verified; an ARC output cannot).
 */
@FunctionalInterface
public interface AnswerCheck {
    /** Whether the answer tokens at {@code answer[ansOff..]} solve the puzzle whose input tokens are at {@code input[inOff..]}. */
    boolean valid(int[] input, int inOff, int[] answer, int ansOff);
}
