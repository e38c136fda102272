package hrm.tensor;

/**
 * The operations HRM needs, on arrays that live wherever the backend keeps them.
 *
 * <p>All matrices are row-major. "rows" counts tokens (batch x tokens). Index arrays (token ids,
 * puzzle ids, row masks) come from the host as {@code int[]}/{@code boolean[]}; they are small.
 * Nothing here knows about HRM's control flow: the model composes these calls, so a GPU backend
 * implements this interface and the model does not change.
 *
 * <p>Types: every operation computes in float32 and rounds its result to the type of the tensor it
 * writes (a bfloat16 output is rounded to nearest-even, float32 is kept). Matrix products whose
 * activation operand is bfloat16 multiply bfloat16 values (the weight's bfloat16 copy, made again
 * when the weight's {@link Version} has moved) and accumulate in float32, as the reference's bfloat16
 * products do. Float32 master weights, gradients, optimiser state and the saved softmax/norm
 * statistics stay float32.
 */
public interface Backend extends AutoCloseable {

    /** A new zero-filled float32 tensor. */
    default Tensor allocate(int size) {
        return allocate(size, DataType.FLOAT32);
    }

    /** A new zero-filled tensor of the given type. */
    default Tensor allocate(int size, DataType dtype) {
        return allocate(size, dtype, null);
    }

    /**
     * A new zero-filled tensor whose writes {@code version} counts (a model's parameters, null for
     * none): what the backend derives from it (bfloat16 copies) is made again when the version moves,
     * never because a kernel wrote it.
     */
    Tensor allocate(int size, DataType dtype, Version version);

    /**
     * A new zero-filled tensor that may be kept at its type's own width (the CPU backend stores a
     * bfloat16 one in 2 bytes a value, half of what its other tensors take), with the same values and
     * results as {@link #allocate(int, DataType)}'s. The operations that take one: upload, download,
     * copy, fill, transpose; the linear products (any operand but the weight); addRmsNorm and
     * rmsNormBackward (x, r, y; dy, y, dx); rope; attention (qkv, out) and attentionBackward (qkv, out);
     * swiglu and swigluBackward. Others may refuse it. The blocks' activations are made of these
     * (BlockActivations): they are most of a training step's memory.
     */
    default Tensor allocateCompact(int size, DataType dtype) {
        return allocate(size, dtype);
    }

    int threads();

    // ---- what a run says about how it computes ----------------------------------------------------

    /**
     * What a run's header says about how this backend computes activations of type {@code act}, on
     * one line, for a person: the type and, where the backend has a choice (where a bfloat16
     * product runs), what it chose and how fast that ran (the CPU backend: {@code float32}, or
     * {@code bfloat16 (products on ...)}). Asked after the products are planned, it reports them.
     */
    String describe(DataType act);

    /**
     * What a run's numbers depend on beyond its configuration, on one line: the type, and every
     * choice of this backend that changes the bits it computes (which library and which
     * instruction set ran which products, the order of summation of its own kernels). Recorded in
     * checkpoints and compared on resume: two runs whose backends answer the same string compute
     * the same bits, so a backend whose results differ (another device, another library) must
     * answer differently.
     */
    String computePath(DataType act);

    /**
     * A short label of where the matrix products of {@code act} activations run, as
     * {@code hrm bench} reports it in its {@code matmul} field: one word where every product
     * runs the same way (the CPU backend: {@code java-f32}, {@code java-bf16}, {@code onednn-bf16}),
     * else how many run on each path.
     */
    String productsLabel(DataType act);

    // ---- transfers and element-wise -------------------------------------------------------------

    void upload(float[] src, int srcOffset, Tensor dst);

    void download(Tensor src, float[] dst, int dstOffset);

    void copy(Tensor src, Tensor dst);

    void fill(Tensor t, float value);

    /** out = a + b (sizes equal; out may alias a or b). */
    void add(Tensor a, Tensor b, Tensor out);

    /**
     * Rows of {@code z} (rows of {@code dim}, grouped {@code rowsPerSample} per sample) are set to
     * {@code vector} (length dim) for every sample whose {@code mask} entry is true.
     */
    void setSampleRows(Tensor z, boolean[] mask, int rowsPerSample, int dim, Tensor vector);

    /** dst[i] = src[(start + i * stride) row], rows of dim, for i < n. */
    void gatherRows(Tensor src, int start, int stride, Tensor dst, int n, int dim);

    /** dst row (start + i * stride) += src row i, for i < n. */
    void scatterAddRows(Tensor src, Tensor dst, int start, int stride, int n, int dim);

    // ---- linear layers: y = x W^T (+ b) ---------------------------------------------------------

    /** y[rows x out] = x[rows x in] W[out x in]^T. */
    void linear(Tensor x, Tensor w, Tensor y, int rows, int in, int out);

    /** dx (+)= dy W; skipped when dx is null. */
    void linearBackwardInput(Tensor dy, Tensor w, Tensor dx, int rows, int in, int out, boolean accumulate);

