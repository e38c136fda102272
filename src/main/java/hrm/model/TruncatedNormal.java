package hrm.model;

import java.util.random.RandomGenerator;

/**
 * JAX-style truncated normal: a normal cut at +-2 standard deviations, rescaled so that the result
 * really has the requested standard deviation (PyTorch's trunc_normal_ does not rescale).
 * Rejection sampling gives exactly the truncated distribution without an inverse error function.
 */
public final class TruncatedNormal {
    private static final double LOWER = -2, UPPER = 2;

    private TruncatedNormal() {}

    /** The factor by which a unit normal truncated to [-2, 2] must be scaled to have unit variance. */
    static double compensation() {
        double sqrt2 = Math.sqrt(2), c = 1 / Math.sqrt(2 * Math.PI);
        double z = erf(UPPER / sqrt2) - erf(LOWER / sqrt2);
        z /= 2;
        double pdfU = c * Math.exp(-0.5 * LOWER * LOWER), pdfL = c * Math.exp(-0.5 * UPPER * UPPER);
        return 1 / Math.sqrt(1 - (UPPER * pdfU - LOWER * pdfL) / z - Math.pow((pdfU - pdfL) / z, 2));
    }

    public static void fill(float[] out, double std, RandomGenerator rng) {
        if (std == 0) {
            java.util.Arrays.fill(out, 0f);
            return;
        }
        double scale = std * compensation();
        for (int i = 0; i < out.length; i++) {
            double x;
            do {
                x = rng.nextGaussian();
            } while (x < LOWER || x > UPPER);
            out[i] = (float) (x * scale);
        }
    }

    /** erf by the Abramowitz-Stegun 7.1.26-style series with high-order correction (|error| < 1.2e-7). */
    static double erf(double x) {
        double t = 1 / (1 + 0.5 * Math.abs(x));
        double y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : -y;
    }
}
