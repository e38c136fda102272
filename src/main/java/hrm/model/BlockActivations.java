package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/** What one block's forward keeps for its backward (or scratch reused by every layer at inference). */
final class BlockActivations {
    final Tensor qkv;   // rows x 3D, after RoPE
    final Tensor att;   // rows x D, heads concatenated, before o_proj
    final Tensor lse;   // batch x heads x tokens, float32
    final Tensor h;     // rows x D, rmsnorm(x + attention)
    final Tensor rstd1; // rows, float32
    final Tensor gu;    // rows x 2I
    final Tensor s;     // rows x I, silu(g) * u
    final Tensor rstd2; // rows, float32

    BlockActivations(Backend be, Shapes s) {
        int n = s.rows(), d = s.dim();
        qkv = be.allocate(n * 3 * d, s.act());
        att = be.allocate(n * d, s.act());
        lse = be.allocate(s.batch() * s.heads() * s.tokens()); // the softmax statistics stay float32
        h = be.allocate(n * d, s.act());
        rstd1 = be.allocate(n);
        gu = be.allocate(n * 2 * s.inner(), s.act());
        this.s = be.allocate(n * s.inner(), s.act());
        rstd2 = be.allocate(n);
    }
}
