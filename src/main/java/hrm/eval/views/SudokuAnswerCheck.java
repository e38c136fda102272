package hrm.eval.views;

/**
 * Whether a Sudoku answer in tokens (digit d = token d + 1, blank 1) is a complete valid grid that
 * keeps every given: each row, column and box holds each digit once. Works on tokens with bit
 * masks, allocating nothing, since it runs on every candidate of every test example; the same rule
 * as {@link hrm.data.sudoku.MiniSudoku#check}.
 */
public final class SudokuAnswerCheck implements AnswerCheck {
    private final int boxRows, boxCols, n, full;

    public SudokuAnswerCheck(int boxRows, int boxCols) {
        this.boxRows = boxRows;
        this.boxCols = boxCols;
        this.n = boxRows * boxCols;
        this.full = (1 << n) - 1;
    }

    @Override
    public boolean valid(int[] input, int inOff, int[] answer, int ansOff) {
        int cells = n * n;
        for (int i = 0; i < cells; i++) {
            int a = answer[ansOff + i], q = input[inOff + i];
            if (a < 2 || a > n + 1) return false; // blank, pad or no digit
            if (q >= 2 && q != a) return false; // a given changed
        }
        for (int u = 0; u < n; u++) {
            int row = 0, col = 0, box = 0;
            int br = u / boxRows * boxRows, bc = u % boxRows * boxCols; // box u: n / boxRows = boxCols bands, boxRows stacks
            for (int k = 0; k < n; k++) {
                row |= 1 << (answer[ansOff + u * n + k] - 2);
                col |= 1 << (answer[ansOff + k * n + u] - 2);
                box |= 1 << (answer[ansOff + (br + k / boxCols) * n + bc + k % boxCols] - 2);
            }
            if (row != full || col != full || box != full) return false;
        }
        return true;
    }
}
