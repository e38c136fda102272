package hrm.tensor.cpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static hrm.tensor.cpu.GradCheck.assertClose;
import static hrm.tensor.cpu.GradCheck.check;
import static hrm.tensor.cpu.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The block's element-wise and linear kernels against plain references and finite differences. */
class BlockKernelsTest {
    static CpuBackend be;
    final SplittableRandom rng = new SplittableRandom(5);

    @BeforeAll
    static void up() {
        be = new CpuBackend(2);
    }

    @AfterAll
    static void down() {
        be.close();
    }

    static CpuTensor t(float[] a) {
        return new CpuTensor(a, 0, a.length);
    }

    @Test
    void linearMatchesReferenceAndGradients() {
        int rows = 37, in = 19, out = 23;
        float[] x = random(rng, rows * in, 1), w = random(rng, out * in, 1), g = random(rng, rows * out, 1);
        float[] y = new float[rows * out];
        be.linear(t(x), t(w), t(y), rows, in, out);
        double[] ref = new double[rows * out];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int i = 0; i < in; i++) s += (double) x[r * in + i] * w[o * in + i];
                ref[r * out + o] = s;
            }
        assertClose("linear", y, ref, 1e-6);
        float[] dx = new float[rows * in], dw = new float[out * in];
        be.linearBackwardInput(t(g), t(w), t(dx), rows, in, out, false);
        be.linearBackwardWeight(t(g), t(x), t(dw), rows, in, out, false);
        check("linear dx", x, dx, g, xx -> {
            float[] yy = new float[rows * out];
            be.linear(t(xx), t(w), t(yy), rows, in, out);
            return yy;
        }, 40, 1e-2, 1e-3);
        check("linear dW", w, dw, g, ww -> {
            float[] yy = new float[rows * out];
            be.linear(t(x), t(ww), t(yy), rows, in, out);
            return yy;
        }, 40, 1e-2, 1e-3);
        // accumulate adds to what is there
        float[] dx2 = dx.clone();
        be.linearBackwardInput(t(g), t(w), t(dx2), rows, in, out, true);
        for (int i = 0; i < dx.length; i++) assertEquals(2 * dx[i], dx2[i], 1e-4 * (1 + Math.abs(dx[i])));
    }

    @Test
    void addRmsNormMatchesReferenceAndGradient() {
        int rows = 13, dim = 40;
        float eps = 1e-5f;
        float[] x = random(rng, rows * dim, 1), r = random(rng, rows * dim, 1), g = random(rng, rows * dim, 1);
        float[] y = new float[rows * dim], rstd = new float[rows];
        be.addRmsNorm(t(x), t(r), t(y), t(rstd), rows, dim, eps);
        double[] ref = new double[rows * dim];
        for (int i = 0; i < rows; i++) {
            double ss = 0;
            for (int j = 0; j < dim; j++) ss += Math.pow(x[i * dim + j] + r[i * dim + j], 2);
            double inv = 1 / Math.sqrt(ss / dim + eps);
            for (int j = 0; j < dim; j++) ref[i * dim + j] = (x[i * dim + j] + r[i * dim + j]) * inv;
        }
        assertClose("rmsnorm", y, ref, 1e-6);
        float[] dx = new float[rows * dim];
        be.rmsNormBackward(t(g), t(y), t(rstd), t(dx), rows, dim);
        check("rmsnorm d(x+r)", x, dx, g, xx -> {
            float[] yy = new float[rows * dim];
            be.addRmsNorm(t(xx), t(r), t(yy), t(new float[rows]), rows, dim, eps);
            return yy;
        }, 60, 1e-2, 2e-3);
    }

    @Test
    void swigluMatchesReferenceAndGradient() {
        int rows = 7, inner = 37;
        float[] gu = random(rng, rows * 2 * inner, 2), g = random(rng, rows * inner, 1);
        float[] s = new float[rows * inner];
        be.swiglu(t(gu), t(s), rows, inner);
        double[] ref = new double[rows * inner];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < inner; j++) {
                double a = gu[i * 2 * inner + j], u = gu[i * 2 * inner + inner + j];
                ref[i * inner + j] = a / (1 + Math.exp(-a)) * u;
            }
        assertClose("swiglu", s, ref, 1e-6);
        float[] dgu = new float[rows * 2 * inner];
        be.swigluBackward(t(gu), t(g), t(dgu), rows, inner);
        check("swiglu dgu", gu, dgu, g, x -> {
            float[] out = new float[rows * inner];
            be.swiglu(t(x), t(out), rows, inner);
            return out;
        }, 200, 1e-2, 2e-3);
    }

    @Test
    void ropeRotatesAndItsInverseIsItsBackward() {
        int batch = 2, tokens = 5, heads = 3, hd = 8, width = 3 * heads * hd;
        float[][] tables = hrm.tensor.BackendContract.ropeTables(tokens, hd);
        float[] cos = tables[0], sin = tables[1];
        float[] x = random(rng, batch * tokens * width, 1), g = random(rng, x.length, 1);
        float[] y = x.clone();
        be.rope(t(y), t(cos), t(sin), batch, tokens, heads, hd, false);
        double[] ref = new double[x.length];
        for (int r = 0; r < batch * tokens; r++) {
            int p = r % tokens;
            for (int part = 0; part < 3 * heads; part++)
                for (int j = 0; j < hd; j++) {
                    int i = r * width + part * hd + j;
                    if (part >= 2 * heads) {
                        ref[i] = x[i];
                        continue;
                    }
                    int h = hd / 2;
                    double rot = j < h ? -x[i + h] : x[i - h];
                    ref[i] = x[i] * cos[p * hd + j] + rot * sin[p * hd + j];
                }
        }
        assertClose("rope", y, ref, 1e-6);
        float[] back = y.clone();
        be.rope(t(back), t(cos), t(sin), batch, tokens, heads, hd, true);
        double[] xd = new double[x.length];
        for (int i = 0; i < x.length; i++) xd[i] = x[i];
        assertClose("rope inverse", back, xd, 1e-6);
        float[] dx = g.clone();
        be.rope(t(dx), t(cos), t(sin), batch, tokens, heads, hd, true);
        check("rope backward", x, dx, g, xx -> {
            float[] yy = xx.clone();
            be.rope(t(yy), t(cos), t(sin), batch, tokens, heads, hd, false);
            return yy;
        }, 100, 1e-2, 1e-3);
    }

    @Test
    void embeddingBackwardIsTheAdjointOfTheForward() {
        int batch = 3, seq = 6, pt = 2, dim = 8, puzzleDim = 12, vocab = 5, tokens = seq + pt;
        int[] ids = new int[batch * seq];
        for (int i = 0; i < ids.length; i++) ids[i] = rng.nextInt(vocab);
        float[] table = random(rng, vocab * dim, 1), puzzle = random(rng, batch * puzzleDim, 1), pos = random(rng, tokens * dim, 1);
        float[] g = random(rng, batch * tokens * dim, 1);
        for (boolean learned : new boolean[]{false, true}) {
            float[] dTable = new float[table.length], dPuzzle = new float[puzzle.length], dPos = new float[pos.length];
            be.embedInputsBackward(t(g), ids, t(dTable), t(dPuzzle), puzzleDim, learned ? t(dPos) : null,
                    batch, seq, pt, dim, 0.7f, 2.5f);
            java.util.function.Function<float[][], float[]> f = a -> {
                float[] out = new float[batch * tokens * dim];
                be.embedInputs(ids, t(a[0]), t(a[1]), puzzleDim, learned ? t(a[2]) : null, t(out), batch, seq, pt, dim, 0.7f, 2.5f);
                return out;
            };
            float[][] args = {table, puzzle, pos};
            check("embed dTable", table, dTable, g, x -> f.apply(new float[][]{x, puzzle, pos}), 1000, 1e-2, 1e-3);
            check("embed dPuzzle", puzzle, dPuzzle, g, x -> f.apply(new float[][]{table, x, pos}), 1000, 1e-2, 1e-3);
            if (learned) check("embed dPos", pos, dPos, g, x -> f.apply(new float[][]{table, puzzle, x}), 1000, 1e-2, 1e-3);
            assertEquals(args.length, 3);
        }
    }

    @Test
    void biasAndRowGatherScatter() {
        int rows = 4, n = 3;
        float[] y = new float[rows * n], b = {1, 2, 3};
        be.addBias(t(y), t(b), rows, n);
        assertEquals(3f, y[rows * n - 1]);
        float[] db = new float[n];
        be.biasBackward(t(y), t(db), rows, n, false);
        assertEquals(8f, db[1]);
        float[] src = random(rng, 6 * 2, 1), dst = new float[3 * 2];
        be.gatherRows(t(src), 1, 2, t(dst), 3, 2);
        assertEquals(src[5 * 2 + 1], dst[2 * 2 + 1]);
        float[] acc = new float[6 * 2];
        be.scatterAddRows(t(dst), t(acc), 1, 2, 3, 2);
        assertEquals(src[3 * 2], acc[3 * 2]);
        assertEquals(0f, acc[0]);
    }
}
