package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * What one block's forward keeps for its backward (or scratch reused by every layer at inference).
 * The MLP's gate/up output and silu(g) * u are the largest (3I per row, against 7D for the rest).
 * silu(g) * u is never kept: every block writes it into one buffer the whole model shares, and the
 * backward recomputes it from gate/up (a cheap element-wise pass). Gate/up is kept per block
 * ({@code keepGateUp}) where the memory is cheap and the product it saves is not: with bfloat16
 * activations (2 bytes a value; HRM's and the transformer's tapes: one gate_up product per block
 * less, about 4% of an HRM training step, for 16 MB per block at batch 32 x 82 tokens) and on TRM's
 * tape in both dtypes (the whole last cycle goes back, 14 blocks at the author's sizes, so the
 * recomputation would be a tenth of a step). With float32 activations HRM's tape writes gate/up
 * into a shared buffer too and the backward recomputes it from h (a third less training memory).
 * TRM's token MLP (mlp_t) keeps its gate/up output (guT) likewise.
 *
 * <p>Every activation here but the float32 statistics meets only operations that take compact
 * tensors ({@link Backend#allocateCompact}), so all are allocated compact: with bfloat16 activations
 * the CPU backend keeps them in 2 bytes a value, half the memory of the tape.
 */
final class BlockActivations {
    // attention (null with mlp_t)
    final Tensor qkv;   // rows x 3D, after RoPE
    final Tensor att;   // rows x D, heads concatenated, before o_proj
    final Tensor lse;   // batch x heads x tokens, float32
    // mlp_t (null with attention): the transposed layout, B*D rows of T
    final Tensor xT;    // the block's input, transposed
    final Tensor uT;    // rmsnorm over the tokens of (xT + mlp_t(xT)); h is its transpose
    final Tensor guT;   // B*D x 2It, shared like gu unless kept
    final Tensor sT;    // B*D x It, shared like s
    final Tensor h;     // rows x D, rmsnorm(x + token mixing)
    final Tensor rstd1; // rows (B*D with mlp_t), float32
    final Tensor gu;    // rows x 2I, shared by every block (valid only right after this block wrote it) unless kept
    final boolean gateUpKept; // gu (guT with mlp_t) is this block's own, still valid in the backward
    final Tensor s;     // rows x I, silu(g) * u, shared likewise
    final Tensor rstd2; // rows, float32

    /** The shared MLP buffers: one set per model, compact as the rest. */
    record MlpScratch(Tensor gu, Tensor s, Tensor guT, Tensor sT) {
        MlpScratch(Backend be, Shapes sh) {
            this(be.allocateCompact(sh.rows() * 2 * sh.inner(), sh.act()), be.allocateCompact(sh.rows() * sh.inner(), sh.act()),
                    sh.mlpT() ? be.allocateCompact(sh.channelRows() * 2 * sh.tokenInner(), sh.act()) : null,
                    sh.mlpT() ? be.allocateCompact(sh.channelRows() * sh.tokenInner(), sh.act()) : null);
        }
    }

    BlockActivations(Backend be, Shapes s, MlpScratch mlp) {
        this(be, s, mlp, false);
    }

    BlockActivations(Backend be, Shapes s, MlpScratch mlp, boolean keepGateUp) {
        int n = s.rows(), d = s.dim();
        boolean t = s.mlpT();
        qkv = t ? null : be.allocateCompact(n * 3 * d, s.act());
        att = t ? null : be.allocateCompact(n * d, s.act());
        lse = t ? null : be.allocate(s.batch() * s.heads() * s.tokens()); // the softmax statistics stay float32
        xT = t ? be.allocateCompact(n * d, s.act()) : null;
        uT = t ? be.allocateCompact(n * d, s.act()) : null;
        guT = t && keepGateUp ? be.allocateCompact(s.channelRows() * 2 * s.tokenInner(), s.act()) : mlp.guT();
        sT = mlp.sT();
        h = be.allocateCompact(n * d, s.act());
        rstd1 = be.allocate(t ? s.channelRows() : n);
        gateUpKept = keepGateUp;
        gu = keepGateUp ? be.allocateCompact(n * 2 * s.inner(), s.act()) : mlp.gu();
        this.s = mlp.s();
        rstd2 = be.allocate(n);
    }
}
