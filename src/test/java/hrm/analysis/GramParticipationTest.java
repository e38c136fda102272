package hrm.analysis;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The Gram-matrix participation ratio against the covariance's, and on a known spectrum. */
class GramParticipationTest {
    /** More rows than columns and fewer: both give the covariance's PR (their non-zero eigenvalues agree). */
    @Test
    void equalsTheCovarianceParticipationRatioOfTheSameRows() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int[] shape : new int[][]{{200, 12}, {9, 40}}) {
            int n = shape[0], d = shape[1];
            GramParticipation gram = new GramParticipation(d);
            Covariance cov = new Covariance(d);
            float[] row = new float[d];
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < d; i++) row[i] = (float) ((1 + i % 5) * rng.nextGaussian() + 50); // offset: centring matters
                gram.add(row, 0);
                cov.add(row, 0);
                if (k >= 1) assertEquals(cov.participationRatio(), gram.participationRatio(k + 1), 1e-9 * d, "after " + (k + 1) + " rows");
            }
            assertEquals(n, gram.rows());
        }
    }

    /** Rows +-a_i e_i (i < 4) in 4000 columns: PR = (sum a^2)^2 / sum a^4 however wide the rows. */
    @Test
    void aKnownSpectrumInWideRowsGivesTheClosedForm() {
        double[] a = {3, 1, 0.5, 2};
        int d = 4000;
        GramParticipation gram = new GramParticipation(d);
        for (int i = 0; i < a.length; i++)
            for (int sign = -1; sign <= 1; sign += 2) {
                float[] row = new float[d + 7];
                row[7 + i * 900] = (float) (sign * a[i]);
                gram.add(row, 7);
            }
        assertEquals(CovarianceTest.closedForm(a), gram.participationRatio(), 1e-9);
    }

    @Test
    void fewerThanTwoRowsOrNoVarianceHaveNone() {
        GramParticipation gram = new GramParticipation(3);
        gram.add(new float[]{1, 2, 3}, 0);
        assertTrue(Double.isNaN(gram.participationRatio()));
        gram.add(new float[]{1, 2, 3}, 0);
        assertTrue(Double.isNaN(gram.participationRatio()));
        assertThrows(IllegalArgumentException.class, () -> gram.participationRatio(3));
    }
}
