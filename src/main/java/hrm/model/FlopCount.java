package hrm.model;

/**
 * Floating-point operations of one sample-segment, counted from the shapes (multiply-add = 2):
 * what benchmarks divide by time to report GFLOP/s.
 */
public final class FlopCount {
    private FlopCount() {}

    /**
     * One block pass over one sample: the MLP's two linear layers and either attention's two linear
     * layers and two products or, with TRM's mlp_t, the token MLP's two layers over the D channels.
     */
    public static double blockForward(ModelConfig c) {
        return blockProducts(c) + blockAttention(c);
    }

    /** The linear layers' share of {@link #blockForward}: what runs as matrix products. */
    public static double blockProducts(ModelConfig c) {
        double d = c.hiddenSize(), i = c.intermediateSize(), t = c.tokens();
        double mlp = 2 * t * d * (2 * i + i);
        if (c.tokenInnerSize() > 0) return mlp + 2 * d * t * 3 * c.tokenInnerSize();
        return mlp + 2 * t * d * (3 * d + d);
    }

    /** Attention's QKᵀ and PV: the rest of {@link #blockForward}. */
    public static double blockAttention(ModelConfig c) {
        double d = c.hiddenSize(), t = c.tokens();
        return c.tokenInnerSize() > 0 ? 0 : 4 * t * t * d;
    }

    /** Block passes of a whole segment, the family's (HRM: every H and L update; TRM: H_cycles x (L_cycles + 1) network calls). */
    public static int segmentPasses(ModelConfig c) {
        return c.family().segmentPasses();
    }

    /** Block passes the gradient goes through, the family's: HRM's last L and H updates, TRM's whole last cycle, every layer of the transformer. */
    static int gradientPasses(ModelConfig c) {
        return c.family().gradientPasses();
    }

    /** Evaluation: one segment forward plus the heads. */
    public static double evalSegment(ModelConfig c) {
        return evalSegment(c, FlopCount::blockForward);
    }

    /** The matrix products' share of {@link #evalSegment} (the heads included). */
    public static double evalSegmentProducts(ModelConfig c) {
        return evalSegment(c, FlopCount::blockProducts);
    }

    /**
     * Training: the segment, the target-Q segment (when halt_max_steps > 1 and the family computes
     * Q-continue targets: not TRM's no_ACT_continue) and the backward of what the gradient goes through (twice its forward:
     * input and weight gradients).
     */
    public static double trainSegment(ModelConfig c) {
        return trainSegment(c, FlopCount::blockForward);
    }

    /** The matrix products' share of {@link #trainSegment} (the heads included). */
    public static double trainSegmentProducts(ModelConfig c) {
        return trainSegment(c, FlopCount::blockProducts);
    }

    private static double evalSegment(ModelConfig c, java.util.function.ToDoubleFunction<ModelConfig> block) {
        return segmentPasses(c) * block.applyAsDouble(c) + heads(c);
    }

    private static double trainSegment(ModelConfig c, java.util.function.ToDoubleFunction<ModelConfig> block) {
        double perPass = block.applyAsDouble(c);
        double target = c.haltMaxSteps() > 1 && c.family().qContinueTargets() ? segmentPasses(c) * perPass : 0;
        return evalSegment(c, block) + target + 2 * gradientPasses(c) * perPass + 2 * heads(c);
    }

    private static double heads(ModelConfig c) {
        return 2.0 * c.tokens() * c.hiddenSize() * c.vocabSize() + 4.0 * c.hiddenSize();
    }
}
