package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.DataType;
import hrm.tensor.Tensor;

/**
 * One supervision segment of HRM (spec sections 4-5): the input embedding, the no-gradient
 * H/L iterations, the one-step-gradient last L and H updates, and the two heads; plus the backward
 * of that last step. Every buffer is allocated once, for the configured batch size.
 */
public final class InnerModel {
    private static final float POS_SCALE = 0.707106781f;

    private final HrmConfig cfg;
    private final Backend be;
    private final Parameters p;
    private final Shapes shapes;
    private final ReasoningModule hLevel, lLevel;
    private final int batch, seqLen, tokens, dim, vocab, puzzleTokens, puzzleDim;
    private final float embedScale;

    private final Tensor embedded, injection, tmp;
    private final BlockActivations scratch;
    private final ReasoningModule.Saved savedL, savedH;
    private final BlockGradScratch gradScratch;
    private final Tensor dz, logits, dLogits, firstTokens, qSum, q, dq, dFirstTokens;
    private final Tensor puzzleRows, puzzleRowsGrad;

    private final Tensor tokenTable, positions, lmHead, qWeight, qBias;
    private final Tensor gTokenTable, gPositions, gLmHead, gQWeight, gQBias;
    private final float[] logitsHost, qHost;
    private final SequenceLogits sequenceLogits;
    private int[] lastInputs;
    private boolean saved;
    private Trace trace;

    /** Observes every z update of {@link #segment}, in order (for debugging and the parity trace). */
    public interface Trace {
        void update(boolean high, Tensor z);
    }

    public void setTrace(Trace t) {
        trace = t;
    }

    public InnerModel(Parameters params, Backend backend, boolean withGradients) {
        this.cfg = params.config();
        this.be = backend;
        this.p = params;
        batch = cfg.batchSize();
        seqLen = cfg.seqLen();
        tokens = cfg.tokens();
        dim = cfg.hiddenSize();
        vocab = cfg.vocabSize();
        puzzleTokens = cfg.puzzleEmbLen();
        puzzleDim = cfg.puzzleEmbNdim();
        embedScale = (float) Math.sqrt(dim);
        Tensor cos = null, sin = null;
        if (!cfg.learnedPositions()) {
            float[][] t = ropeTables(cfg);
            cos = be.allocate(t[0].length);
            sin = be.allocate(t[1].length);
            be.upload(t[0], 0, cos);
            be.upload(t[1], 0, sin);
        }
        DataType act = cfg.activationType();
        shapes = new Shapes(batch, tokens, dim, cfg.numHeads(), cfg.headDim(), cfg.intermediateSize(),
                (float) cfg.rmsNormEps(), cos, sin, act);
        Weights w = p.weights();
        tokenTable = w.embedTokens().value();
        positions = w.embedPositions() != null ? w.embedPositions().value() : null;
        lmHead = w.lmHead().value();
        qWeight = w.qHead().value();
        qBias = w.qBias().value();
        gTokenTable = w.embedTokens().grad();
        gPositions = w.embedPositions() != null ? w.embedPositions().grad() : null;
        gLmHead = w.lmHead().grad();
        gQWeight = w.qHead().grad();
        gQBias = w.qBias().grad();
        hLevel = new ReasoningModule(w.hLayers());
        lLevel = new ReasoningModule(w.lLayers());

        int n = batch * tokens;
        embedded = be.allocate(n * dim, act);
        injection = be.allocate(n * dim, act);
        tmp = be.allocate(n * dim, act);
        BlockActivations.MlpScratch mlp = new BlockActivations.MlpScratch(be, shapes);
        scratch = new BlockActivations(be, shapes, mlp);
        logits = be.allocate(n * vocab, act);
        firstTokens = be.allocate(batch * dim, act);
        qSum = be.allocate(batch * 2); // x W^T + b in float32, rounded once into q as the reference's bfloat16 addmm does
        q = be.allocate(batch * 2, act);
        puzzleRows = puzzleDim > 0 ? be.allocate(batch * puzzleDim, act) : null;
        logitsHost = new float[n * vocab];
        sequenceLogits = new SequenceLogits(logitsHost, cfg);
        qHost = new float[batch * 2];
        if (withGradients) {
            savedL = new ReasoningModule.Saved(be, shapes, cfg.lLayers(), mlp);
            savedH = new ReasoningModule.Saved(be, shapes, cfg.hLayers(), mlp);
            gradScratch = new BlockGradScratch(be, shapes);
            dz = be.allocate(n * dim, act);
            dLogits = be.allocate(n * vocab, act); // the loss's gradient, rounded as the reference's cast back to the logits' type
            dq = be.allocate(batch * 2, act);
            dFirstTokens = be.allocate(batch * dim, act);
            puzzleRowsGrad = puzzleDim > 0 ? be.allocate(batch * puzzleDim) : null; // float32, as the puzzle rows' gradient
        } else {
            savedL = savedH = null;
            gradScratch = null;
            dz = dLogits = dq = dFirstTokens = puzzleRowsGrad = null;
        }
    }

