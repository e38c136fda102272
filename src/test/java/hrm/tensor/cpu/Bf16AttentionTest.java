package hrm.tensor.cpu;

import hrm.tensor.BackendContract;
import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /**
     * The backward on oneDNN against the float32 kernels' backward on the same bfloat16 inputs (the
     * forward's output rounded, as the model keeps it): every gradient within the allowance for
     * rounding P and dS to bfloat16 ({@link BackendContract#roundedProbabilityAllowance}) plus
     * float32 noise, over several query blocks and a partial last one (dK and dV sum over them);
     * 2-byte operands give the same bits as float arrays of the same values; a second call the same.
     */
    @ParameterizedTest(name = "B={0} T={1} H={2} d={3}")
    @CsvSource({"2, 130, 2, 64", "1, 97, 3, 32", "3, 7, 1, 16", "1, 200, 1, 64"})
    void backwardMatchesTheFloat32KernelsUpToRoundingPAndDs(int batch, int tokens, int heads, int d) {
        var dnnl = OneDnn.get().filter(OneDnn::nativeBf16);
        Assumptions.assumeTrue(dnnl.isPresent(), "oneDNN bfloat16 is not usable here");
        int hd = heads * d, rows = batch * tokens;
        SplittableRandom rng = new SplittableRandom(tokens + 1);
        float[] qkv = new float[rows * 3 * hd], dout = new float[rows * hd];
        for (int i = 0; i < qkv.length; i++) qkv[i] = Bf16.round((float) rng.nextGaussian());
        for (int i = 0; i < dout.length; i++) dout[i] = Bf16.round((float) rng.nextGaussian());
        float[] out = new float[rows * hd], lse = new float[batch * heads * tokens];
        float[] want = new float[rows * 3 * hd], got = new float[want.length], again = new float[want.length], compact = new float[want.length];
        try (WorkerPool pool = new WorkerPool(2); Bf16Attention a = new Bf16Attention(pool, dnnl.get());
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared()) {
            Attention reference = new Attention(pool);
            reference.forward(qkv, 0, out, 0, lse, 0, batch, tokens, heads, d);
            Bf16.roundInPlace(out, 0, out.length);
            reference.backward(qkv, 0, out, 0, lse, 0, dout, 0, want, 0, batch, tokens, heads, d);
            a.backward(qkv, null, 0, out, null, 0, lse, 0, dout, 0, got, 0, batch, tokens, heads, d);
            a.backward(qkv, null, 0, out, null, 0, lse, 0, dout, 0, again, 0, batch, tokens, heads, d);
            var q16 = arena.allocate(2L * qkv.length);
            var o16 = arena.allocate(2L * out.length);
            Bf16.pack(qkv, 0, qkv.length, q16, 0);
            Bf16.pack(out, 0, out.length, o16, 0);
            a.backward(null, q16, 0, null, o16, 0, lse, 0, dout, 0, compact, 0, batch, tokens, heads, d);
        }
        assertArrayEquals(got, again, "a second call");
        assertArrayEquals(got, compact, "2-byte qkv and out");
        double[] allow = BackendContract.roundedProbabilityAllowance(qkv, out, lse, dout, batch, tokens, heads, d);
        double largest = 0;
        for (float w : want) largest = Math.max(largest, Math.abs(w));
        for (int i = 0; i < want.length; i++)
            assertTrue(Math.abs(got[i] - want[i]) <= allow[i] * 1.01 + 1e-5 * (largest + Math.abs(want[i])),
                    "dqkv " + i + ": " + got[i] + " vs " + want[i] + ", allowance " + allow[i]);
    }
}
