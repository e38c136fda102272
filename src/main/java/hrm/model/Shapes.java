package hrm.model;

import hrm.tensor.Tensor;

/** The sizes one batch runs at, and the RoPE tables (null with learned positions). */
record Shapes(int batch, int tokens, int dim, int heads, int headDim, int inner, float eps, Tensor cos, Tensor sin) {
    int rows() {
        return batch * tokens;
    }
}
