package hrm.model;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;

/**
 * The sizes one batch runs at, the RoPE tables (null without RoPE), the type of the activations
 * (forward_dtype) and, for TRM's mlp_t, the token MLP's inner width (0 with attention).
 */
record Shapes(int batch, int tokens, int dim, int heads, int headDim, int inner, float eps, Tensor cos, Tensor sin, DataType act,
              int tokenInner) {
    /** The sizes of a model of {@code cfg}, with its RoPE tables (null without RoPE, or where only the sizes matter). */
    static Shapes of(ModelConfig cfg, Tensor cos, Tensor sin) {
        return new Shapes(cfg.batchSize(), cfg.tokens(), cfg.hiddenSize(), cfg.numHeads(), cfg.headDim(), cfg.intermediateSize(),
                (float) cfg.rmsNormEps(), cos, sin, cfg.activationType(), cfg.tokenInnerSize());
    }

    int rows() {
        return batch * tokens;
    }

    /** Rows of the transposed layout mlp_t works in: one per (sample, channel), each a vector over the tokens. */
    int channelRows() {
        return batch * dim;
    }

    boolean mlpT() {
        return tokenInner > 0;
    }
}
