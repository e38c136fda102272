package hrm.data.sudoku;

import hrm.data.DatasetMetadata;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The structure the reference Sudoku builder writes, checked the same way on its fixture and on our
 * output: one group per original puzzle, the original first and then its augmented copies, each copy
 * its own puzzle of one example under identifier 0; tokens digit + 1.
 */
final class SudokuDatasetCheck {
    private SudokuDatasetCheck() {}

    /** Checks one split against its original puzzles; returns, per augmented example, the examples as grids (question, answer). */
    static List<int[][]> check(Path dir, String split, SudokuPuzzles originals, int numAug) {
        PuzzleDataset ds = PuzzleDataset.open(dir, split);
        DatasetMetadata m = ds.metadata();
        assertEquals(11, m.vocabSize());
        assertEquals(81, m.seqLen());
        assertEquals(0, m.padId());
        assertEquals(0, m.ignoreLabelId());
        assertEquals(0, m.blankIdentifierId());
        assertEquals(1, m.numPuzzleIdentifiers());
        assertEquals(originals.size(), m.totalGroups());
        assertEquals(1.0, m.meanPuzzleExamples());
        assertEquals(List.of("all"), m.sets());
        assertEquals(List.of("<blank>"), ds.identifiers());
        PuzzleSet s = ds.sets().get(0);
        int per = 1 + numAug;
        assertEquals(originals.size(), s.groups());
        assertEquals(originals.size() * per, s.puzzles());
        assertEquals(s.puzzles(), s.examples());
        int[] in = new int[81], label = new int[81], q = new int[81], a = new int[81];
        List<int[][]> augmented = new ArrayList<>();
        for (int g = 0; g < s.groups(); g++) {
            assertEquals(g * per, s.groupStart(g));
            originals.question(g, q);
            originals.answer(g, a);
            for (int k = 0; k < per; k++) {
                int puzzle = g * per + k;
                assertEquals(0, s.puzzleIdentifier(puzzle));
                assertEquals(puzzle, s.puzzleStart(puzzle), "one example per puzzle");
                s.input(puzzle, in, 0);
                s.label(puzzle, label, 0);
                int[] gq = new int[81], ga = new int[81];
                for (int i = 0; i < 81; i++) {
                    assertTrue(in[i] >= 1 && in[i] <= 10 && label[i] >= 2 && label[i] <= 10, "tokens: blank 1, digits 2-10");
                    gq[i] = in[i] - 1;
                    ga[i] = label[i] - 1;
                }
                assertNull(SudokuGrid.checkSolution(gq, ga), split + " puzzle " + puzzle);
                if (k == 0) {
                    assertArrayEquals(q, gq, split + " group " + g + " starts with its original puzzle");
                    assertArrayEquals(a, ga);
                } else {
                    augmented.add(new int[][]{gq, ga});
                }
            }
            if (g == s.groups() - 1) assertEquals(s.puzzles(), s.groupStart(g + 1));
        }
        return augmented;
    }

    /**
     * Finds a transform taking (q, a) to (tq, ta) by trying every transpose flag, every row order
     * keeping bands, and every source for output column 0; the answer's column 0 then fixes the
     * digit map and each other column has at most one matching source column. Null if none exists.
     */
    static SudokuTransform find(int[] q, int[] a, int[] tq, int[] ta) {
        List<int[]> lineOrders = lineOrders();
        for (int flag = 0; flag < 2; flag++) {
            int[] x = a.clone();
            if (flag == 1) for (int r = 0; r < 9; r++) for (int c = 0; c < 9; c++) x[r * 9 + c] = a[c * 9 + r];
            for (int[] rows : lineOrders)
                for (int c0 = 0; c0 < 9; c0++) {
                    int[] digits = new int[10];
                    for (int r = 0; r < 9; r++) digits[x[rows[r] * 9 + c0]] = ta[r * 9];
                    int[] cols = new int[9];
                    cols[0] = c0;
                    boolean ok = true;
                    for (int c = 1; c < 9 && ok; c++) {
                        cols[c] = -1;
                        for (int j = 0; j < 9 && cols[c] < 0; j++) {
                            boolean match = true;
                            for (int r = 0; r < 9 && match; r++) match = digits[x[rows[r] * 9 + j]] == ta[r * 9 + c];
                            if (match) cols[c] = j;
                        }
                        ok = cols[c] >= 0;
                    }
                    if (!ok) continue;
                    SudokuTransform t;
                    try {
                        t = new SudokuTransform(digits, flag == 1, rows, cols);
                    } catch (IllegalArgumentException notAGridMapping) {
                        continue;
                    }
                    if (java.util.Arrays.equals(t.apply(q), tq) && java.util.Arrays.equals(t.apply(a), ta)) return t;
                }
        }
        return null;
    }

    private static List<int[]> lineOrders() {
        int[][] p3 = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        List<int[]> out = new ArrayList<>();
        for (int[] bands : p3)
            for (int[] i0 : p3) for (int[] i1 : p3) for (int[] i2 : p3) {
                int[][] inner = {i0, i1, i2};
                int[] o = new int[9];
                for (int b = 0; b < 3; b++) for (int i = 0; i < 3; i++) o[b * 3 + i] = bands[b] * 3 + inner[b][i];
                out.add(o);
            }
        return out;
    }
}
