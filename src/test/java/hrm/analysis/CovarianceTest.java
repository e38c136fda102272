package hrm.analysis;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The participation ratio against its closed form, and its invariances. */
class CovarianceTest {
    /** Rows +-a_i e_i: mean zero, covariance diag(a_i^2) / d exactly, so PR = (sum a^2)^2 / sum a^4. */
    @Test
    void aKnownSpectrumGivesTheClosedForm() {
        double[] a = {3, 1, 0.5, 2, 0.25};
        int d = a.length;
        Covariance c = new Covariance(d);
        for (int i = 0; i < d; i++)
            for (int sign = -1; sign <= 1; sign += 2) {
                float[] row = new float[d];
                row[i] = (float) (sign * a[i]);
                c.add(row, 0);
            }
        assertEquals(closedForm(a), c.participationRatio(), 1e-9);
    }

    /** PR of rows +-a_i e_i: covariance diag(a_i^2) / d, so PR = (sum a^2)^2 / sum a^4. */
    static double closedForm(double[] a) {
        double s2 = 0, s4 = 0;
        for (double x : a) {
            s2 += x * x;
            s4 += x * x * x * x;
        }
        return s2 * s2 / s4;
    }

    @Test
    void isotropicSamplesSpreadOverEveryDimensionAndOneDominantDirectionOverOne() {
        SplittableRandom rng = new SplittableRandom(7);
        int d = 16, n = 40_000;
        Covariance iso = new Covariance(d), one = new Covariance(d);
        float[] row = new float[d];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < d; i++) row[i] = (float) (rng.nextGaussian() + 100); // a large common offset
            iso.add(row, 0);
            for (int i = 0; i < d; i++) row[i] = (float) ((i == 3 ? 30 : 0.01) * rng.nextGaussian());
            one.add(row, 0);
        }
        assertEquals(d, iso.participationRatio(), 0.02 * d);
        assertEquals(1.0, one.participationRatio(), 1e-3);
    }

    /** PR depends on the eigenvalues only: a rotation of the samples leaves it unchanged. */
    @Test
    void aRotationLeavesItUnchanged() {
        SplittableRandom rng = new SplittableRandom(11);
        int d = 6, n = 500;
        double[][] q = randomRotation(d, rng);
        Covariance plain = new Covariance(d), rotated = new Covariance(d);
        float[] x = new float[d], y = new float[d];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < d; i++) x[i] = (float) ((i + 1) * rng.nextGaussian());
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += q[i][j] * x[j];
                y[i] = (float) s;
            }
            plain.add(x, 0);
            rotated.add(y, 0);
        }
        assertEquals(plain.participationRatio(), rotated.participationRatio(), 1e-5 * plain.participationRatio());
        assertNotEquals(1.0, plain.participationRatio(), 0.5);
    }

    /** Accumulators merged (as trajectories are) equal one accumulator fed every row. */
    @Test
    void mergedAccumulatorsEqualOne() {
        SplittableRandom rng = new SplittableRandom(3);
        int d = 5;
        Covariance all = new Covariance(d), a = new Covariance(d), b = new Covariance(d), merged = new Covariance(d);
        float[] row = new float[d];
        for (int k = 0; k < 300; k++) {
            for (int i = 0; i < d; i++) row[i] = (float) (rng.nextGaussian() * (i + 1) + (k < 150 ? 5 : -3));
            all.add(row, 0);
            (k < 150 ? a : b).add(row, 0);
        }
        merged.addAll(a);
        merged.addAll(b);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) assertEquals(all.get(i, j), merged.get(i, j), 1e-9 * (1 + Math.abs(all.get(i, j))));
        assertEquals(all.participationRatio(), merged.participationRatio(), 1e-9);
    }

    private static double[][] randomRotation(int d, SplittableRandom rng) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) q[i][j] = rng.nextGaussian();
            for (int k = 0; k < i; k++) { // Gram-Schmidt
                double dot = 0;
                for (int j = 0; j < d; j++) dot += q[i][j] * q[k][j];
                for (int j = 0; j < d; j++) q[i][j] -= dot * q[k][j];
            }
            double norm = 0;
            for (int j = 0; j < d; j++) norm += q[i][j] * q[i][j];
            for (int j = 0; j < d; j++) q[i][j] /= Math.sqrt(norm);
        }
        return q;
    }
}
