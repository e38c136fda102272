package hrm.model;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;

/**
 * The sizes one batch runs at, the RoPE tables (null with learned positions) and the type of the
 * activations (forward_dtype).
 */
record Shapes(int batch, int tokens, int dim, int heads, int headDim, int inner, float eps, Tensor cos, Tensor sin, DataType act) {
    int rows() {
        return batch * tokens;
    }
}
