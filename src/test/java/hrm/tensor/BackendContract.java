package hrm.tensor;

import hrm.tensor.cpu.Bf16;
import hrm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link Backend} keeps, run against each one (a subclass per backend and
 * activation type): every operation, on tensors of the activations' type, against a reference
 * computed in double (or by the float32 Java kernels, for attention, RoPE and the norm's backward)
 * from the same inputs as the backend holds them, i.e. already rounded to bfloat16 where the
 * type is bfloat16. A bfloat16 output must be a bfloat16 value within one bfloat16 ulp of the
 * reference (plus float32 summation noise); a float32 one within 1e-5 relative. Master weights,
 * gradients of weights and optimiser state are float32 on every backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {
    protected Backend be;
    private CpuBackend reference;
    private final SplittableRandom rng = new SplittableRandom(11);

    /** The backend under test (closed after the class). */
    protected abstract Backend create();

    /** The type its activations have in this run. */
    protected abstract DataType act();

    @BeforeAll
    void open() {
        be = create();
        reference = new CpuBackend(1);
    }

    @AfterAll
    void close() {
        be.close();
        reference.close();
    }

    // ---- helpers --------------------------------------------------------------------------------

    private float[] random(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * scale);
        return a;
    }

    /** An activation tensor holding v (rounded to its type by the upload). */
    private Tensor act(float[] v) {
        Tensor t = be.allocate(v.length, act());
        be.upload(v, 0, t);
        return t;
    }

    private Tensor f32(float[] v) {
        Tensor t = be.allocate(v.length);
        be.upload(v, 0, t);
        return t;
    }

    private float[] get(Tensor t) {
        float[] v = new float[t.size()];
        be.download(t, v, 0);
        return v;
    }

    private static Tensor ref(CpuBackend r, float[] v) {
        Tensor t = r.allocate(v.length);
        r.upload(v, 0, t);
        return t;
    }

    private static float[] get(CpuBackend r, Tensor t) {
        float[] v = new float[t.size()];
        r.download(t, v, 0);
        return v;
    }

    private boolean bf16() {
        return act() == DataType.BFLOAT16;
    }

    /** got[i] within one output-type ulp of want[i] (plus slack * max|want| for summation noise); bfloat16 outputs representable. */
    private void assertNear(String what, float[] got, double[] want, double slack, boolean outputIsAct) {
        assertEquals(want.length, got.length, what + ": size");
        double scale = 0;
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        boolean b = outputIsAct && bf16();
        for (int i = 0; i < want.length; i++) {
            double w = want[i];
            double ulp = b ? Math.ulp((float) w) * 65536.0 : 1e-5 * Math.abs(w);
            double tol = ulp + slack * scale + 1e-30;
            assertTrue(Math.abs(got[i] - w) <= tol, String.format("%s [%d]: got %s, want %s (tolerance %.3g)", what, i, got[i], w, tol));
            if (b) assertEquals(Bf16.round(got[i]), got[i], 0f, what + " [" + i + "]: not a bfloat16 value");
        }
    }

    /** As {@link #assertNear}, each element also allowed {@code allow[i]} off, on top of 1e-5 of the largest. */
    private void assertNear(String what, float[] got, float[] want, double[] allow, boolean outputIsAct) {
        double scale = 0;
        for (float w : want) scale = Math.max(scale, Math.abs(w));
        for (int i = 0; i < want.length; i++) {
            double ulp = outputIsAct && bf16() ? Math.ulp(want[i]) * 65536.0 : 1e-5 * Math.abs(want[i]);
            double tol = ulp + allow[i] + 1e-5 * scale + 1e-30;
            assertTrue(Math.abs(got[i] - want[i]) <= tol, String.format("%s [%d]: got %s, want %s (tolerance %.3g)", what, i, got[i], want[i], tol));
            if (outputIsAct && bf16()) assertEquals(Bf16.round(got[i]), got[i], 0f, what + " [" + i + "]: not a bfloat16 value");
        }
    }

    /**
     * Per element of dqkv, how far attention's backward may move when the probabilities P (for dV =
     * P^T dO) and dS = P (dP - Di) (for dQ = dS K / sqrt d and dK = dS^T Q / sqrt d) are rounded to
     * bfloat16 before their products: a relative 2^-9 each, bounded here by 2^-8 times the sum of
     * the magnitudes of the product's terms (computed in double from the float32 reference's values).
     */
    public static double[] roundedProbabilityAllowance(float[] qkv, float[] out, float[] lse, float[] dout, int batch, int tokens, int heads, int hd) {
        int d = heads * hd, stride = 3 * d;
        double scale = 1 / Math.sqrt(hd), rel = Math.scalb(1.0, -8);
        double[] allow = new double[batch * tokens * stride];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++) {
                double[][] p = new double[tokens][tokens], ds = new double[tokens][tokens];
                for (int i = 0; i < tokens; i++) {
                    int qi = (b * tokens + i) * stride + h * hd, oi = (b * tokens + i) * d + h * hd;
                    double di = 0;
                    for (int c = 0; c < hd; c++) di += (double) dout[oi + c] * out[oi + c];
                    for (int j = 0; j < tokens; j++) {
                        int kj = (b * tokens + j) * stride + d + h * hd;
                        double sc = 0, dp = 0;
                        for (int c = 0; c < hd; c++) {
                            sc += (double) qkv[qi + c] * qkv[kj + c];
                            dp += (double) dout[oi + c] * qkv[kj + d + c];
                        }
                        p[i][j] = Math.exp(sc * scale - lse[(b * heads + h) * tokens + i]);
                        ds[i][j] = p[i][j] * (dp - di);
                    }
                }
                for (int i = 0; i < tokens; i++)
                    for (int c = 0; c < hd; c++) {
                        double dq = 0, dk = 0, dv = 0;
                        for (int j = 0; j < tokens; j++) {
                            dq += Math.abs(ds[i][j]) * Math.abs(qkv[(b * tokens + j) * stride + d + h * hd + c]);
                            dk += Math.abs(ds[j][i]) * Math.abs(qkv[(b * tokens + j) * stride + h * hd + c]);
                            dv += p[j][i] * Math.abs(dout[(b * tokens + j) * d + h * hd + c]);
                        }
                        int at = (b * tokens + i) * stride + h * hd + c;
                        allow[at] = rel * scale * dq;
                        allow[at + d] = rel * scale * dk;
                        allow[at + 2 * d] = rel * dv;
                    }
            }
        return allow;
    }

    private void assertNear(String what, float[] got, float[] want, double slack, boolean outputIsAct) {
        double[] w = new double[want.length];
        for (int i = 0; i < w.length; i++) w[i] = want[i];
        assertNear(what, got, w, slack, outputIsAct);
    }

    private float r(float v) {
        return bf16() ? Bf16.round(v) : v;
    }

    /** RoPE's cos and sin tables (tokens rows of hd, halves layout), as the model builds them. */
    public static float[][] ropeTables(int tokens, int hd) {
        float[] cos = new float[tokens * hd], sin = new float[tokens * hd];
        for (int t = 0; t < tokens; t++)
            for (int j = 0; j < hd / 2; j++) {
                double a = t * Math.pow(10000, -2.0 * j / hd);
                cos[t * hd + j] = cos[t * hd + j + hd / 2] = (float) Math.cos(a);
                sin[t * hd + j] = sin[t * hd + j + hd / 2] = (float) Math.sin(a);
            }
        return new float[][] {cos, sin};
    }

    // ---- the contract ---------------------------------------------------------------------------

    @Test
    void tensorsKnowTheirType() {
        assertEquals(act(), be.allocate(8, act()).dtype());
        assertEquals(act(), be.allocate(8, act()).slice(2, 3).dtype());
        assertEquals(DataType.FLOAT32, be.allocate(8).dtype());
        float[] v = {1.00390625f, 1.01171875f, -3.3f, 1e-3f};
        float[] got = get(act(v));
        for (int i = 0; i < v.length; i++) assertEquals(r(v[i]), got[i], 0f, "upload rounds to the tensor's type");
        assertEquals(1.0f, bf16() ? get(act(new float[] {1.001953125f}))[0] : 1.0f, 0f, "a tie rounds to even");
    }

    @Test
    void elementwiseAndRowCopies() {
        int n = 300, dim = 12;
        Tensor a = act(random(n, 3)), b = act(random(n, 3)), o = be.allocate(n, act());
        float[] av = get(a), bv = get(b);
        be.add(a, b, o);
        double[] sum = new double[n];
        for (int i = 0; i < n; i++) sum[i] = (double) av[i] + bv[i];
        assertNear("add", get(o), sum, 0, true);
        be.fill(o, 0.1f);
        for (float v : get(o)) assertEquals(r(0.1f), v, 0f, "fill");
        Tensor src32 = f32(random(n, 2));
        be.copy(src32, o);
        assertNear("copy float32 -> activations", get(o), get(src32), 0, true);

        Tensor z = be.allocate(4 * 3 * dim, act()), vec = f32(random(dim, 1));
        be.setSampleRows(z, new boolean[] {true, false, true, false}, 3, dim, vec);
        float[] zv = get(z), vv = get(vec);
        for (int s = 0; s < 4; s++)
            for (int rI = 0; rI < 3; rI++)
                for (int j = 0; j < dim; j++)
                    assertEquals(s % 2 == 0 ? r(vv[j]) : 0f, zv[(s * 3 + rI) * dim + j], 0f, "setSampleRows");

        Tensor rows = act(random(10 * dim, 1)), picked = be.allocate(3 * dim, act());
        be.gatherRows(rows, 1, 3, picked, 3, dim);
        float[] rv = get(rows), pv = get(picked);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < dim; j++) assertEquals(rv[(1 + 3 * i) * dim + j], pv[i * dim + j], 0f, "gatherRows");
        be.scatterAddRows(picked, rows, 0, 4, 3, dim);
        float[] after = get(rows);
        double[] want = new double[rv.length];
        for (int i = 0; i < rv.length; i++) want[i] = rv[i];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < dim; j++) want[(4 * i) * dim + j] += pv[i * dim + j];
        assertNear("scatterAddRows", after, want, 0, true);
    }

    @Test
    void linearLayers() {
        int rows = 45, in = 70, out = 38; // odd sizes: no kernel's blocking fits them exactly
        Tensor x = act(random(rows * in, 1)), w = f32(random(out * in, 0.2)), dy = act(random(rows * out, 1));
        float[] xv = get(x), wv = get(w), dyv = get(dy), w16 = wv.clone();
        if (bf16()) for (int i = 0; i < w16.length; i++) w16[i] = Bf16.round(w16[i]); // the products read the weight's bfloat16 copy
        Tensor y = be.allocate(rows * out, act());
        be.linear(x, w, y, rows, in, out);
        double[] ref = new double[rows * out];
        for (int i = 0; i < rows; i++)
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int k = 0; k < in; k++) s += (double) xv[i * in + k] * w16[o * in + k];
                ref[i * out + o] = s;
            }
        assertNear("linear", get(y), ref, 1e-6, true);

        Tensor dx = be.allocate(rows * in, act());
        be.linearBackwardInput(dy, w, dx, rows, in, out, false);
        double[] refDx = new double[rows * in];
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < in; k++) {
                double s = 0;
                for (int o = 0; o < out; o++) s += (double) dyv[i * out + o] * w16[o * in + k];
                refDx[i * in + k] = s;
            }
        assertNear("linear dX", get(dx), refDx, 1e-6, true);
        float[] dxv = get(dx);
        be.linearBackwardInput(dy, w, dx, rows, in, out, true);
        double[] twice = new double[refDx.length];
        for (int i = 0; i < twice.length; i++) twice[i] = dxv[i] + refDx[i];
        assertNear("linear dX accumulated", get(dx), twice, 1e-6, true);

        Tensor dw = be.allocate(out * in);
        be.linearBackwardWeight(dy, x, dw, rows, in, out, false);
        double[] refDw = new double[out * in];
        for (int o = 0; o < out; o++)
            for (int k = 0; k < in; k++) {
                double s = 0;
                for (int i = 0; i < rows; i++) s += (double) dyv[i * out + o] * xv[i * in + k];
                refDw[o * in + k] = s;
            }
        assertNear("linear dW (float32)", get(dw), refDw, 1e-6, false);
        be.linearBackwardWeight(dy, x, dw, rows, in, out, true);
        for (int i = 0; i < refDw.length; i++) refDw[i] *= 2;
        assertNear("linear dW accumulated", get(dw), refDw, 1e-6, false);

        // the weight's copy follows the master weight when it changes
        float[] w2 = random(out * in, 0.2);
        be.upload(w2, 0, w);
        be.linear(x, w, y, rows, in, out);
        for (int i = 0; i < rows; i++)
            for (int o = 0; o < out; o++) {
                double s = 0;
                for (int k = 0; k < in; k++) s += (double) xv[i * in + k] * r(w2[o * in + k]);
                ref[i * out + o] = s;
            }
        assertNear("linear after the weight changed", get(y), ref, 1e-6, true);
        be.linearBackwardInput(dy, w, dx, rows, in, out, false); // the input gradient reads the same weight (through another copy, on another path)
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < in; k++) {
                double s = 0;
                for (int o = 0; o < out; o++) s += (double) dyv[i * out + o] * r(w2[o * in + k]);
                refDx[i * in + k] = s;
            }
        assertNear("linear dX after the weight changed", get(dx), refDx, 1e-6, true);
    }

    @Test
    void biasAddOnceRounded() {
        int rows = 5, n = 7;
        Tensor acc = be.allocate(rows * n), b = f32(random(n, 1));
        float[] yv = random(rows * n, 1);
        be.upload(yv, 0, acc);
        be.addBias(acc, b, rows, n);
        float[] bv = get(b);
        double[] want = new double[rows * n];
        for (int i = 0; i < want.length; i++) want[i] = (double) yv[i] + bv[i % n];
        assertNear("addBias into float32", get(acc), want, 0, false);
        Tensor db = be.allocate(n), dy = act(random(rows * n, 1));
        be.biasBackward(dy, db, rows, n, false);
        float[] dyv = get(dy);
        double[] sum = new double[n];
        for (int i = 0; i < rows * n; i++) sum[i % n] += dyv[i];
        assertNear("biasBackward", get(db), sum, 1e-6, false);
    }

    @Test
    void addRmsNormRoundsTheSumThenTheNorm() {
        int rows = 9, dim = 48;
        float eps = 1e-5f;
        Tensor x = act(random(rows * dim, 2)), res = act(random(rows * dim, 2)), y = be.allocate(rows * dim, act()), rstd = be.allocate(rows);
        be.addRmsNorm(x, res, y, rstd, rows, dim, eps);
        float[] xv = get(x), rv = get(res);
        double[] want = new double[rows * dim];
        for (int i = 0; i < rows; i++) {
            double ss = 0;
            float[] s = new float[dim];
            for (int j = 0; j < dim; j++) {
                s[j] = r(xv[i * dim + j] + rv[i * dim + j]); // the reference's residual add is in the activations' type
                ss += (double) s[j] * s[j];
            }
            double inv = 1 / Math.sqrt(ss / dim + eps);
            for (int j = 0; j < dim; j++) want[i * dim + j] = s[j] * inv;
        }
        assertNear("addRmsNorm", get(y), want, 1e-6, true);

        Tensor dy = act(random(rows * dim, 1)), dx = be.allocate(rows * dim, act());
        be.rmsNormBackward(dy, y, rstd, dx, rows, dim);
        CpuBackend f = reference;
        Tensor fdx = f.allocate(rows * dim);
        f.rmsNormBackward(ref(f, get(dy)), ref(f, get(y)), ref(f, get(rstd)), fdx, rows, dim);
        assertNear("rmsNormBackward", get(dx), get(f, fdx), 1e-6, true);
    }

    @Test
    void ropeAttentionAndTheirBackwards() {
        int batch = 2, tokens = 11, heads = 2, hd = 8, d = heads * hd;
        float[][] rot = ropeTables(tokens, hd);
        float[] cos = rot[0], sin = rot[1];
        CpuBackend f = reference;
        Tensor qkv = act(random(batch * tokens * 3 * d, 1));
        Tensor fq = ref(f, get(qkv));
        be.rope(qkv, f32(cos), f32(sin), batch, tokens, heads, hd, false);
        f.rope(fq, ref(f, cos), ref(f, sin), batch, tokens, heads, hd, false);
        assertNear("rope", get(qkv), get(f, fq), 1e-6, true);

        Tensor out = be.allocate(batch * tokens * d, act()), lse = be.allocate(batch * heads * tokens);
        be.attention(qkv, out, lse, batch, tokens, heads, hd);
        fq = ref(f, get(qkv));
        Tensor fo = f.allocate(batch * tokens * d), fl = f.allocate(batch * heads * tokens);
        f.attention(fq, fo, fl, batch, tokens, heads, hd);
        // With bfloat16 activations a backend may round the soft-max probabilities to bfloat16 for the PV
        // product, as flash-attn does: each output may then be off by 2^-8 of sum_j p_j |v_j| <= max |v|.
        float[] want = get(f, fo), vq = get(qkv);
        double maxV = 0, maxOut = 1e-30;
        for (int r = 0; r < batch * tokens; r++)
            for (int c = 0; c < d; c++) maxV = Math.max(maxV, Math.abs(vq[r * 3 * d + 2 * d + c]));
        for (float w : want) maxOut = Math.max(maxOut, Math.abs(w));
        assertNear("attention", get(out), want, bf16() ? Math.scalb(maxV, -8) / maxOut : 1e-6, true);
        assertNear("attention lse (float32)", get(lse), get(f, fl), 1e-6, false);

        Tensor dout = act(random(batch * tokens * d, 1)), dqkv = be.allocate(batch * tokens * 3 * d, act());
        be.attentionBackward(qkv, out, lse, dout, dqkv, batch, tokens, heads, hd);
        Tensor fdq = f.allocate(batch * tokens * 3 * d);
        f.attentionBackward(fq, ref(f, get(out)), ref(f, get(lse)), ref(f, get(dout)), fdq, batch, tokens, heads, hd);
        float[] wantD = get(f, fdq);
        if (bf16()) { // a backend may round P and dS to bfloat16 for the backward's products, as flash-attn does
            double[] allow = roundedProbabilityAllowance(get(f, fq), get(f, fo), get(f, fl), get(dout), batch, tokens, heads, hd);
            assertNear("attention backward", get(dqkv), wantD, allow, true);
        } else {
            assertNear("attention backward", get(dqkv), wantD, 1e-5, true);
        }

        Tensor back = ref(f, get(dqkv));
        be.rope(dqkv, f32(cos), f32(sin), batch, tokens, heads, hd, true);
        f.rope(back, ref(f, cos), ref(f, sin), batch, tokens, heads, hd, true);
        assertNear("rope backward", get(dqkv), get(f, back), 1e-6, true);
    }

    @Test
    void swigluAsTheReferenceComputesIt() {
        int rows = 6, inner = 37;
        Tensor gu = act(random(rows * 2 * inner, 2)), s = be.allocate(rows * inner, act());
        be.swiglu(gu, s, rows, inner);
        float[] g = get(gu);
        double[] want = new double[rows * inner];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < inner; j++) {
                float x = g[i * 2 * inner + j], u = g[i * 2 * inner + inner + j];
                // bfloat16: PyTorch 1.13's CPU silu evaluates x / (1 + exp(-x)) in bfloat16, then a bfloat16 product
                want[i * inner + j] = bf16() ? r(r(x / r(1 + r((float) Math.exp(-x)))) * u) : x / (1 + Math.exp(-x)) * u;
            }
        assertNear("swiglu", get(s), want, 1e-6, true);

        Tensor ds = act(random(rows * inner, 1)), dgu = be.allocate(rows * 2 * inner, act());
        be.swigluBackward(gu, ds, dgu, rows, inner);
        float[] dv = get(ds);
        double[] wantG = new double[rows * 2 * inner];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < inner; j++) {
                float x = g[i * 2 * inner + j], u = g[i * 2 * inner + inner + j], d = dv[i * inner + j];
                double du, dg;
                if (bf16()) {
                    float den = r(1 + r((float) Math.exp(-x))), sig = r(1 / den), a = r(d * u);
                    du = r(d * r(x / den));
                    dg = r(r(a * sig) * r(1 + r(x * r(1 - sig))));
                } else {
                    double sig = 1 / (1 + Math.exp(-x));
                    du = d * x * sig;
                    dg = d * u * sig * (1 + x * (1 - sig));
                }
                wantG[i * 2 * inner + j] = dg;
                wantG[i * 2 * inner + inner + j] = du;
            }
        assertNear("swiglu backward", get(dgu), wantG, 1e-6, true);
    }

    /** A compact tensor (Backend.allocateCompact) holding v, rounded to its type by the upload. */
    private Tensor compact(float[] v) {
        Tensor t = be.allocateCompact(v.length, act());
        be.upload(v, 0, t);
        return t;
    }

    @Test
    void compactTensorsHoldTheSameValues() {
        float[] v = random(37, 3);
        Tensor c = compact(v), plain = act(v);
        assertEquals(act(), c.dtype());
        assertEquals(37, c.size());
        assertArrayEquals(get(plain), get(c), "upload then download");
        assertArrayEquals(java.util.Arrays.copyOfRange(get(plain), 5, 17), get(c.slice(5, 12)), "a slice is a view");
        Tensor c2 = be.allocateCompact(37, act());
        be.copy(c, c2);
        assertArrayEquals(get(plain), get(c2), "compact to compact");
        Tensor back = be.allocate(37, act());
        be.copy(c2, back);
        assertArrayEquals(get(plain), get(back), "compact to plain");
        be.copy(f32(v), c2);
        assertArrayEquals(get(plain), get(c2), "float32 to compact rounds as to plain");
        be.fill(c2.slice(3, 4), 1.3f);
        float[] filled = get(c2);
        for (int i = 0; i < 37; i++) assertEquals(i >= 3 && i < 7 ? r(1.3f) : get(plain)[i], filled[i], 0f, "fill [" + i + "]");
        float[] zeros = get(be.allocateCompact(9, act()));
        for (float z : zeros) assertEquals(0f, z, 0f, "allocated zero-filled");
    }

    /**
     * The MLP's interior as the model runs it, its tensors compact (as BlockActivations allocates
     * them) and plain: every output bit for bit the same.
     */
    @Test
    void productsAndSwigluOnCompactTensorsAreBitForBitThePlainOnes() {
        int rows = 45, dim = 70, inner = 29; // odd sizes: no kernel's blocking fits them exactly
        float[] hv = random(rows * dim, 1), drv = random(rows * dim, 1), dhv = random(rows * dim, 1);
        Tensor wGu = f32(random(2 * inner * dim, 0.2)), wDown = f32(random(dim * inner, 0.2));
        float[][] compactRun = mlpInterior(true, hv, drv, dhv, wGu, wDown, rows, dim, inner);
        float[][] plainRun = mlpInterior(false, hv, drv, dhv, wGu, wDown, rows, dim, inner);
        String[] names = {"gate/up", "silu(g) * u", "down", "ds", "dgu", "dW gate/up", "dh (accumulated)", "dW down", "ds accumulated"};
        for (int i = 0; i < names.length; i++) assertArrayEquals(plainRun[i], compactRun[i], names[i]);
    }

    private float[][] mlpInterior(boolean compactOnes, float[] hv, float[] drv, float[] dhv, Tensor wGu, Tensor wDown, int rows, int dim, int inner) {
        java.util.function.IntFunction<Tensor> mk = n -> compactOnes ? be.allocateCompact(n, act()) : be.allocate(n, act());
        Tensor h = act(hv), dr = act(drv), dh = act(dhv);
        Tensor gu = mk.apply(rows * 2 * inner), s = mk.apply(rows * inner), ds = mk.apply(rows * inner), dgu = mk.apply(rows * 2 * inner);
        Tensor down = be.allocate(rows * dim, act()), dwGu = be.allocate(2 * inner * dim), dwDown = be.allocate(dim * inner);
        be.linear(h, wGu, gu, rows, dim, 2 * inner);
        be.swiglu(gu, s, rows, inner);
        be.linear(s, wDown, down, rows, inner, dim);
        be.linearBackwardInput(dr, wDown, ds, rows, inner, dim, false);
        float[] dsv = get(ds);
        be.swigluBackward(gu, ds, dgu, rows, inner);
        be.linearBackwardWeight(dgu, h, dwGu, rows, dim, 2 * inner, false);
        be.linearBackwardInput(dgu, wGu, dh, rows, dim, 2 * inner, true);
        be.linearBackwardWeight(dr, s, dwDown, rows, inner, dim, false);
        be.linearBackwardInput(dr, wDown, ds, rows, inner, dim, true); // into a compact output too
        return new float[][] {get(gu), get(s), get(down), dsv, get(dgu), get(dwGu), get(dh), get(dwDown), get(ds)};
    }

    /**
     * The rest of a block's operations on compact tensors (norms, RoPE, attention, transposes; several
     * attention calls' worth of samples so that a backend staging a group of samples at a time meets
     * more than one group): bit for bit what the plain tensors give.
     */
    @Test
    void normsRopeAttentionAndTransposesOnCompactTensorsAreBitForBitThePlainOnes() {
        int batch = 7, tokens = 13, heads = 2, hd = 8, d = heads * hd, rows = batch * tokens;
        float[][] rot = ropeTables(tokens, hd);
        float[] cos = rot[0], sin = rot[1];
        float[] xv = random(rows * d, 1), rv = random(rows * d, 1), qv = random(rows * 3 * d, 1), dv = random(rows * d, 1);
        float[][] plain = blockOps(false, xv, rv, qv, dv, cos, sin, batch, tokens, heads, hd);
        float[][] compact = blockOps(true, xv, rv, qv, dv, cos, sin, batch, tokens, heads, hd);
        String[] names = {"addRmsNorm", "rstd", "addRmsNorm in place from a compact x", "rmsNormBackward", "rope",
                "attention", "lse", "attention backward", "transpose", "transpose back", "rope backward"};
        for (int i = 0; i < names.length; i++) assertArrayEquals(plain[i], compact[i], names[i]);
    }

    private float[][] blockOps(boolean compactOnes, float[] xv, float[] rv, float[] qv, float[] dv, float[] cos, float[] sin,
                               int batch, int tokens, int heads, int hd) {
        java.util.function.Function<float[], Tensor> in = v -> compactOnes ? compact(v) : act(v);
        int d = heads * hd, rows = batch * tokens;
        Tensor x = in.apply(xv), r = act(rv), h = compactOnes ? be.allocateCompact(rows * d, act()) : be.allocate(rows * d, act());
        Tensor rstd = be.allocate(rows), rstd2 = be.allocate(rows);
        be.addRmsNorm(x, r, h, rstd, rows, d, 1e-5f);
        float[] hv = get(h);
        be.addRmsNorm(h, r, h, rstd2, rows, d, 1e-5f); // y is x itself
        Tensor dx = act(dv);
        be.rmsNormBackward(dx, x, rstd, dx, rows, d); // y compact, dx aliasing dy
        Tensor qkv = in.apply(qv);
        be.rope(qkv, f32(cos), f32(sin), batch, tokens, heads, hd, false);
        Tensor out = compactOnes ? be.allocateCompact(rows * d, act()) : be.allocate(rows * d, act()), lse = be.allocate(batch * heads * tokens);
        be.attention(qkv, out, lse, batch, tokens, heads, hd);
        Tensor dout = act(dv), dqkv = be.allocate(rows * 3 * d, act());
        be.attentionBackward(qkv, out, lse, dout, dqkv, batch, tokens, heads, hd);
        Tensor t = compactOnes ? be.allocateCompact(rows * d, act()) : be.allocate(rows * d, act());
        be.transpose(out, t, batch, tokens, d);
        Tensor back = compactOnes ? be.allocateCompact(rows * d, act()) : be.allocate(rows * d, act());
        be.transpose(t, back, batch, d, tokens);
        be.rope(qkv, f32(cos), f32(sin), batch, tokens, heads, hd, true);
        return new float[][] {hv, get(rstd), get(h), get(dx), get(qkv), get(out), get(lse), get(dqkv), get(t), get(back), get(qkv)};
    }

    @Test
    void embeddingsRoundWhereTheReferenceDoes() {
        int batch = 2, seq = 5, pt = 2, dim = 8, puzzleDim = 12, vocab = 6, T = seq + pt;
        float scale = (float) Math.sqrt(512), posScale = 0.707106781f; // sqrt(512) is not a bfloat16 value
        Tensor table = f32(random(vocab * dim, 1)), puzzle = f32(random(batch * puzzleDim, 1)), pos = f32(random(T * dim, 1));
        int[] tokens = new int[batch * seq];
        for (int i = 0; i < tokens.length; i++) tokens[i] = rng.nextInt(vocab);
        Tensor pz = be.allocate(batch * puzzleDim, act());
        be.gatherTableRows(puzzle, new int[] {0, 1}, pz, puzzleDim);
        Tensor out = be.allocate(batch * T * dim, act());
        be.embedInputs(tokens, table, pz, puzzleDim, pos, out, batch, seq, pt, dim, posScale, scale);
        float[] tv = get(table), pv = get(pz), posv = get(pos);
        double[] want = new double[batch * T * dim];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < T; t++)
                for (int j = 0; j < dim; j++) {
                    int k = t * dim + j;
                    float e = t < pt ? (k < puzzleDim ? pv[b * puzzleDim + k] : 0f) : r(tv[tokens[b * seq + t - pt] * dim + j]);
                    // bfloat16: PyTorch 1.13 casts a Python scalar to the tensor's type before multiplying
                    float sum = bf16() ? r(r(posScale) * r(e + r(posv[t * dim + j]))) : posScale * (e + posv[t * dim + j]);
                    want[(b * T + t) * dim + j] = bf16() ? r(r(scale) * sum) : (double) scale * sum;
                }
        assertNear("embedInputs", get(out), want, 1e-7, true);

        Tensor dOut = act(random(batch * T * dim, 1));
        Tensor dTable = be.allocate(vocab * dim), dPuzzle = be.allocate(batch * puzzleDim), dPos = be.allocate(T * dim);
        be.embedInputsBackward(dOut, tokens, dTable, dPuzzle, puzzleDim, dPos, batch, seq, pt, dim, posScale, scale);
        float[] dv = get(dOut);
        double[] wTable = new double[vocab * dim], wPuzzle = new double[batch * puzzleDim], wPos = new double[T * dim];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < T; t++)
                for (int j = 0; j < dim; j++) {
                    float d = dv[(b * T + t) * dim + j];
                    double g = bf16() ? r(r(posScale) * r(r(scale) * d)) : (double) (scale * posScale) * d;
                    wPos[t * dim + j] += g;
                    int k = t * dim + j;
                    if (t < pt) { if (k < puzzleDim) wPuzzle[b * puzzleDim + k] = g; }
                    else wTable[tokens[b * seq + t - pt] * dim + j] += g;
                }
        assertNear("embedInputsBackward: table", get(dTable), wTable, 1e-6, false);
        assertNear("embedInputsBackward: puzzle rows", get(dPuzzle), wPuzzle, 1e-6, false);
        assertNear("embedInputsBackward: positions", get(dPos), wPos, 1e-6, false);
    }

    @Test
    void optimisersWorkOnFloat32Masters() {
        int n = 100;
        float[] p0 = random(n, 1), g = random(n, 1);
        Tensor p = f32(p0), gr = f32(g), m = be.allocate(n), v = be.allocate(n);
        be.adamATan2(p, gr, m, v, 1e-2f, 0.1f, 0.9f, 0.95f, 1e-2f, 0.3f);
        CpuBackend f = reference;
        Tensor fp = ref(f, p0), fm = f.allocate(n), fv = f.allocate(n);
        f.adamATan2(fp, ref(f, g), fm, fv, 1e-2f, 0.1f, 0.9f, 0.95f, 1e-2f, 0.3f);
        assertNear("adamATan2", get(p), get(f, fp), 0, false);
        for (float x : get(p)) assertTrue(x == x, "finite");
        int dim = 4;
        Tensor table = f32(random(3 * dim, 1)), rowGrads = act(random(2 * dim, 1));
        float[] before = get(table), rg = get(rowGrads);
        be.signSgdRows(table, new int[] {2, 2}, rowGrads, dim, 0.1f, 0.5f);
        float[] after = get(table);
        for (int k = 0; k < dim; k++) {
            float want = before[2 * dim + k] * (1 - 0.1f * 0.5f) - 0.1f * Math.signum(rg[k] + rg[dim + k]);
            assertEquals(want, after[2 * dim + k], 1e-6f, "signSgdRows sums rows of one id");
            assertEquals(before[k], after[k], 0f, "untouched rows stay");
        }
    }

    @Test
    void transposeMovesEveryElementOnce() {
        int batch = 3, rows = 37, cols = 21; // not multiples of the kernel's tile
        float[] x = random(batch * rows * cols, 1);
        Tensor src = act(x), dst = be.allocate(x.length, act()), back = be.allocate(x.length, act());
        float[] held = get(src);
        be.transpose(src, dst, batch, rows, cols);
        float[] t = get(dst);
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    assertEquals(held[(b * rows + i) * cols + j], t[(b * cols + j) * rows + i], 0f, "transpose [" + b + "," + i + "," + j + "]");
        be.transpose(dst, back, batch, cols, rows);
        assertNear("transpose twice", get(back), held, 0, true);
        Tensor f = f32(x), fb = be.allocate(x.length, act());
        be.transpose(f, fb, batch, rows, cols); // float32 into the activations' type: rounded once
        float[] ft = get(fb);
        for (int i = 0; i < rows; i++) assertEquals(r(x[i * cols]), ft[i], 0f, "transpose of float32 into " + act());
    }

    @Test
    void emaUpdateIsTwoProductsAndASum() {
        int n = 101;
        float[] p0 = random(n, 1), s0 = random(n, 1);
        Tensor p = f32(p0), sh = f32(s0);
        float a = (float) (1.0 - 0.999), mu = 0.999f;
        be.emaUpdate(sh, p, a, mu);
        float[] got = get(sh);
        for (int i = 0; i < n; i++) assertEquals(a * p0[i] + mu * s0[i], got[i], 0f, "emaUpdate [" + i + "], float32 without fma");
        assertEquals(DataType.FLOAT32, sh.dtype(), "the shadow is a float32 master");
    }
}