    /** cos/sin tables (tokens x headDim) computed in float32 as the reference does. */
    static float[][] ropeTables(HrmConfig cfg) {
        int hd = cfg.headDim(), half = hd / 2, t = cfg.tokens();
        float[] invFreq = new float[half];
        for (int j = 0; j < half; j++)
            invFreq[j] = 1f / (float) Math.pow(cfg.ropeTheta(), (float) (2 * j) / hd);
        float[] cos = new float[t * hd], sin = new float[t * hd];
        for (int pos = 0; pos < t; pos++)
            for (int j = 0; j < half; j++) {
                float angle = (float) pos * invFreq[j];
                float c = (float) Math.cos(angle), s = (float) Math.sin(angle);
                cos[pos * hd + j] = cos[pos * hd + j + half] = c;
                sin[pos * hd + j] = sin[pos * hd + j + half] = s;
            }
        return new float[][]{cos, sin};
    }

    public HrmConfig config() {
        return cfg;
    }

    /** e = the scaled input embedding of this batch (kept for every segment that uses the same data). */
    public void embed(int[] inputs, int[] puzzleIds) {
        if (puzzleDim > 0) {
            for (int id : puzzleIds)
                if (id < 0 || id >= cfg.numPuzzleIdentifiers())
                    throw new IllegalArgumentException("puzzle identifier " + id + " is outside the table (num_puzzle_identifiers = " + cfg.numPuzzleIdentifiers() + ")");
            be.gatherTableRows(p.puzzleTable(), puzzleIds, puzzleRows, puzzleDim);
        }
        for (int tok : inputs)
            if (tok < 0 || tok >= vocab)
                throw new IllegalArgumentException("input token " + tok + " is outside the vocabulary (vocab_size = " + vocab + ")");
        be.embedInputs(inputs, tokenTable, puzzleRows, puzzleDim, positions, embedded,
                batch, seqLen, puzzleTokens, dim, POS_SCALE, embedScale);
        lastInputs = inputs;
    }

    /**
     * One segment from carry (zH, zL), updated in place, on the last {@link #embed}ded batch.
     * With {@code withGrad} the last L and H updates keep their activations for {@link #backward}.
     * Afterwards {@link #logits()} and {@link #qHost()} hold the outputs.
     */
    public void segment(Tensor zH, Tensor zL, boolean withGrad) {
        if (withGrad && savedL == null) throw new IllegalStateException("model was built without gradient buffers");
        iterate(zH, zL, withGrad, trace);
        saved = withGrad;
        be.linear(zH, lmHead, logits, batch * tokens, dim, vocab);
        be.download(logits, logitsHost, 0);
        qHead(zH, qHost);
    }

    /**
     * A whole segment without gradient whose only output is q (into qOut): the Q-learning target
     * pass. It leaves the saved activations and the last logits alone.
     */
    public void segmentQOnly(Tensor zH, Tensor zL, float[] qOut) {
        iterate(zH, zL, false, null);
        qHead(zH, qOut);
    }

