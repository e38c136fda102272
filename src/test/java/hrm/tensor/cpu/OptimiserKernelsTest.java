package hrm.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static hrm.tensor.cpu.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** AdamATan2 and sign-SGD against the formulas of docs/model.md §8, evaluated in double. */
class OptimiserKernelsTest {
    @Test
    void adamAtan2FollowsTheFormula() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 1000 + 7; // vector body and scalar tail
        float[] p = random(rng, n, 1), g = random(rng, n, 1), m = random(rng, n, 0.1), v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) Math.abs(rng.nextGaussian() * 0.01);
        g[5] = 0;
        m[5] = 0;
        v[5] = 0; // atan2(0, 0) = 0: no update but decay
        float[] p0 = p.clone(), m0 = m.clone(), v0 = v.clone();
        double lr = 0.01, wd = 0.1, b1 = 0.9, b2 = 0.95;
        int step = 3;
        double stepSize = lr / (1 - Math.pow(b1, step)), bc2 = Math.sqrt(1 - Math.pow(b2, step));
        try (CpuBackend be = new CpuBackend(2)) {
            be.adamATan2(t(p), t(g), t(m), t(v), (float) lr, (float) wd, (float) b1, (float) b2, (float) stepSize, (float) bc2);
        }
        for (int i = 0; i < n; i++) {
            double mm = m0[i] + (1 - b1) * (g[i] - m0[i]);
            double vv = v0[i] + (1 - b2) * ((double) g[i] * g[i] - v0[i]);
            double pp = p0[i] * (1 - lr * wd) - stepSize * Math.atan2(mm, Math.sqrt(vv) / bc2);
            assertEquals(mm, m[i], 1e-6, "m " + i);
            assertEquals(vv, v[i], 1e-6, "v " + i);
            assertEquals(pp, p[i], 1e-5, "p " + i);
        }
    }

    @Test
    void signSgdSumsDuplicateRowsBeforeTakingTheSign() {
        float[] table = {1, 1, 1, 1, 1, 1}; // 3 rows of 2
        int[] ids = {2, 0, 2};
        float[] grads = {0.5f, -1f, /* row 0: */ 3f, 0f, /* row 2 again: */ -0.7f, 2f};
        try (CpuBackend be = new CpuBackend(1)) {
            be.signSgdRows(t(table), ids, t(grads), 2, 0.1f, 0.5f);
        }
        float decay = 1 - 0.1f * 0.5f;
        assertEquals(decay - 0.1f, table[0], 1e-7); // row 0: sign(3) = 1
        assertEquals(decay, table[1], 1e-7);        // sign(0) = 0
        assertEquals(1f, table[2]);                 // row 1 untouched
        assertEquals(decay + 0.1f, table[4], 1e-7); // 0.5 - 0.7 < 0
        assertEquals(decay - 0.1f, table[5], 1e-7); // -1 + 2 > 0
    }

    static CpuTensor t(float[] a) {
        return new CpuTensor(a, 0, a.length);
    }
}
