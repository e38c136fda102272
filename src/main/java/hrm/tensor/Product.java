package hrm.tensor;

/**
 * One matrix product a linear layer computes, by direction and shape: the forward y = x Wᵀ, the
 * input gradient dx = dy W, or the weight gradient dW = dyᵀ x, over {@code rows} rows of a layer
 * of {@code in} inputs and {@code out} outputs. A backend may choose how to compute each one
 * ({@link Backend#planProducts}).
 */
public record Product(Kind kind, int rows, int in, int out) {
    public enum Kind {
        FORWARD("fwd"), INPUT_GRADIENT("dX"), WEIGHT_GRADIENT("dW");

        public final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    public Product {
        if (rows <= 0 || in <= 0 || out <= 0) throw new IllegalArgumentException("product " + rows + "x" + in + "x" + out);
    }

    /** Multiply-adds times two. */
    public double flops() {
        return 2.0 * rows * in * out;
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
