package hrm.data.arc;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ArcCanvasTest {
    private static int at(int[] t, int r, int c) {
        return t[r * 30 + c];
    }

    @Test
    void placesColoursWithEndMarkersBelowAndRightAndAPadCorner() {
        int[] t = new int[900];
        ArcCanvas.place(ArcGrid.of(2, 3, 0, 1, 2, 3, 4, 9), 4, 5, t);
        assertEquals(2, at(t, 4, 5));
        assertEquals(3, at(t, 4, 6));
        assertEquals(11, at(t, 5, 7));
        for (int c = 5; c < 8; c++) assertEquals(1, at(t, 6, c), "end row, column " + c);
        for (int r = 4; r < 6; r++) assertEquals(1, at(t, r, 8), "end column, row " + r);
        assertEquals(0, at(t, 6, 8), "corner stays pad");
        int nonPad = 0;
        for (int v : t) if (v != 0) nonPad++;
        assertEquals(6 + 3 + 2, nonPad);
    }

    @Test
    void endMarkersOnlyWhereTheyFit() {
        int[] t = new int[900];
        int[] full = new int[900];
        ArcCanvas.place(full, 0, 30, 30, 0, 0, t);
        for (int v : t) assertEquals(2, v);

        ArcGrid tall = ArcGrid.of(30, 2, new int[60], 0);
        ArcCanvas.place(tall, 0, 28, t);
        for (int r = 0; r < 30; r++) {
            assertEquals(2, at(t, r, 28));
            assertEquals(2, at(t, r, 29));
            assertEquals(0, at(t, r, 27));
        }
        ArcGrid wide = ArcGrid.of(3, 28, new int[84], 0);
        ArcCanvas.place(wide, 27, 0, t);
        for (int r = 27; r < 30; r++) assertEquals(1, at(t, r, 28), "end column fits, row " + r);
        assertEquals(0, at(t, 26, 0));
    }

    @Test
    void placementClearsThePreviousExample() {
        int[] t = new int[900];
        java.util.Arrays.fill(t, 7);
        ArcCanvas.place(ArcGrid.of(1, 1, 5), 0, 0, t);
        assertEquals(7, at(t, 0, 0));
        assertEquals(1, at(t, 0, 1));
        assertEquals(1, at(t, 1, 0));
        assertEquals(0, at(t, 1, 1));
        assertEquals(0, at(t, 29, 29));
    }

    @Test
    void rejectsGridsThatDoNotFit() {
        assertThrows(IllegalArgumentException.class, () -> ArcCanvas.place(ArcGrid.of(2, 2, 0, 0, 0, 0), 29, 0, new int[900]));
    }

    @Test
    void cropRecoversEveryTopLeftPlacedGrid() {
        SplittableRandom rng = new SplittableRandom(11);
        int[] t = new int[900];
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + rng.nextInt(30), cols = 1 + rng.nextInt(30);
            ArcGrid g = ArcGrid.of(rows, cols, rng.ints(rows * cols, 0, 10).toArray(), 0);
            ArcCanvas.place(g, 0, 0, t);
            assertEquals(g, ArcCanvas.crop(t, 0));
        }
    }

    @Test
    void cropKeepsTheLargestTopLeftRectangle() {
        // Row 0 has 4 colours, row 1 three, row 2 one: areas 4, 6, 3 -> 2 x 3.
        int[] t = new int[900];
        int[][] rows = {{2, 3, 4, 5, 1}, {6, 7, 8, 0}, {9, 1}};
        for (int r = 0; r < rows.length; r++) System.arraycopy(rows[r], 0, t, r * 30, rows[r].length);
        assertEquals(ArcGrid.of(2, 3, 0, 1, 2, 4, 5, 6), ArcCanvas.crop(t, 0));
        t[0] = 1;
        assertEquals(ArcGrid.EMPTY, ArcCanvas.crop(t, 0));
        int[] offset = new int[905];
        System.arraycopy(t, 0, offset, 5, 900);
        offset[5] = 2;
        assertEquals(ArcGrid.of(2, 3, 0, 1, 2, 4, 5, 6), ArcCanvas.crop(offset, 5));
    }
}
