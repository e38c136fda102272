package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.DataType;
import hrm.tensor.Tensor;

/**
 * One supervision segment of a recurrent reasoning model: the input embedding (docs/model.md §4),
 * the family's recursion over (z_H, z_L) ({@link #iterate}: HRM's H/L cycles with the one-step
 * gradient, or TRM's cycles of one network with the last one back-propagated in full), and the two
 * heads; plus the backward. This class owns the embedding, the heads and their backward; a family
 * supplies the recursion and its backward. Every buffer is allocated once, for the configured
 * batch size.
 */
public abstract sealed class InnerModel permits HrmInner, TrmInner, TransformerInner {
    private static final float POS_SCALE = 0.707106781f;

    protected final ModelConfig cfg;
    protected final Backend be;
    private final Parameters p;
    protected final Shapes shapes;
    private final int batch, seqLen, tokens, dim, vocab, puzzleTokens, puzzleDim;
    private final float embedScale;

    /** e, the scaled input embedding; the injection buffer and a rows x D scratch. */
    protected final Tensor embedded, injection, tmp;
    /** Every block's activations when nothing is saved; the shared MLP buffers. */
    protected final BlockActivations scratch;
    protected final BlockActivations.MlpScratch mlp;
    protected final BlockGradScratch gradScratch;
    private final Tensor dz, logits, dLogits, firstTokens, qSum, q, dq, dFirstTokens;
    private final Tensor puzzleRows, puzzleRowsGrad;

    private final Tensor tokenTable, positions, lmHead, qWeight, qBias;
    private final Tensor gTokenTable, gPositions, gLmHead, gQWeight, gQBias;
    private final float[] logitsHost, qHost;
    private final SequenceLogits sequenceLogits;
    private int[] lastInputs;
    private boolean saved;
    private Trace trace;

    /**
     * Observes every z update of {@link #segment}, in order (for debugging, the parity trace and the
     * analyses). A family without a recurrent state (the transformer) reports each layer's output as
     * an H update, after {@link #input} with what its first layer reads.
     */
    public interface Trace {
        void update(boolean high, Tensor z);

        /** What a segment of a family without a recurrent state starts from (its input embedding), before its layers' updates. */
        default void input(Tensor e) {
        }
    }

    public void setTrace(Trace t) {
        trace = t;
    }

    /** The model of the configuration's family. */
    public static InnerModel create(Parameters params, Backend backend, boolean withGradients) {
        return params.config().family().inner(params, backend, withGradients);
    }

