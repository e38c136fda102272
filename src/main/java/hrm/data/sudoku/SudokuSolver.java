package hrm.data.sudoku;

/**
 * Exact Sudoku solver: 9-bit candidate masks, naked and hidden singles and box-line
 * interactions to a fixpoint, then
 * depth-first search on the cell with the fewest candidates. It counts solutions up to a limit
 * and the guesses the search made; {@link #backtracks()} (guesses that led to no solution) is
 * the difficulty rating. With a limit of 2 a uniquely solvable puzzle's whole search tree is
 * walked, so its backtrack count does not depend on the order in which values are tried.
 *
 * <p>An instance keeps its search stack between calls and is not thread-safe: use one per thread.
 */
public final class SudokuSolver {
    static final int ALL = 0x1FF;
    /** Set in a cell's mask once its single value has been eliminated from its peers. */
    private static final int ASSIGNED = 0x200;

    static final int[] PEERS = new int[81 * 20];
    static final int[] UNITS = new int[27 * 9];

    static {
        for (int i = 0; i < 9; i++)
            for (int j = 0; j < 9; j++) {
                UNITS[i * 9 + j] = i * 9 + j;                                   // row i
                UNITS[(9 + i) * 9 + j] = j * 9 + i;                             // column i
                UNITS[(18 + i) * 9 + j] = (i / 3 * 3 + j / 3) * 9 + i % 3 * 3 + j % 3; // box i
            }
        for (int c = 0; c < 81; c++) {
            int r = c / 9, col = c % 9, n = 0;
            for (int p = 0; p < 81; p++) {
                if (p == c) continue;
                int pr = p / 9, pc = p % 9;
                if (pr == r || pc == col || (pr / 3 == r / 3 && pc / 3 == col / 3)) PEERS[c * 20 + n++] = p;
            }
        }
    }

    /** One 81-cell state per search depth; each guess assigns at least one cell, so 82 suffice. */
    private final int[] stack = new int[82 * 81];
    private final int[] queue = new int[81 * 9];
    private final int[] mini = new int[9];
    private int qHead, qTail;
    private final int[] solution = new int[81];
    private int limit, solutions;
    private long guesses, backtracks;

    /**
     * Counts the solutions of {@code puzzle} (81 cells in row order, 0 blank, 1-9 given), stopping
     * at {@code limit}. Conflicting givens give 0.
     */
    public int countSolutions(int[] puzzle, int limit) {
        if (puzzle.length != 81) throw new IllegalArgumentException("a puzzle has 81 cells, got " + puzzle.length);
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        this.limit = limit;
        solutions = 0;
        guesses = 0;
        backtracks = 0;
        int[] s = stack;
        java.util.Arrays.fill(s, 0, 81, ALL);
        qHead = qTail = 0;
        for (int c = 0; c < 81; c++) {
            int d = puzzle[c];
            if (d == 0) continue;
            if (d < 1 || d > 9) throw new IllegalArgumentException("cell " + c + " holds " + d + ", expected 0-9");
            int bit = 1 << (d - 1);
            if ((s[c] & bit) == 0 || !assign(0, c, bit)) return 0;
        }
        if (!propagate(0)) return 0;
        search(0);
        return solutions;
    }

    /** Number of solutions found by the last call (capped at its limit). */
    public int solutions() { return solutions; }

    /** Values tried at branch points by the last call. */
    public long guesses() { return guesses; }

    /** Guesses of the last call whose subtree held no solution: the difficulty rating. */
    public long backtracks() { return backtracks; }

    /** Copies the first solution of the last call (digits 1-9) into {@code dst}; it must have found one. */
    public void solution(int[] dst) {
        if (solutions == 0) throw new IllegalStateException("the last puzzle had no solution");
        System.arraycopy(solution, 0, dst, 0, 81);
    }

    /** Sets cell c to the single candidate {@code bit} and eliminates it from the peers. */
    private boolean assign(int base, int c, int bit) {
        int[] s = stack;
        s[base + c] = bit | ASSIGNED;
        int p0 = c * 20;
        for (int k = 0; k < 20; k++) {
            int i = base + PEERS[p0 + k];
            int m = s[i];
            if ((m & bit) == 0) continue;
            m &= ~bit;
            s[i] = m;
            int cand = m & ALL;
            if (cand == 0) return false;
            if ((m & ASSIGNED) == 0 && (cand & (cand - 1)) == 0) queue[qTail++] = PEERS[p0 + k];
        }
        return true;
    }

