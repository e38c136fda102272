package hrm.data.sudoku;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A digit given more than once in one row, column or box: such givens have no solution, so a
 * solver (or a model) is never asked about them. Named for a user, 1-based:
 * "5 twice in row 1 (r1c1, r1c7)".
 *
 * @param digit the repeated digit
 * @param unit  "row", "column" or "box"
 * @param index the unit's 1-based number (boxes counted row by row)
 * @param cells the cells (row-major indices) of the unit holding the digit, in order
 * @param board the board, for the cells' names
 */
public record GivenClash(int digit, String unit, int index, int[] cells, MiniSudoku board) {
    /** The first clash, looking at rows, then columns, then boxes; null when the givens keep the rules. */
    public static GivenClash find(MiniSudoku b, int[] puzzle) {
        for (String unit : new String[] {"row", "column", "box"})
            for (int u = 0; u < b.n; u++) {
                int[] unitCells = cells(b, unit, u);
                for (int d = 1; d <= b.n; d++) {
                    List<Integer> at = new ArrayList<>();
                    for (int c : unitCells) if (puzzle[c] == d) at.add(c);
                    if (at.size() > 1) return new GivenClash(d, unit, u + 1, at.stream().mapToInt(Integer::intValue).toArray(), b);
                }
            }
        return null;
    }

    /** The cells of row, column or box u (0-based), in reading order. */
    static int[] cells(MiniSudoku b, String unit, int u) {
        int[] out = new int[b.n];
        for (int i = 0; i < b.n; i++)
            out[i] = switch (unit) {
                case "row" -> u * b.n + i;
                case "column" -> i * b.n + u;
                default -> (u / b.boxRows * b.boxRows + i / b.boxCols) * b.n + u % b.boxRows * b.boxCols + i % b.boxCols;
            };
        return out;
    }

    @Override
    public String toString() {
        String times = cells.length == 2 ? "twice" : cells.length + " times";
        return digit + " " + times + " in " + unit + " " + index + " ("
                + java.util.Arrays.stream(cells).mapToObj(board::cellLabel).collect(Collectors.joining(", ")) + ")";
    }
}
