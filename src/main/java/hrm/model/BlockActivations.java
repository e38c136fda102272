package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * What one block's forward keeps for its backward (or scratch reused by every layer at inference).
 * The MLP's gate/up output and silu(g) * u are the largest (3I per row, against 7D for the rest) and
 * are not kept: every block writes them into one pair of buffers the whole model shares, and the
 * backward recomputes them from h (one more gate_up product per block, for about a third less
 * training memory).
 */
final class BlockActivations {
    final Tensor qkv;   // rows x 3D, after RoPE
    final Tensor att;   // rows x D, heads concatenated, before o_proj
    final Tensor lse;   // batch x heads x tokens, float32
    final Tensor h;     // rows x D, rmsnorm(x + attention)
    final Tensor rstd1; // rows, float32
    final Tensor gu;    // rows x 2I, shared by every block: valid only right after this block wrote it
    final Tensor s;     // rows x I, silu(g) * u, shared likewise
    final Tensor rstd2; // rows, float32

    /** The shared MLP buffers: one pair per model. */
    record MlpScratch(Tensor gu, Tensor s) {
        MlpScratch(Backend be, Shapes sh) {
            this(be.allocate(sh.rows() * 2 * sh.inner(), sh.act()), be.allocate(sh.rows() * sh.inner(), sh.act()));
        }
    }

    BlockActivations(Backend be, Shapes s, MlpScratch mlp) {
        int n = s.rows(), d = s.dim();
        qkv = be.allocate(n * 3 * d, s.act());
        att = be.allocate(n * d, s.act());
        lse = be.allocate(s.batch() * s.heads() * s.tokens()); // the softmax statistics stay float32
        h = be.allocate(n * d, s.act());
        rstd1 = be.allocate(n);
        gu = mlp.gu();
        this.s = mlp.s();
        rstd2 = be.allocate(n);
    }
}
