package hrm.data.sudoku;

/**
 * Exact Sudoku solver on digit bitboards: for each digit and each band (3 rows), a 27-bit mask of
 * the cells that may still hold it, plus a mask of the cells not yet placed: 30 ints per state, so
 * a guess copies 120 bytes and a placement is a dozen AND-NOTs. Naked singles, hidden singles
 * (rows, columns, boxes) and box-line interactions run to a fixpoint, re-checking only the digits
 * whose masks changed; then a depth-first search branches on the two-candidate cell that shares a
 * digit with the most two-candidate peers (or on the cell with the fewest). It counts solutions up to a limit and the
 * guesses made; {@link #backtracks()} (guesses whose subtree held no solution) is the difficulty
 * rating. With a limit of 2 a uniquely solvable puzzle's whole search tree is walked, so its rating
 * does not depend on the order in which values are tried.
 *
 * <p>An instance keeps its search stack between calls and is not thread-safe: use one per thread.
 */
public final class SudokuSolver {
    static final int ALL = 0x1FF;
    private static final int BAND = (1 << 27) - 1;
    private static final int STATE = 30;          // 27 digit-band masks, then 3 unplaced-cell masks
    private static final int UNPLACED = 27;

    static final int[] UNITS = new int[27 * 9];
    /** PEERS[c * 3 + band]: the peers of cell c within that band (c itself excluded). */
    private static final int[] PEERS = new int[81 * 3];
    private static final int[] BOX = {0x7 | 0x7 << 9 | 0x7 << 18, 0x38 | 0x38 << 9 | 0x38 << 18, 0x1C0 | 0x1C0 << 9 | 0x1C0 << 18};
    /** For a 3x3 presence matrix of mini-lines (bit 3*line + box), the mini-lines that box-line interactions empty. */
    private static final int[] LOCKED = new int[512];
    /** For a row's 9 bits, which of its 3 mini-rows are non-empty. */
    private static final int[] ROW_TO_BOXES = new int[512];
    /** Mini-row matrix bits to the band's 27 cell bits. */
    private static final int[] MINI_ROWS_TO_CELLS = new int[512];

    static {
        for (int i = 0; i < 9; i++)
            for (int j = 0; j < 9; j++) {
                UNITS[i * 9 + j] = i * 9 + j;                                   // row i
                UNITS[(9 + i) * 9 + j] = j * 9 + i;                             // column i
                UNITS[(18 + i) * 9 + j] = (i / 3 * 3 + j / 3) * 9 + i % 3 * 3 + j % 3; // box i
            }
        for (int c = 0; c < 81; c++) {
            int r = c / 9, col = c % 9;
            for (int p = 0; p < 81; p++) {
                int pr = p / 9, pc = p % 9;
                if (p != c && (pr == r || pc == col || (pr / 3 == r / 3 && pc / 3 == col / 3))) PEERS[c * 3 + p / 27] |= 1 << (p % 27);
            }
        }
        for (int m = 0; m < 512; m++) {
            int clear = 0;
            for (int line = 0; line < 3; line++)
                for (int box = 0; box < 3; box++) {
                    if ((m >> (3 * line + box) & 1) == 0) continue;
                    boolean onlyLineInBox = true, onlyBoxInLine = true;
                    for (int k = 0; k < 3; k++) {
                        if (k != line && (m >> (3 * k + box) & 1) != 0) onlyLineInBox = false;
                        if (k != box && (m >> (3 * line + k) & 1) != 0) onlyBoxInLine = false;
                    }
                    for (int k = 0; k < 3; k++) {
                        if (onlyLineInBox && k != box) clear |= 1 << (3 * line + k);   // pointing: the rest of the line
                        if (onlyBoxInLine && k != line) clear |= 1 << (3 * k + box);   // claiming: the rest of the box
                    }
                }
            LOCKED[m] = clear & m;
            for (int box = 0; box < 3; box++) if ((m >> (3 * box) & 7) != 0) ROW_TO_BOXES[m] |= 1 << box;
            for (int bit = 0; bit < 9; bit++) if ((m >> bit & 1) != 0) MINI_ROWS_TO_CELLS[m] |= 7 << (9 * (bit / 3) + 3 * (bit % 3));
        }
    }

