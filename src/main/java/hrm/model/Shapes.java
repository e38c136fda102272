package hrm.model;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;

/**
 * The sizes one batch runs at, the RoPE tables (null without RoPE), the type of the activations
 * (forward_dtype) and, for TRM's mlp_t, the token MLP's inner width (0 with attention).
 */
record Shapes(int batch, int tokens, int dim, int heads, int headDim, int inner, float eps, Tensor cos, Tensor sin, DataType act,
              int tokenInner) {
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