    /** Naked and hidden singles until nothing changes; false on a contradiction. */
    private boolean propagate(int base) {
        int[] s = stack;
        while (true) {
            while (qHead < qTail) {
                int c = queue[qHead++];
                int m = s[base + c];
                if ((m & ASSIGNED) != 0) continue;
                if (!assign(base, c, m)) return false;
            }
            qHead = qTail = 0;
            boolean progress = false;
            for (int u = 0; u < 27 * 9; u += 9) {
                int once = 0, twice = 0, placed = 0;
                for (int k = 0; k < 9; k++) {
                    int m = s[base + UNITS[u + k]];
                    if ((m & ASSIGNED) != 0) placed |= m;
                    m &= ALL;
                    twice |= once & m;
                    once |= m;
                }
                if (once != ALL) return false;
                int hidden = once & ~twice & ~placed;
                while (hidden != 0) {
                    int bit = hidden & -hidden;
                    hidden ^= bit;
                    int cell = -1;
                    for (int k = 0; k < 9; k++)
                        if ((s[base + UNITS[u + k]] & bit) != 0) { cell = UNITS[u + k]; break; }
                    if (cell < 0) return false;
                    int m = s[base + cell];
                    if ((m & ASSIGNED) != 0) continue;
                    if (!assign(base, cell, bit)) return false;
                    progress = true;
                }
            }
            if (progress || qHead < qTail) continue;
            int locked = lockedCandidates(base);
            if (locked < 0) return false;
            if (locked == 0 && qHead == qTail) return true;
        }
    }

    /**
     * Box-line interactions, rows then columns: a digit confined to one mini-line (3 cells of a
     * line inside a box) of its box leaves the rest of that line, and one confined to one
     * mini-line of its line leaves the rest of that box. Returns -1 on a contradiction, 1 if
     * something was eliminated, else 0. Fewer guesses pay for the extra scan many times over.
     */
    private int lockedCandidates(int base) {
        int[] s = stack, mini = this.mini;
        int changed = 0;
        for (int columns = 0; columns < 2; columns++)
            for (int band = 0; band < 3; band++) {
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) {
                        int m = 0;
                        for (int k = 0; k < 3; k++) m |= s[base + miniCell(columns, band, i, j, k)];
                        mini[i * 3 + j] = m & ALL;
                    }
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++) {
                        int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
                        int here = mini[i * 3 + j];
                        int pointing = here & ~(mini[i1 * 3 + j] | mini[i2 * 3 + j]) & (mini[i * 3 + j1] | mini[i * 3 + j2]);
                        if (pointing != 0) {
                            int r = eliminate(base, columns, band, i, j1, pointing) | eliminate(base, columns, band, i, j2, pointing);
                            if (r < 0) return -1;
                            changed |= r;
                        }
                        int claiming = here & ~(mini[i * 3 + j1] | mini[i * 3 + j2]) & (mini[i1 * 3 + j] | mini[i2 * 3 + j]);
                        if (claiming != 0) {
                            int r = eliminate(base, columns, band, i1, j, claiming) | eliminate(base, columns, band, i2, j, claiming);
                            if (r < 0) return -1;
                            changed |= r;
                        }
                    }
            }
        return changed;
    }

    /** Cell k of mini-line (line i of the band, box j of the band), in rows or in columns. */
    private static int miniCell(int columns, int band, int i, int j, int k) {
        int line = band * 3 + i, across = j * 3 + k;
        return columns == 0 ? line * 9 + across : across * 9 + line;
    }

    /** Removes {@code bits} from the 3 cells of a mini-line: -1 if a cell is left empty, 1 if anything changed. */
    private int eliminate(int base, int columns, int band, int i, int j, int bits) {
        int[] s = stack;
        int changed = 0;
        for (int k = 0; k < 3; k++) {
            int cell = miniCell(columns, band, i, j, k);
            int m = s[base + cell];
            if ((m & bits) == 0) continue;
            m &= ~bits;
            s[base + cell] = m;
            int cand = m & ALL;
            if (cand == 0) return -1;
            if ((m & ASSIGNED) == 0 && (cand & (cand - 1)) == 0) queue[qTail++] = cell;
            changed = 1;
        }
        return changed;
    }

    /** Returns true when the solution limit has been reached. */
    private boolean search(int depth) {
        int[] s = stack;
        int base = depth * 81;
        int best = -1, bestCount = 10;
        for (int c = 0; c < 81; c++) {
            int m = s[base + c];
            if ((m & ASSIGNED) != 0) continue;
            int n = Integer.bitCount(m);
            if (n < bestCount) {
                best = c;
                bestCount = n;
                if (n == 2) break;
            }
        }
        if (best < 0) {
            if (solutions++ == 0)
                for (int c = 0; c < 81; c++) solution[c] = Integer.numberOfTrailingZeros(s[base + c] & ALL) + 1;
            return solutions >= limit;
        }
        int next = base + 81;
        int m = s[base + best];
        while (m != 0) {
            int bit = m & -m;
            m ^= bit;
            guesses++;
            System.arraycopy(s, base, s, next, 81);
            qHead = qTail = 0;
            int before = solutions;
            if (assign(next, best, bit) && propagate(next) && search(depth + 1)) return true;
            if (solutions == before) backtracks++;
        }
        return false;
    }
}