    /** One state per search depth; each guess places at least one cell, so 82 suffice. */
    private final int[] stack = new int[82 * STATE];
    private final int[] solution = new int[81];
    private int limit, solutions;
    /** Digits whose masks changed since their last hidden-singles check, and since their last box-line check. */
    private int dirty, lockDirty;
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
        java.util.Arrays.fill(s, 0, STATE, BAND);
        dirty = lockDirty = ALL;
        for (int c = 0; c < 81; c++) {
            int d = puzzle[c];
            if (d < 0 || d > 9) throw new IllegalArgumentException("cell " + c + " holds " + d + ", expected 0-9");
        }
        for (int c = 0; c < 81; c++) if (puzzle[c] != 0 && !place(0, c, puzzle[c] - 1)) return 0;
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

    /** Places digit d (0-8) in cell c: false if d is no longer possible there. */
    private boolean place(int base, int c, int d) {
        int[] s = stack;
        int band = c / 27, bit = 1 << (c - band * 27);
        if ((s[base + d * 3 + band] & bit) == 0) return false;
        int touched = 1 << d;
        for (int e = 0; e < 9; e++) {
            int i = base + e * 3 + band;
            if ((s[i] & bit) != 0) {
                s[i] &= ~bit;
                touched |= 1 << e;
            }
        }
        dirty |= touched;
        lockDirty |= touched;
        int p = c * 3, i = base + d * 3;
        s[i] &= ~PEERS[p];
        s[i + 1] &= ~PEERS[p + 1];
        s[i + 2] &= ~PEERS[p + 2];
        s[i + band] |= bit;
        s[base + UNPLACED + band] &= ~bit;
        return true;
    }

    /** Singles and box-line interactions until nothing changes; false on a contradiction. */
    private boolean propagate(int base) {
        int[] s = stack;
        while (true) {
            // Naked singles; a cell with no candidate is a contradiction.
            boolean changed = false;
            for (int band = 0; band < 3; band++) {
                int once = 0, twice = 0;
                for (int d = 0; d < 9; d++) {
                    int m = s[base + d * 3 + band];
                    twice |= once & m;
                    once |= m;
                }
                if (once != BAND) return false;
                int singles = once & ~twice & s[base + UNPLACED + band];
                while (singles != 0) {
                    int bit = singles & -singles;
                    singles ^= bit;
                    int d = 0;
                    while (d < 9 && (s[base + d * 3 + band] & bit) == 0) d++;
                    if (d == 9 || !place(base, band * 27 + Integer.numberOfTrailingZeros(bit), d)) return false;
                    changed = true;
                }
            }
            // Hidden singles; a digit with no place in a unit is a contradiction.
            int unplaced0 = s[base + UNPLACED], unplaced1 = s[base + UNPLACED + 1], unplaced2 = s[base + UNPLACED + 2];
            if ((unplaced0 | unplaced1 | unplaced2) == 0) return true;
            for (int todo = dirty; todo != 0; todo &= todo - 1) {
                int d = Integer.numberOfTrailingZeros(todo);
                dirty &= ~(1 << d);
                int i = base + d * 3;
                if (((s[i] & unplaced0) | (s[i + 1] & unplaced1) | (s[i + 2] & unplaced2)) == 0) {
                    // Nowhere left to put d: fine if it is placed 9 times, else some unit has no place for it.
                    if (Integer.bitCount(s[i]) + Integer.bitCount(s[i + 1]) + Integer.bitCount(s[i + 2]) != 9) return false;
                    continue;
                }
                int colOnce = 0, colTwice = 0, colPlaced = 0;
                for (int band = 0; band < 3; band++) {
                    int m = s[i + band], open = s[base + UNPLACED + band];
                    int placed = m & ~open;
                    colPlaced |= placed | placed >>> 9 | placed >>> 18;
                    for (int k = 0; k < 3; k++) {
                        int row = m >>> (9 * k) & ALL;
                        if (row == 0) return false;
                        colTwice |= colOnce & row;
                        colOnce |= row;
                        if ((row & (row - 1)) == 0 && (open >>> (9 * k) & row) != 0) {
                            if (!place(base, band * 27 + 9 * k + Integer.numberOfTrailingZeros(row), d)) return false;
                            changed = true;
                        }
                    }
                    m = s[i + band];
                    for (int j = 0; j < 3; j++) {
                        int box = m & BOX[j];
                        if (box == 0) return false;
                        if ((box & (box - 1)) == 0 && (box & s[base + UNPLACED + band]) != 0) {
                            if (!place(base, band * 27 + Integer.numberOfTrailingZeros(box), d)) return false;
                            changed = true;
                            m = s[i + band];
                        }
                    }
                }
                if (colOnce != ALL) return false;
                int cols = colOnce & ~colTwice & ~colPlaced & ALL; // columns whose one place is still open
                while (cols != 0) {
                    int col = Integer.numberOfTrailingZeros(cols);
                    cols &= cols - 1;
                    for (int band = 0; band < 3; band++) {
                        int hit = s[i + band] & (1 | 1 << 9 | 1 << 18) << col;
                        if (hit != 0) {
                            if ((hit & s[base + UNPLACED + band]) != 0) {
                                if (!place(base, band * 27 + Integer.numberOfTrailingZeros(hit), d)) return false;
                                changed = true;
                            }
                            break;
                        }
                    }
                }
            }
            if (changed) continue;
            if (lockDirty == 0 || !lockedCandidates(base)) return true;
        }
    }

