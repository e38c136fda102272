package hrm.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DihedralTest {
    /** numpy on np.arange(6).reshape(2, 3): a, rot90(a,1), rot90(a,2), rot90(a,3), fliplr(a), flipud(a), a.T, fliplr(rot90(a,1)). */
    private static final int[][] NUMPY_2X3 = {
        {0, 1, 2, 3, 4, 5},
        {2, 5, 1, 4, 0, 3},
        {5, 4, 3, 2, 1, 0},
        {3, 0, 4, 1, 5, 2},
        {2, 1, 0, 5, 4, 3},
        {3, 4, 5, 0, 1, 2},
        {0, 3, 1, 4, 2, 5},
        {5, 2, 4, 1, 3, 0},
    };

    @Test
    void idsFollowNumpyConventionsOnANonSquareGrid() {
        int[] a = {0, 1, 2, 3, 4, 5};
        for (int id = 0; id < Dihedral.COUNT; id++) {
            assertArrayEquals(NUMPY_2X3[id], Dihedral.apply(id, a, 2, 3), "transform " + id);
            int expectedRows = (id == 1 || id == 3 || id == 6 || id == 7) ? 3 : 2;
            assertEquals(expectedRows, Dihedral.outRows(id, 2, 3), "rows after transform " + id);
            assertEquals(5 - expectedRows, Dihedral.outCols(id, 2, 3), "cols after transform " + id);
        }
    }

    @Test
    void everyTransformFollowedByItsInverseIsTheIdentity() {
        SplittableRandom rng = new SplittableRandom(7);
        int[][] shapes = {{1, 1}, {1, 5}, {4, 1}, {3, 7}, {30, 30}, {13, 29}};
        int[] inverses = {0, 3, 2, 1, 4, 5, 6, 7};
        for (int[] shape : shapes) {
            int rows = shape[0], cols = shape[1];
            int[] grid = rng.ints(rows * cols, 0, 1000).toArray();
            for (int id = 0; id < Dihedral.COUNT; id++) {
                assertEquals(inverses[id], Dihedral.inverse(id));
                int[] t = Dihedral.apply(id, grid, rows, cols);
                int[] back = Dihedral.apply(Dihedral.inverse(id), t,
                        Dihedral.outRows(id, rows, cols), Dihedral.outCols(id, rows, cols));
                assertArrayEquals(grid, back, "transform " + id + " on " + rows + "x" + cols);
            }
        }
    }

    @Test
    void theEightTransformsOfAnAsymmetricGridAreDistinct() {
        int[] a = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int id = 0; id < Dihedral.COUNT; id++) seen.add(java.util.Arrays.toString(Dihedral.apply(id, a, 3, 3)));
        assertEquals(8, seen.size());
    }

    @Test
    void offsetsReadAndWriteInsideLargerArrays() {
        int[] src = {9, 9, 0, 1, 2, 3, 4, 5};
        int[] dst = new int[10];
        Dihedral.apply(1, src, 2, 2, 3, dst, 3);
        assertArrayEquals(new int[] {0, 0, 0, 2, 5, 1, 4, 0, 3, 0}, dst);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Dihedral.inverse(8));
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(-1, new int[4], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(0, new int[3], 2, 2));
    }
}
