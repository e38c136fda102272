package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Product;
import hrm.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * One post-norm transformer block (docs/model.md §3), forward and backward side by side:
 * <pre>
 *   h = rmsnorm(x + o_proj(attention(rope(qkv_proj(x)))))
 *   y = rmsnorm(h + down_proj(silu(g) * u)),  [g | u] = gate_up_proj(h)
 * </pre>
 * or, with TRM's mlp_t, the attention line mixes along the token axis instead (docs/model.md §3):
 * <pre>
 *   h = transpose(rmsnorm_over_tokens(xT + down_t(silu(g_t) * u_t))),  xT = transpose(x), [g_t | u_t] = gate_up_t(xT)
 * </pre>
 */
final class Block {
    private final Weights.BlockWeights w;

    Block(Weights.BlockWeights w) {
        this.w = w;
    }

    /** The products of a block pass and its backward (the layers {@link #forward} runs, in its order). */
    static List<Product> products(Shapes s) {
        int n = s.rows(), d = s.dim(), inner = s.inner();
        List<Product> all = new ArrayList<>();
        if (s.mlpT()) {
            int c = s.channelRows(), t = s.tokens(), ti = s.tokenInner();
            all.addAll(List.of(Product.ofLayer(c, t, 2 * ti)));
            all.addAll(List.of(Product.ofLayer(c, ti, t)));
        } else {
            all.addAll(List.of(Product.ofLayer(n, d, 3 * d)));
            all.addAll(List.of(Product.ofLayer(n, d, d)));
        }
        all.addAll(List.of(Product.ofLayer(n, d, 2 * inner)));
        all.addAll(List.of(Product.ofLayer(n, inner, d)));
        return all;
    }

    /** y = block(x). y may be x itself (x is read before y is written). tmp: rows x D scratch. */
    void forward(Backend be, Shapes s, Tensor x, Tensor y, BlockActivations a, Tensor tmp) {
        int n = s.rows(), d = s.dim(), inner = s.inner();
        if (w.mlpT()) {
            int c = s.channelRows(), t = s.tokens(), ti = s.tokenInner();
            be.transpose(x, a.xT, s.batch(), t, d);
            be.linear(a.xT, w.tokenGateUp().value(), a.guT, c, t, 2 * ti);
            be.swiglu(a.guT, a.sT, c, ti);
            be.linear(a.sT, w.tokenDown().value(), tmp, c, ti, t);
            be.addRmsNorm(a.xT, tmp, a.uT, a.rstd1, c, t, s.eps());
            be.transpose(a.uT, a.h, s.batch(), d, t);
        } else {
            be.linear(x, w.qkv().value(), a.qkv, n, d, 3 * d);
            if (s.cos() != null) be.rope(a.qkv, s.cos(), s.sin(), s.batch(), s.tokens(), s.heads(), s.headDim(), false);
            be.attention(a.qkv, a.att, a.lse, s.batch(), s.tokens(), s.heads(), s.headDim());
            be.linear(a.att, w.o().value(), tmp, n, d, d);
            be.addRmsNorm(x, tmp, a.h, a.rstd1, n, d, s.eps());
        }
        be.linear(a.h, w.gateUp().value(), a.gu, n, d, 2 * inner);
        be.swiglu(a.gu, a.s, n, inner);
        be.linear(a.s, w.down().value(), tmp, n, inner, d);
        be.addRmsNorm(a.h, tmp, y, a.rstd2, n, d, s.eps());
    }

    /**
     * From dy (gradient at y) to dx (gradient at x), writing this block's weight gradients, or
     * adding to them with {@code accumulate} (TRM applies one network several times per segment).
     * dx may be dy itself.
     */
    void backward(Backend be, Shapes s, Tensor dy, Tensor x, Tensor y, BlockActivations a, Tensor dx, BlockGradScratch g,
                  boolean accumulate) {
        int n = s.rows(), d = s.dim(), inner = s.inner();
        // y = rmsnorm(h + mlp(h)); gate/up (unless kept) and silu(g) * u are recomputed (see BlockActivations)
        if (!a.gateUpKept) be.linear(a.h, w.gateUp().value(), a.gu, n, d, 2 * inner);
        be.swiglu(a.gu, a.s, n, inner);
        be.rmsNormBackward(dy, y, a.rstd2, g.dr, n, d);
        be.linearBackwardWeight(g.dr, a.s, w.down().grad(), n, inner, d, accumulate);
        be.linearBackwardInput(g.dr, w.down().value(), g.ds, n, inner, d, false);
        be.swigluBackward(a.gu, g.ds, g.dgu, n, inner);
        be.linearBackwardWeight(g.dgu, a.h, w.gateUp().grad(), n, d, 2 * inner, accumulate);
        be.copy(g.dr, g.dh);
        be.linearBackwardInput(g.dgu, w.gateUp().value(), g.dh, n, d, 2 * inner, true);
        if (w.mlpT()) {
            // h = transpose(rmsnorm(xT + mlp_t(xT))), in the transposed layout throughout
            int c = s.channelRows(), t = s.tokens(), ti = s.tokenInner();
            if (!a.gateUpKept) be.linear(a.xT, w.tokenGateUp().value(), a.guT, c, t, 2 * ti);
            be.swiglu(a.guT, a.sT, c, ti);
            be.transpose(g.dh, g.datt, s.batch(), t, d);
            be.rmsNormBackward(g.datt, a.uT, a.rstd1, g.dr, c, t);
            be.linearBackwardWeight(g.dr, a.sT, w.tokenDown().grad(), c, ti, t, accumulate);
            be.linearBackwardInput(g.dr, w.tokenDown().value(), g.dsT, c, ti, t, false);
            be.swigluBackward(a.guT, g.dsT, g.dguT, c, ti);
            be.linearBackwardWeight(g.dguT, a.xT, w.tokenGateUp().grad(), c, t, 2 * ti, accumulate);
            be.linearBackwardInput(g.dguT, w.tokenGateUp().value(), g.dr, c, t, 2 * ti, true);
            be.transpose(g.dr, dx, s.batch(), d, t);
            return;
        }
        // h = rmsnorm(x + attn(x))
        be.rmsNormBackward(g.dh, a.h, a.rstd1, g.dr, n, d);
        be.linearBackwardWeight(g.dr, a.att, w.o().grad(), n, d, d, accumulate);
        be.linearBackwardInput(g.dr, w.o().value(), g.datt, n, d, d, false);
        be.attentionBackward(a.qkv, a.att, a.lse, g.datt, g.dqkv, s.batch(), s.tokens(), s.heads(), s.headDim());
        if (s.cos() != null) be.rope(g.dqkv, s.cos(), s.sin(), s.batch(), s.tokens(), s.heads(), s.headDim(), true);
        be.linearBackwardWeight(g.dqkv, x, w.qkv().grad(), n, d, 3 * d, accumulate);
        be.copy(g.dr, dx);
        be.linearBackwardInput(g.dqkv, w.qkv().value(), dx, n, d, 3 * d, true);
    }
}