    protected InnerModel(Parameters params, Backend backend, boolean withGradients) {
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
        if (cfg.ropePositions()) {
            float[][] t = ropeTables(cfg);
            cos = be.allocate(t[0].length);
            sin = be.allocate(t[1].length);
            be.upload(t[0], 0, cos);
            be.upload(t[1], 0, sin);
        }
        DataType act = cfg.activationType();
        shapes = Shapes.of(cfg, cos, sin);
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

        int n = batch * tokens;
        embedded = be.allocate(n * dim, act);
        injection = be.allocate(n * dim, act);
        tmp = be.allocate(n * dim, act);
        mlp = new BlockActivations.MlpScratch(be, shapes);
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
            gradScratch = new BlockGradScratch(be, shapes);
            dz = be.allocate(n * dim, act);
            dLogits = be.allocate(n * vocab, act); // the loss's gradient, rounded as the reference's cast back to the logits' type
            dq = be.allocate(batch * 2, act);
            dFirstTokens = be.allocate(batch * dim, act);
            puzzleRowsGrad = puzzleDim > 0 ? be.allocate(batch * puzzleDim) : null; // float32, as the puzzle rows' gradient
        } else {
            gradScratch = null;
            dz = dLogits = dq = dFirstTokens = puzzleRowsGrad = null;
        }
        if (act == DataType.BFLOAT16) be.planProducts(products(shapes, vocab, withGradients));
    }

    /** The matrix products a segment of a model of {@code cfg} runs without gradients: every block's, the output head's, the Q head's and attention's. */
    public static java.util.List<hrm.tensor.Product> forwardProducts(ModelConfig cfg) {
        java.util.List<hrm.tensor.Product> all = products(Shapes.of(cfg, null, null), cfg.vocabSize(), true);
        all.removeIf(p -> p.kind() == hrm.tensor.Product.Kind.INPUT_GRADIENT || p.kind() == hrm.tensor.Product.Kind.WEIGHT_GRADIENT);
        return all;
    }

    /** The matrix products a segment runs: every block's, the output head's and the Q head's (with their gradients when training). */
    private static java.util.List<hrm.tensor.Product> products(Shapes shapes, int vocab, boolean withGradients) {
        int batch = shapes.batch(), tokens = shapes.tokens(), dim = shapes.dim();
        java.util.List<hrm.tensor.Product> all = new java.util.ArrayList<>(Block.products(shapes));
        all.addAll(java.util.List.of(hrm.tensor.Product.ofLayer(batch * tokens, dim, vocab)));
        all.addAll(java.util.List.of(hrm.tensor.Product.ofLayer(batch, dim, 2)));
        if (!shapes.mlpT()) all.add(hrm.tensor.Product.attention(batch, tokens, shapes.heads(), shapes.headDim()));
        if (!withGradients) all.removeIf(p -> p.kind() != hrm.tensor.Product.Kind.FORWARD);
        return all;
    }

    /** cos/sin tables (tokens x headDim) computed in float32 as the reference does. */
    static float[][] ropeTables(ModelConfig cfg) {
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

    public ModelConfig config() {
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
        if (withGrad && gradScratch == null) throw new IllegalStateException("model was built without gradient buffers");
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
     * The recursion of one segment, the one loop both entry points run: (zH, zL) updated in place
     * from the last embedded batch; with {@code withGrad} the updates the gradient flows through keep
     * their activations. {@code observer} (may be null) sees each z update in order.
     */
    protected abstract void iterate(Tensor zH, Tensor zL, boolean withGrad, Trace observer);

    /** One more pass of the module that updates z_H, in place: z_H = f_H(z_H, z_L) (HRM's H module, TRM's answer update). */
    protected abstract void highPass(Tensor zH, Tensor zL);

    private Tensor decodeZ, decodeLogits;
    private float[] decodeHost;
    private SequenceLogits decoded;

    /**
     * What the output head reads from the state at an update inside a segment (the paper's section
     * 3.3 and Fig. 7): after an L update one more H pass first, z̄ = f_H(z_H, z_L), then f_O(z̄); after
     * an H update, or with {@code direct}, f_O(z_H). The state is left as it is. Uses the segment's
     * scratch buffers, so it is called from a {@link Trace} (between updates) or between segments;
     * its own buffers are allocated at the first call.
     */
    public SequenceLogits decode(Tensor zH, Tensor zL, boolean afterHighUpdate, boolean direct) {
        if (decoded == null) {
            int n = batch * tokens;
            decodeZ = be.allocate(n * dim, cfg.activationType());
            decodeLogits = be.allocate(n * vocab, cfg.activationType());
            decodeHost = new float[n * vocab];
            decoded = new SequenceLogits(decodeHost, cfg);
        }
        Tensor z = zH;
        if (!afterHighUpdate && !direct) {
            be.copy(zH, decodeZ);
            highPass(decodeZ, zL);
            z = decodeZ;
        }
        be.linear(z, lmHead, decodeLogits, batch * tokens, dim, vocab);
        be.download(decodeLogits, decodeHost, 0);
        return decoded;
    }

    /** The z_H the last gradient-keeping segment produced (the heads' input). */
    protected abstract Tensor savedZH();

    /**
     * From dz, the gradient at the segment's new z_H, through the recursion to the gradient at e
     * (returned; may be dz itself), writing every network weight's gradient.
     */
    protected abstract Tensor backwardRecursion(Tensor dz);

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
        Tensor zH = savedZH();
        be.upload(dLogitsHost, 0, dLogits);
        be.upload(dqHost, 0, dq);
        be.linearBackwardWeight(dLogits, zH, gLmHead, n, dim, vocab, false);
        be.linearBackwardInput(dLogits, lmHead, dz, n, dim, vocab, false);
        be.gatherRows(zH, 0, tokens, firstTokens, batch, dim);
        be.linearBackwardWeight(dq, firstTokens, gQWeight, batch, dim, 2, false);
        be.biasBackward(dq, gQBias, batch, 2, false);
        be.linearBackwardInput(dq, qWeight, dFirstTokens, batch, dim, 2, false);
        be.scatterAddRows(dFirstTokens, dz, 0, tokens, batch, dim);

        Tensor dE = backwardRecursion(dz);

        be.fill(gTokenTable, 0f);
        if (gPositions != null) be.fill(gPositions, 0f);
        be.embedInputsBackward(dE, lastInputs, gTokenTable, puzzleRowsGrad, puzzleDim, gPositions,
                batch, seqLen, puzzleTokens, dim, POS_SCALE, embedScale);
    }

    /** Gradient of the batch's puzzle-embedding rows (batch x puzzle_emb_ndim), or null without puzzle embedding. */
    public Tensor puzzleRowsGrad() {
        return puzzleRowsGrad;
    }
}
