package hrm.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The output slice: puzzle rows are skipped in every sample, not only the first. */
class SequenceLogitsTest {
    /** batch 3, seq_len 4, vocab 5, puzzle_emb_ndim 12 over hidden_size 8: two puzzle rows (the second zero-padded). */
    static ModelConfig twoPuzzleTokens() {
        return new ModelConfig(new ModelConfig.DataShape(3, 4, 5, 2), new ModelConfig.Architecture(new HrmFamily(1, 1, 1, 1),
                new ModelConfig.Network(8, 2, 2.0, 12, PosEncoding.ROPE, 10000, 1e-5), new ModelConfig.Halting(4, 0.1),
                hrm.tensor.DataType.FLOAT32, ModelConfig.LossType.SOFTMAX));
    }

    @Test
    void cellsAreReadPastEachSamplesPuzzleRows() {
        ModelConfig c = twoPuzzleTokens();
        assertEquals(2, c.puzzleEmbLen());
        int rowsPerSample = 2 + 4, v = 5;
        float[] rows = new float[3 * rowsPerSample * v];
        // puzzle rows vote for token 4 everywhere; cell s of sample b votes for (b + s) % 4
        for (int b = 0; b < 3; b++) {
            for (int r = 0; r < 2; r++) rows[(b * rowsPerSample + r) * v + 4] = 9;
            for (int s = 0; s < 4; s++) rows[(b * rowsPerSample + 2 + s) * v + (b + s) % 4] = 1;
        }
        SequenceLogits l = new SequenceLogits(rows, c);
        int[] pred = new int[12];
        l.argmax(pred);
        assertArrayEquals(new int[] {0, 1, 2, 3, 1, 2, 3, 0, 2, 3, 0, 1}, pred);
        assertEquals((2 * rowsPerSample + 2 + 3) * v, l.offset(2, 3));
        float[] seq = l.sequenceOnly();
        assertEquals(3 * 4 * v, seq.length);
        for (int b = 0; b < 3; b++)
            for (int s = 0; s < 4; s++) assertEquals(1f, seq[(b * 4 + s) * v + (b + s) % 4], "sample " + b + " cell " + s);
    }

    @Test
    void tiesGoToTheFirstTokenAsTorchArgmax() {
        ModelConfig c = twoPuzzleTokens();
        SequenceLogits l = new SequenceLogits(new float[3 * 6 * 5], c);
        assertEquals(0, l.argmax(1, 2));
        l.rows()[l.offset(1, 2) + 3] = 2;
        l.rows()[l.offset(1, 2) + 1] = 2;
        assertEquals(1, l.argmax(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new SequenceLogits(new float[10], c));
    }
}
