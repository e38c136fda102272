package hrm.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class DihedralTest {
    // numpy on np.arange(6).reshape(2, 3): rot90(a, k), fliplr, flipud, a.T, fliplr(rot90(a)).
    private static final int[][] NUMPY_2X3 = {
            {0, 1, 2, 3, 4, 5}, {2, 5, 1, 4, 0, 3}, {5, 4, 3, 2, 1, 0}, {3, 0, 4, 1, 5, 2},
            {2, 1, 0, 5, 4, 3}, {3, 4, 5, 0, 1, 2}, {0, 3, 1, 4, 2, 5}, {5, 2, 4, 1, 3, 0}};

    @Test
    void matchesNumpyOnARectangle() {
        int[] a = {0, 1, 2, 3, 4, 5};
        for (int id = 0; id < 8; id++)
            assertArrayEquals(NUMPY_2X3[id], Dihedral.apply(id, a, 2, 3), "transform " + id);
    }

    @Test
    void swapsAxesForTheQuarterTurnsAndTransposes() {
        boolean[] expected = {false, true, false, true, false, false, true, true};
        for (int id = 0; id < 8; id++) assertEquals(expected[id], Dihedral.swapsAxes(id), "transform " + id);
    }

    @Test
    void inverseUndoesEveryTransformOnRandomGrids() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 50; trial++) {
            int rows = 1 + rng.nextInt(30), cols = 1 + rng.nextInt(30);
            int[] g = rng.ints(rows * cols, 0, 10).toArray();
            for (int id = 0; id < 8; id++) {
                int[] t = Dihedral.apply(id, g, rows, cols);
                int tr = Dihedral.outRows(id, rows, cols), tc = Dihedral.outCols(id, rows, cols);
                assertArrayEquals(g, Dihedral.apply(Dihedral.inverse(id), t, tr, tc), "transform " + id);
            }
        }
    }

    @Test
    void composesLikeTheGroup() {
        // rot90 twice is rot180, and anti-transpose is flip left-right after rot90.
        int[] g = new SplittableRandom(3).ints(12, 0, 10).toArray();
        int[] r1 = Dihedral.apply(1, g, 3, 4);
        assertArrayEquals(Dihedral.apply(2, g, 3, 4), Dihedral.apply(1, r1, 4, 3));
        assertArrayEquals(Dihedral.apply(7, g, 3, 4), Dihedral.apply(4, r1, 4, 3));
    }

    @Test
    void writesAtOffsets() {
        int[] src = {9, 9, 0, 1, 2, 3, 4, 5};
        int[] dst = new int[9];
        Dihedral.apply(1, src, 2, 2, 3, dst, 3);
        assertArrayEquals(new int[]{0, 0, 0, 2, 5, 1, 4, 0, 3}, dst);
    }

    @Test
    void rejectsBadIdsAndShortArrays() {
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(8, new int[4], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Dihedral.inverse(-1));
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(1, new int[3], 2, 2));
    }
}
