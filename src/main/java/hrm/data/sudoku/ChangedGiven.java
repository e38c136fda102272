package hrm.data.sudoku;

import java.util.ArrayList;
import java.util.List;

/**
 * A given that an answer does not keep: the answer solves another puzzle than the one asked, the
 * first thing to tell a user about an answer, before any rule it breaks.
 *
 * @param cell   row-major index
 * @param label  the cell as messages name it, "r3c4"
 * @param given  the puzzle's digit there
 * @param answer the answer's digit there (0 for a blank)
 */
public record ChangedGiven(int cell, String label, int given, int answer) {
    /** The givens of {@code puzzle} that {@code answer} changes, in reading order. */
    public static List<ChangedGiven> find(MiniSudoku b, int[] puzzle, int[] answer) {
        List<ChangedGiven> out = new ArrayList<>();
        for (int c = 0; c < b.cells; c++)
            if (puzzle[c] != 0 && answer[c] != puzzle[c]) out.add(new ChangedGiven(c, b.cellLabel(c), puzzle[c], answer[c]));
        return out;
    }

    /** "r3c4 from 7 to 2". */
    @Override
    public String toString() {
        return label + " from " + given + " to " + answer;
    }
}
