package hrm.data.arc;

import hrm.data.PuzzleSet;

import static org.junit.jupiter.api.Assertions.*;

/** Test helper: reads a placed ARC example back into its grid and placement. */
final class ArcExamples {
    private ArcExamples() {}

    /** A grid and the canvas cell of its top-left corner. */
    record Placed(ArcGrid grid, int top, int left) {}

    /** Finds the grid in 900 tokens, and checks the tokens are exactly its placement with end markers. */
    static Placed decode(int[] tokens) {
        int top = 30, left = 30;
        for (int i = 0; i < 900; i++)
            if (tokens[i] >= ArcCanvas.COLOUR_OFFSET) {
                top = Math.min(top, i / 30);
                left = Math.min(left, i % 30);
            }
        assertTrue(top < 30, "no colour tokens");
        int[] shifted = new int[900];
        for (int r = top; r < 30; r++) System.arraycopy(tokens, r * 30 + left, shifted, (r - top) * 30, 30 - left);
        ArcGrid g = ArcCanvas.crop(shifted, 0);
        int[] expected = new int[900];
        ArcCanvas.place(g, top, left, expected);
        assertArrayEquals(expected, tokens, "tokens are not a placed grid with end markers");
        return new Placed(g, top, left);
    }

    static Placed[] example(PuzzleSet set, int e, int[] in, int[] out) {
        set.input(e, in, 0);
        set.label(e, out, 0);
        return new Placed[]{decode(in), decode(out)};
    }
}
