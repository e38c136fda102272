package hrm.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The eigen-solver and the Gram-matrix PCA against cases with known answers. */
class PcaTest {
    @Test
    void jacobiFindsTheEigenpairsOfASymmetricMatrix() {
        double[][] a = {{4, 1, 0}, {1, 3, 1}, {0, 1, 2}};
        SymmetricEigen e = new SymmetricEigen(a);
        double trace = 0;
        for (int k = 0; k < 3; k++) {
            trace += e.values[k];
            for (int i = 0; i < 3; i++) { // A v = lambda v
                double av = 0;
                for (int j = 0; j < 3; j++) av += a[i][j] * e.vectors[k][j];
                assertEquals(e.values[k] * e.vectors[k][i], av, 1e-10);
            }
        }
        assertEquals(9, trace, 1e-10);
        assertTrue(e.values[0] >= e.values[1] && e.values[1] >= e.values[2]);
    }

    /** States on a line: one component explains everything, and their coordinates keep their spacing. */
    @Test
    void statesOnALineProjectOnOneComponent() {
        List<float[]> states = new ArrayList<>();
        float[] dir = {1, 2, 2, 0, 0}; // length 3
        for (int t = 0; t < 5; t++) {
            float[] s = new float[5];
            for (int i = 0; i < 5; i++) s[i] = 7 + t * dir[i];
            states.add(s);
        }
        Pca.Projection p = Pca.project(states, 2);
        assertEquals(1.0, p.explained()[0], 1e-9);
        assertEquals(0.0, p.explained()[1], 1e-9);
        for (int t = 1; t < 5; t++)
            assertEquals(3.0, Math.abs(p.coordinates()[t][0] - p.coordinates()[t - 1][0]), 1e-5, "consecutive states 3 apart");
    }
}
