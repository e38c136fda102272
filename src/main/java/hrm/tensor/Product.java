package hrm.tensor;

/**
 * One matrix product a linear layer computes, by direction and shape: the forward y = x Wᵀ, the
 * input gradient dx = dy W, or the weight gradient dW = dyᵀ x, over {@code rows} rows of a layer
 * of {@code in} inputs and {@code out} outputs; or attention's forward ({@link Kind#ATTENTION}). A
 * backend may choose how to compute each one
 * ({@link Backend#planProducts}).
 */
public record Product(Kind kind, int rows, int in, int out) {
    public enum Kind {
        FORWARD("fwd"), INPUT_GRADIENT("dX"), WEIGHT_GRADIENT("dW"),
        /** Attention's forward, QKᵀ and PV: rows = batch x heads (the (sample, head) pairs), in = tokens, out = head size. */
        ATTENTION("attn");

        public final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    public Product {
        if (rows <= 0 || in <= 0 || out <= 0) throw new IllegalArgumentException("product " + rows + "x" + in + "x" + out);
    }

    /** Multiply-adds times two (attention: its two products, tokens x tokens x head size each per pair). */
    public double flops() {
        return kind == Kind.ATTENTION ? 4.0 * rows * in * in * out : 2.0 * rows * in * out;
    }

    /** Attention's forward over {@code batch} samples of {@code tokens} tokens and {@code heads} heads of {@code headDim}. */
    public static Product attention(int batch, int tokens, int heads, int headDim) {
        return new Product(Kind.ATTENTION, batch * heads, tokens, headDim);
    }

    /** "fwd 2624x512x1536": rows x in x out. */
    public String key() {
        return kind.tag + " " + rows + "x" + in + "x" + out;
    }

    /** The three products of one linear layer: forward, input gradient, weight gradient. */
    public static Product[] ofLayer(int rows, int in, int out) {
        return new Product[] {new Product(Kind.FORWARD, rows, in, out), new Product(Kind.INPUT_GRADIENT, rows, in, out),
                new Product(Kind.WEIGHT_GRADIENT, rows, in, out)};
    }

    @Override
    public String toString() {
        return key();
    }
}
