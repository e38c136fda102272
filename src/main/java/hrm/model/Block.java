package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * One post-norm transformer block (spec section 3), forward and backward side by side:
 * <pre>
 *   h = rmsnorm(x + o_proj(attention(rope(qkv_proj(x)))))
 *   y = rmsnorm(h + down_proj(silu(g) * u)),  [g | u] = gate_up_proj(h)
 * </pre>
 */
final class Block {
    private final Tensor wQkv, wO, wGateUp, wDown;
    private final Tensor gQkv, gO, gGateUp, gDown;

    Block(Weights.BlockWeights w) {
        wQkv = w.qkv().value();
        wO = w.o().value();
        wGateUp = w.gateUp().value();
        wDown = w.down().value();
        gQkv = w.qkv().grad();
        gO = w.o().grad();
        gGateUp = w.gateUp().grad();
        gDown = w.down().grad();
    }

    /** y = block(x). y may be x itself (x is read before y is written). tmp: rows x D scratch. */
    void forward(Backend be, Shapes s, Tensor x, Tensor y, BlockActivations a, Tensor tmp) {
        int n = s.rows(), d = s.dim(), inner = s.inner();
        be.linear(x, wQkv, a.qkv, n, d, 3 * d);
        if (s.cos() != null) be.rope(a.qkv, s.cos(), s.sin(), s.batch(), s.tokens(), s.heads(), s.headDim(), false);
        be.attention(a.qkv, a.att, a.lse, s.batch(), s.tokens(), s.heads(), s.headDim());
        be.linear(a.att, wO, tmp, n, d, d);
        be.addRmsNorm(x, tmp, a.h, a.rstd1, n, d, s.eps());
        be.linear(a.h, wGateUp, a.gu, n, d, 2 * inner);
        be.swiglu(a.gu, a.s, n, inner);
        be.linear(a.s, wDown, tmp, n, inner, d);
        be.addRmsNorm(a.h, tmp, y, a.rstd2, n, d, s.eps());
    }

    /**
     * From dy (gradient at y) to dx (gradient at x), writing this block's weight gradients.
     * dx may be dy itself.
     */
    void backward(Backend be, Shapes s, Tensor dy, Tensor x, Tensor y, BlockActivations a, Tensor dx, BlockGradScratch g) {
        int n = s.rows(), d = s.dim(), inner = s.inner();
        // y = rmsnorm(h + mlp(h)); gate/up and silu(g) * u are recomputed (see BlockActivations)
        be.linear(a.h, wGateUp, a.gu, n, d, 2 * inner);
        be.swiglu(a.gu, a.s, n, inner);
        be.rmsNormBackward(dy, y, a.rstd2, g.dr, n, d);
        be.linearBackwardWeight(g.dr, a.s, gDown, n, inner, d, false);
        be.linearBackwardInput(g.dr, wDown, g.ds, n, inner, d, false);
        be.swigluBackward(a.gu, g.ds, g.dgu, n, inner);
        be.linearBackwardWeight(g.dgu, a.h, gGateUp, n, d, 2 * inner, false);
        be.copy(g.dr, g.dh);
        be.linearBackwardInput(g.dgu, wGateUp, g.dh, n, d, 2 * inner, true);
        // h = rmsnorm(x + attn(x))
        be.rmsNormBackward(g.dh, a.h, a.rstd1, g.dr, n, d);
        be.linearBackwardWeight(g.dr, a.att, gO, n, d, d, false);
        be.linearBackwardInput(g.dr, wO, g.datt, n, d, d, false);
        be.attentionBackward(a.qkv, a.att, a.lse, g.datt, g.dqkv, s.batch(), s.tokens(), s.heads(), s.headDim());
        if (s.cos() != null) be.rope(g.dqkv, s.cos(), s.sin(), s.batch(), s.tokens(), s.heads(), s.headDim(), true);
        be.linearBackwardWeight(g.dqkv, x, gQkv, n, d, 3 * d, false);
        be.copy(g.dr, dx);
        be.linearBackwardInput(g.dqkv, wQkv, dx, n, d, 3 * d, true);
    }
}
