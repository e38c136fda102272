package hrm.tensor.cpu;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite-difference checks for kernel backwards. The scalar loss is sum(f(x) * G) for a fixed
 * random G, so the analytic gradient is the backward applied to G; central differences are taken
 * in float32 through the real kernel and compared entry by entry.
 */
final class GradCheck {
    private GradCheck() {}

    static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * scale);
        return a;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    /**
     * Checks analytic[i] against (L(x + eps e_i) - L(x - eps e_i)) / 2eps for {@code samples} entries
     * chosen at random (all when samples >= x.length). L(x) = sum(f(x) * g).
     */
    static void check(String what, float[] x, float[] analytic, float[] g, Function<float[], float[]> f,
                      int samples, double eps, double tol) {
        SplittableRandom rng = new SplittableRandom(99);
        int n = Math.min(samples, x.length);
        double worst = 0;
        for (int s = 0; s < n; s++) {
            int i = samples >= x.length ? s : rng.nextInt(x.length);
            float keep = x[i];
            x[i] = (float) (keep + eps);
            double up = dot(f.apply(x), g);
            x[i] = (float) (keep - eps);
            double down = dot(f.apply(x), g);
            x[i] = keep;
            double numeric = (up - down) / (2 * eps);
            double err = Math.abs(numeric - analytic[i]) / Math.max(1.0, Math.abs(numeric));
            worst = Math.max(worst, err);
            assertTrue(err < tol, what + ": entry " + i + " analytic " + analytic[i] + " numeric " + numeric);
        }
        assertTrue(worst < tol, what + ": worst error " + worst);
    }

    static void assertClose(String what, float[] got, double[] want, double tol) {
        double diff = 0, norm = 0;
        for (int i = 0; i < want.length; i++) {
            diff += (got[i] - want[i]) * (got[i] - want[i]);
            norm += want[i] * want[i];
        }
        double rel = Math.sqrt(diff / Math.max(norm, 1e-30));
        assertTrue(rel < tol, what + ": relative error " + rel);
    }
}