    /**
     * Box-line interactions for every digit: a digit confined to one mini-line of a box leaves the
     * rest of that line; one confined to one mini-line of a line leaves the rest of that box.
     * Returns whether anything was eliminated (a contradiction it causes is found by the singles pass).
     */
    private boolean lockedCandidates(int base) {
        int[] s = stack;
        boolean changed = false;
        for (int todo = lockDirty; todo != 0; todo &= todo - 1) {
            int d = Integer.numberOfTrailingZeros(todo);
            lockDirty &= ~(1 << d);
            int i = base + d * 3;
            boolean cleared = false;
            for (int band = 0; band < 3; band++) {
                int m = s[i + band];
                int mini = ROW_TO_BOXES[m & ALL] | ROW_TO_BOXES[m >>> 9 & ALL] << 3 | ROW_TO_BOXES[m >>> 18] << 6;
                int clear = LOCKED[mini];
                if (clear != 0) {
                    s[i + band] = m & ~MINI_ROWS_TO_CELLS[clear];
                    cleared = true;
                }
            }
            // Columns: for each stack, the mini-columns (column c of the stack in band b) at bit 3c + b.
            int p0 = s[i], p1 = s[i + 1], p2 = s[i + 2];
            int c0 = (p0 | p0 >>> 9 | p0 >>> 18) & ALL, c1 = (p1 | p1 >>> 9 | p1 >>> 18) & ALL, c2 = (p2 | p2 >>> 9 | p2 >>> 18) & ALL;
            for (int stack = 0; stack < 3; stack++) {
                int sh = 3 * stack;
                int a = c0 >>> sh & 7, b = c1 >>> sh & 7, c = c2 >>> sh & 7;
                int mini = 0;
                for (int k = 0; k < 3; k++) mini |= (a >>> k & 1) << (3 * k) | (b >>> k & 1) << (3 * k + 1) | (c >>> k & 1) << (3 * k + 2);
                int clear = LOCKED[mini];
                if (clear == 0) continue;
                cleared = true;
                for (int k = 0; k < 3; k++)
                    for (int bd = 0; bd < 3; bd++)
                        if ((clear >>> (3 * k + bd) & 1) != 0) s[i + bd] &= ~((1 | 1 << 9 | 1 << 18) << (sh + k));
            }
            if (cleared) {
                dirty |= 1 << d;
                lockDirty |= 1 << d;
                changed = true;
            }
        }
        return changed;
    }

