package hrm.model;

/**
 * Floating-point operations of one sample-segment, counted from the shapes (multiply-add = 2):
 * what benchmarks divide by time to report GFLOP/s.
 */
public final class FlopCount {
    private FlopCount() {}

    /** One block pass over one sample: the four linear layers and the two attention products. */
    public static double blockForward(HrmConfig c) {
        double d = c.hiddenSize(), i = c.intermediateSize(), t = c.tokens();
        double linear = 2 * t * d * (3 * d + d + 2 * i + i);
        double attention = 4 * t * t * d;
        return linear + attention;
    }

    /** Block passes of a whole segment (every H and L update). */
    public static int segmentPasses(HrmConfig c) {
        return c.hCycles() * c.lCycles() * c.lLayers() + c.hCycles() * c.hLayers();
    }

    /** Evaluation: one segment forward plus the heads. */
    public static double evalSegment(HrmConfig c) {
        return segmentPasses(c) * blockForward(c) + heads(c);
    }

    /**
     * Training: the segment, the target-Q segment (when halt_max_steps > 1) and the backward of the
     * last L and H updates (twice their forward: input and weight gradients).
     */
    public static double trainSegment(HrmConfig c) {
        double gradPasses = c.lLayers() + c.hLayers();
        double target = c.haltMaxSteps() > 1 ? segmentPasses(c) * blockForward(c) : 0;
        return evalSegment(c) + target + 2 * gradPasses * blockForward(c) + 2 * heads(c);
    }

    private static double heads(HrmConfig c) {
        return 2.0 * c.tokens() * c.hiddenSize() * c.vocabSize() + 4.0 * c.hiddenSize();
    }
}
