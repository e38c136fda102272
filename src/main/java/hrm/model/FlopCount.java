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
    public static double blockForward(HrmConfig c) {
        double d = c.hiddenSize(), i = c.intermediateSize(), t = c.tokens();
        double mlp = 2 * t * d * (2 * i + i);
        if (c.mlpT()) return mlp + 2 * d * t * 3 * c.tokenInnerSize();
        return mlp + 2 * t * d * (3 * d + d) + 4 * t * t * d;
    }

    /** Block passes of a whole segment (every H and L update; TRM: H_cycles x (L_cycles + 1) network calls). */
    public static int segmentPasses(HrmConfig c) {
        if (c.isTrm()) return c.hCycles() * (c.lCycles() + 1) * c.lLayers();
        return c.hCycles() * c.lCycles() * c.lLayers() + c.hCycles() * c.hLayers();
    }

    /** Block passes the gradient goes through: HRM's last L and H updates, TRM's whole last cycle. */
    static int gradientPasses(HrmConfig c) {
        if (c.isTrm()) return (c.lCycles() + 1) * c.lLayers();
        return c.lLayers() + c.hLayers();
    }

    /** Evaluation: one segment forward plus the heads. */
    public static double evalSegment(HrmConfig c) {
        return segmentPasses(c) * blockForward(c) + heads(c);
    }

    /**
     * Training: the segment, the target-Q segment (when halt_max_steps > 1, not with TRM's
     * no_ACT_continue) and the backward of what the gradient goes through (twice its forward:
     * input and weight gradients).
     */
    public static double trainSegment(HrmConfig c) {
        double target = c.haltMaxSteps() > 1 && !c.noActContinue() ? segmentPasses(c) * blockForward(c) : 0;
        return evalSegment(c) + target + 2 * gradientPasses(c) * blockForward(c) + 2 * heads(c);
    }

    private static double heads(HrmConfig c) {
        return 2.0 * c.tokens() * c.hiddenSize() * c.vocabSize() + 4.0 * c.hiddenSize();
    }
}