    /**
     * The cell to branch on: among cells with two candidates, the one with the most such peers
     * holding one of its digits (either branch then forces most of them; a quarter fewer guesses
     * than the first such cell on the hardest puzzles); with none, the first cell with the
     * fewest candidates; -1 when every cell is placed.
     */
    private int chooseCell(int base) {
        int[] s = stack;
        int p0 = 0, p1 = 0, p2 = 0, open = 0;
        for (int band = 0; band < 3; band++) {
            int u = s[base + UNPLACED + band];
            open |= u;
            int once = 0, twice = 0, thrice = 0;
            for (int d = 0; d < 9; d++) {
                int m = s[base + d * 3 + band];
                thrice |= twice & m;
                twice |= once & m;
                once |= m;
            }
            int pairs = twice & ~thrice & u;
            if (band == 0) p0 = pairs; else if (band == 1) p1 = pairs; else p2 = pairs;
        }
        if ((p0 | p1 | p2) != 0) {
            int cell = -1, bestScore = -1;
            for (int band = 0; band < 3; band++)
                for (int rest = band == 0 ? p0 : band == 1 ? p1 : p2; rest != 0; rest &= rest - 1) {
                    int c = band * 27 + Integer.numberOfTrailingZeros(rest);
                    int cb = 1 << (c - band * 27), m0 = 0, m1 = 0, m2 = 0;
                    for (int d = 0; d < 9; d++)
                        if ((s[base + d * 3 + band] & cb) != 0) {
                            m0 |= s[base + d * 3];
                            m1 |= s[base + d * 3 + 1];
                            m2 |= s[base + d * 3 + 2];
                        }
                    int score = Integer.bitCount(p0 & m0 & PEERS[c * 3]) + Integer.bitCount(p1 & m1 & PEERS[c * 3 + 1]) + Integer.bitCount(p2 & m2 & PEERS[c * 3 + 2]);
                    if (score > bestScore) {
                        bestScore = score;
                        cell = c;
                    }
                }
            return cell;
        }
        if (open == 0) return -1;
        int cell = -1, best = 10;
        for (int band = 0; band < 3; band++)
            for (int rest = s[base + UNPLACED + band]; rest != 0; rest &= rest - 1) {
                int bit = rest & -rest, n = 0;
                for (int d = 0; d < 9; d++) if ((s[base + d * 3 + band] & bit) != 0) n++;
                if (n < best) {
                    best = n;
                    cell = band * 27 + Integer.numberOfTrailingZeros(bit);
                }
            }
        return cell;
    }

    /** Returns true when the solution limit has been reached. */
    private boolean search(int depth) {
        int[] s = stack;
        int base = depth * STATE;
        int cell = chooseCell(base);
        if (cell < 0) {
            if (solutions++ == 0) {
                for (int c = 0; c < 81; c++) {
                    int band = c / 27, bit = 1 << (c - band * 27), d = 0;
                    while ((s[base + d * 3 + band] & bit) == 0) d++;
                    solution[c] = d + 1;
                }
            }
            return solutions >= limit;
        }
        int next = base + STATE;
        int band = cell / 27, bit = 1 << (cell - band * 27);
        for (int d = 0; d < 9; d++) {
            if ((s[base + d * 3 + band] & bit) == 0) continue;
            guesses++;
            System.arraycopy(s, base, s, next, STATE);
            dirty = lockDirty = 0; // the parent state is a fixpoint: only what this guess changes needs checking
            int before = solutions;
            if (place(next, cell, d) && propagate(next) && search(depth + 1)) return true;
            if (solutions == before) backtracks++;
        }
        return false;
    }
}
