package hrm.tensor.cpu;

import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attention's forward on oneDNN's bfloat16 products against the float32 kernels on the same
 * bfloat16 inputs, at shapes with several query blocks and a partial last one: every output within
 * 2^-8 of sum_j p_j |v_j| (the probabilities' rounding to bfloat16: half a unit of its 8 bits) plus float32 noise, computed
 * here from the reference's own probabilities; every log-sum-exp within float32 noise.
 */
class Bf16AttentionTest {
    @ParameterizedTest(name = "B={0} T={1} H={2} d={3}")
    @CsvSource({"2, 130, 2, 64", "1, 97, 3, 32", "3, 7, 1, 16"})
    void matchesTheFloat32KernelsUpToTheProbabilitiesRounding(int batch, int tokens, int heads, int d) {
        var dnnl = OneDnn.get().filter(OneDnn::nativeBf16);
        Assumptions.assumeTrue(dnnl.isPresent(), "oneDNN bfloat16 is not usable here");
        int hd = heads * d, rows = batch * tokens;
        float[] qkv = new float[rows * 3 * hd];
        SplittableRandom rng = new SplittableRandom(tokens);
        for (int i = 0; i < qkv.length; i++) qkv[i] = Bf16.round((float) rng.nextGaussian());
        float[] out = new float[rows * hd], lse = new float[batch * heads * tokens], refOut = new float[rows * hd], refLse = new float[lse.length];
        try (WorkerPool pool = new WorkerPool(2); Bf16Attention a = new Bf16Attention(pool, dnnl.get())) {
            a.forward(qkv, 0, out, 0, lse, 0, batch, tokens, heads, d);
            a.forward(qkv, 0, out, 0, lse, 0, batch, tokens, heads, d); // again, on warm buffers: the same
            new Attention(pool).forward(qkv, 0, refOut, 0, refLse, 0, batch, tokens, heads, d);
        }
        double scale = 1 / Math.sqrt(d);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < tokens; t++) {
                    int l = (b * heads + h) * tokens + t;
                    assertEquals(refLse[l], lse[l], 1e-5 * Math.max(1, Math.abs(refLse[l])), "lse " + l);
                    double[] p = new double[tokens];
                    for (int u = 0; u < tokens; u++) {
                        double s = 0;
                        for (int c = 0; c < d; c++)
                            s += (double) qkv[(b * tokens + t) * 3 * hd + h * d + c] * qkv[(b * tokens + u) * 3 * hd + hd + h * d + c];
                        p[u] = Math.exp(s * scale - refLse[l]);
                    }
                    for (int c = 0; c < d; c++) {
                        double bound = 0;
                        for (int u = 0; u < tokens; u++) bound += p[u] * Math.abs(qkv[(b * tokens + u) * 3 * hd + 2 * hd + h * d + c]);
                        int o = (b * tokens + t) * hd + h * d + c;
                        assertTrue(Math.abs(out[o] - refOut[o]) <= Math.scalb(bound, -8) * 1.01 + 1e-5 * bound + 1e-7,
                                "out " + o + ": " + out[o] + " vs " + refOut[o] + ", bound " + Math.scalb(bound, -8));
                    }
                }
    }
}
