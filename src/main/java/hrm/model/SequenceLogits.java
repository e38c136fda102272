package hrm.model;

/**
 * The lm_head output of one segment and the one place that knows its layout: per sample, the
 * puzzle-embedding rows first (puzzle_emb_len of them), then one row per sequence cell, each row
 * vocab_size wide. Everything that reads a cell's logits (the loss head, evaluation, solve, the
 * scorers and the tests) goes through here, so nothing else computes row offsets; the reference's
 * counterpart is {@code lm_head(z_H)[:, puzzle_emb_len:]}.
 */
public final class SequenceLogits {
    private final float[] rows;
    private final int batch, seqLen, puzzleTokens, vocab;

    SequenceLogits(float[] rows, ModelConfig cfg) {
        this.batch = cfg.batchSize();
        this.seqLen = cfg.seqLen();
        this.puzzleTokens = cfg.puzzleEmbLen();
        this.vocab = cfg.vocabSize();
        if (rows.length != batch * (puzzleTokens + seqLen) * vocab)
            throw new IllegalArgumentException("logit buffer of " + rows.length + " values for " + batch + " x " + (puzzleTokens + seqLen) + " x " + vocab);
        this.rows = rows;
    }

    /**
     * Every row, puzzle rows included, in the layout {@link #offset} describes; the loss head reads
     * it and writes its gradient into an array of the same layout.
     */
    public float[] rows() {
        return rows;
    }

    /** Index in {@link #rows()} of the first logit of cell {@code cell} of sample {@code sample}. */
    public int offset(int sample, int cell) {
        return (sample * (puzzleTokens + seqLen) + puzzleTokens + cell) * vocab;
    }

    /** Length of an array with this layout (the gradient buffer). */
    public int length() {
        return rows.length;
    }

    public int batch() {
        return batch;
    }

    public int seqLen() {
        return seqLen;
    }

    public int vocab() {
        return vocab;
    }

    /** The highest-scoring token of one cell (the first on a tie, as torch.argmax). */
    public int argmax(int sample, int cell) {
        int row = offset(sample, cell), best = 0;
        float bv = rows[row];
        for (int v = 1; v < vocab; v++) if (rows[row + v] > bv) { bv = rows[row + v]; best = v; }
        return best;
    }

    /** The predicted token of every cell into out (batch x seqLen). */
    public void argmax(int[] out) {
        if (out.length != batch * seqLen) throw new IllegalArgumentException("prediction buffer of " + out.length + " for " + batch + " x " + seqLen);
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < seqLen; s++) out[b * seqLen + s] = argmax(b, s);
    }

    /** The sequence logits without the puzzle rows, batch x seqLen x vocab (a new array). */
    public float[] sequenceOnly() {
        float[] out = new float[batch * seqLen * vocab];
        for (int b = 0; b < batch; b++) System.arraycopy(rows, offset(b, 0), out, b * seqLen * vocab, seqLen * vocab);
        return out;
    }
}