    /**
     * The H/L cycles of one segment (spec section 5), the one loop both entry points run: every
     * update but the last L and H ones without gradient; those two keep their activations when
     * {@code withGrad}. {@code observer} (may be null) sees each z update in order.
     */
    private void iterate(Tensor zH, Tensor zL, boolean withGrad, Trace observer) {
        int hc = cfg.hCycles(), lc = cfg.lCycles();
        for (int h = 0; h < hc; h++) {
            for (int l = 0; l < lc; l++) {
                if (h == hc - 1 && l == lc - 1) continue;
                be.add(zH, embedded, injection);
                lLevel.forwardInference(be, shapes, zL, injection, scratch, tmp);
                if (observer != null) observer.update(false, zL);
            }
            if (h != hc - 1) {
                hLevel.forwardInference(be, shapes, zH, zL, scratch, tmp);
                if (observer != null) observer.update(true, zH);
            }
        }
        be.add(zH, embedded, injection);
        if (withGrad) {
            lLevel.forwardSaving(be, shapes, zL, injection, savedL, tmp);
            be.copy(savedL.output(), zL);
        } else {
            lLevel.forwardInference(be, shapes, zL, injection, scratch, tmp);
        }
        if (observer != null) observer.update(false, zL);
        if (withGrad) {
            hLevel.forwardSaving(be, shapes, zH, zL, savedH, tmp);
            be.copy(savedH.output(), zH);
        } else {
            hLevel.forwardInference(be, shapes, zH, zL, scratch, tmp);
        }
        if (observer != null) observer.update(true, zH);
    }

    private void qHead(Tensor zH, float[] out) {
        be.gatherRows(zH, 0, tokens, firstTokens, batch, dim);
        be.linear(firstTokens, qWeight, qSum, batch, dim, 2);
        be.addBias(qSum, qBias, batch, 2);
        be.copy(qSum, q);
        be.download(q, out, 0);
    }

    /** The last segment's logits, read per cell through the layout that owns the puzzle rows. */
    public SequenceLogits logits() {
        return sequenceLogits;
    }

    /** Per sample: q_halt at [2b], q_continue at [2b + 1]. */
    public float[] qHost() {
        return qHost;
    }

    /**
     * Back-propagates the gradients of the loss at the logits (host, same layout as
     * {@link #logits()}'s rows, zero on puzzle tokens) and at q, through the last H and L updates to
     * every parameter and to the batch's puzzle-embedding rows. Weight gradients are overwritten.
     */
    public void backward(float[] dLogitsHost, float[] dqHost) {
        if (!saved) throw new IllegalStateException("backward needs a segment run with gradients");
        int n = batch * tokens;
        Tensor zH = savedH.output();
        be.upload(dLogitsHost, 0, dLogits);
        be.upload(dqHost, 0, dq);
        be.linearBackwardWeight(dLogits, zH, gLmHead, n, dim, vocab, false);
        be.linearBackwardInput(dLogits, lmHead, dz, n, dim, vocab, false);
        be.gatherRows(zH, 0, tokens, firstTokens, batch, dim);
        be.linearBackwardWeight(dq, firstTokens, gQWeight, batch, dim, 2, false);
        be.biasBackward(dq, gQBias, batch, 2, false);
        be.linearBackwardInput(dq, qWeight, dFirstTokens, batch, dim, 2, false);
        be.scatterAddRows(dFirstTokens, dz, 0, tokens, batch, dim);

        hLevel.backward(be, shapes, dz, savedH, gradScratch); // dz: gradient at z_H + z_L, i.e. at the new z_L
        lLevel.backward(be, shapes, dz, savedL, gradScratch); // dz: gradient at z_L + z_H + e, i.e. at e

        be.fill(gTokenTable, 0f);
        if (gPositions != null) be.fill(gPositions, 0f);
        be.embedInputsBackward(dz, lastInputs, gTokenTable, puzzleRowsGrad, puzzleDim, gPositions,
                batch, seqLen, puzzleTokens, dim, POS_SCALE, embedScale);
    }

    /** Gradient of the batch's puzzle-embedding rows (batch x puzzle_emb_ndim), or null without puzzle embedding. */
    public Tensor puzzleRowsGrad() {
        return puzzleRowsGrad;
    }
}
