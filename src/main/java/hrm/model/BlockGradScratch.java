package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * Gradient buffers one block's backward needs, shared by every layer (of the activations' type, as the
 * reference's autograd keeps them); the MLP's interior compact as its activations are (BlockActivations.MlpScratch).
 */
final class BlockGradScratch {
    final Tensor dr;    // rows x D: gradient at a norm's input
    final Tensor dh;    // rows x D
    final Tensor ds;    // rows x I
    final Tensor dgu;   // rows x 2I
    final Tensor datt;  // rows x D (with mlp_t: the gradient at uT)
    final Tensor dqkv;  // rows x 3D (null with mlp_t)
    final Tensor dsT;   // B*D x It (mlp_t only)
    final Tensor dguT;  // B*D x 2It (mlp_t only)

    BlockGradScratch(Backend be, Shapes s) {
        int n = s.rows(), d = s.dim();
        boolean t = s.mlpT();
        dr = be.allocate(n * d, s.act());
        dh = be.allocate(n * d, s.act());
        ds = be.allocateCompact(n * s.inner(), s.act());
        dgu = be.allocateCompact(n * 2 * s.inner(), s.act());
        datt = be.allocate(n * d, s.act());
        dqkv = t ? null : be.allocate(n * 3 * d, s.act());
        dsT = t ? be.allocateCompact(s.channelRows() * s.tokenInner(), s.act()) : null;
        dguT = t ? be.allocateCompact(s.channelRows() * 2 * s.tokenInner(), s.act()) : null;
    }
}