    /** dW (+)= dy^T x. */
    void linearBackwardWeight(Tensor dy, Tensor x, Tensor dw, int rows, int in, int out, boolean accumulate);

    /**
     * The matrix products the caller is about to run, so that a backend that chooses how to compute
     * each (by measuring: {@link hrm.tensor.cpu.CpuBackend}) does it now rather than during the first
     * step. Nothing else changes; a product not announced is still computed.
     */
    default void planProducts(java.util.List<Product> products) {}

    /** y[r] += b for every row. */
    void addBias(Tensor y, Tensor b, int rows, int n);

    /** db (+)= sum over rows of dy. */
    void biasBackward(Tensor dy, Tensor db, int rows, int n, boolean accumulate);

    // ---- the block's fused kernels --------------------------------------------------------------

    /** y = rmsnorm(x + r) per row; rstd[row] = 1/sqrt(mean((x+r)^2) + eps) is saved for the backward. */
    void addRmsNorm(Tensor x, Tensor r, Tensor y, Tensor rstd, int rows, int dim, float eps);

    /** dx = rstd * (dy - y * mean(dy * y)), the gradient with respect to x + r. */
    void rmsNormBackward(Tensor dy, Tensor y, Tensor rstd, Tensor dx, int rows, int dim);

    /**
     * Rotates q and k inside qkv rows ([q | k | v], heads of headDim) in place; cos/sin are
     * tokens x headDim tables. {@code inverse} rotates back, which is the backward of the rotation.
     */
    void rope(Tensor qkv, Tensor cos, Tensor sin, int batch, int tokens, int heads, int headDim, boolean inverse);

    /** Bidirectional softmax attention over qkv rows; out rows of heads*headDim; lse saved per query. */
    void attention(Tensor qkv, Tensor out, Tensor lse, int batch, int tokens, int heads, int headDim);

    /** Writes dqkv from dout, recomputing the scores. */
    void attentionBackward(Tensor qkv, Tensor out, Tensor lse, Tensor dout, Tensor dqkv,
                           int batch, int tokens, int heads, int headDim);

    /** s = silu(g) * u with [g | u] the two halves of each gu row (width 2*inner). */
    void swiglu(Tensor gu, Tensor s, int rows, int inner);

    void swigluBackward(Tensor gu, Tensor ds, Tensor dgu, int rows, int inner);

    /**
     * Per sample, dst (cols x rows) = src (rows x cols) transposed: {@code batch} matrices after one
     * another. TRM's mlp_t mixes along the token axis by transposing B x T x D to B x D x T; the
     * backward is the same transpose the other way.
     */
    void transpose(Tensor src, Tensor dst, int batch, int rows, int cols);

    // ---- embeddings -----------------------------------------------------------------------------

    /** dst row i = table row ids[i] (width dim). */
    void gatherTableRows(Tensor table, int[] ids, Tensor dst, int dim);

    /**
     * HRM's input embedding (docs/model.md §4): out[b] = scale * ([puzzle rows of b, zero-padded to
     * puzzleTokens x dim] ++ tokenTable[tokens[b]]) (+ positions, times posScale, when pos is not null).
     * puzzle is batch x puzzleDim (may be null when puzzleTokens is 0).
     */
    void embedInputs(int[] tokens, Tensor tokenTable, Tensor puzzle, int puzzleDim, Tensor pos, Tensor out,
                     int batch, int seqLen, int puzzleTokens, int dim, float posScale, float scale);

    /** The backward of {@link #embedInputs}: accumulates into dTokenTable and dPos, overwrites dPuzzle. */
    void embedInputsBackward(Tensor dOut, int[] tokens, Tensor dTokenTable, Tensor dPuzzle, int puzzleDim, Tensor dPos,
                             int batch, int seqLen, int puzzleTokens, int dim, float posScale, float scale);

    // ---- optimisers -----------------------------------------------------------------------------

    /**
     * AdamATan2 over whole buffers (docs/model.md §8): p *= 1 - lr*wd; m += (1-b1)(g-m);
     * v += (1-b2)(g^2-v); p -= stepSize * atan2(m, sqrt(v) / bc2Sqrt).
     */
    void adamATan2(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float weightDecay, float beta1, float beta2,
                   float stepSize, float bc2Sqrt);

    /**
     * Sign-SGD on table rows: gradients of rows sharing an id are summed, then
     * row = row * (1 - lr*wd) - lr * sign(sum).
     */
    void signSgdRows(Tensor table, int[] ids, Tensor rowGrads, int dim, float lr, float weightDecay);

    /**
     * The exponential moving average of TRM's trainer (docs/model.md §8), float32:
     * shadow = oneMinusMu * param + mu * shadow, two products and a sum (no fused multiply-add).
     */
    void emaUpdate(Tensor shadow, Tensor param, float oneMinusMu, float mu);

    @Override
    void close();
}
