package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** s = silu(g) * u over rows [g | u], and its backward. */
final class SwiGlu {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** bfloat16 rounding is written out in the vector loops as t = v * C, v = t - (t - v) (see Bf16.round). */
    private static final float C = Bf16.SPLIT;

    private SwiGlu() {}

    static void forward(float[] gu, int guo, float[] s, int so, int from, int to, int inner) {
        int bound = S.loopBound(inner);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int row = from; row < to; row++) {
            int g0 = guo + row * 2 * inner, u0 = g0 + inner, s0 = so + row * inner;
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector g = FloatVector.fromArray(S, gu, g0 + i);
                FloatVector sig = VectorExp.sigmoid(g);
                g.mul(sig).mul(FloatVector.fromArray(S, gu, u0 + i)).intoArray(s, s0 + i);
            }
            for (; i < inner; i++) {
                float g = gu[g0 + i];
                float sig = (float) (1.0 / (1.0 + Math.exp(-g)));
                s[s0 + i] = g * sig * gu[u0 + i];
            }
        }
    }

    /** dg = ds * u * sig * (1 + g * (1 - sig)), du = ds * g * sig. */
    static void backward(float[] gu, int guo, float[] ds, int dso, float[] dgu, int dgo, int from, int to, int inner) {
        int bound = S.loopBound(inner);
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int row = from; row < to; row++) {
            int g0 = guo + row * 2 * inner, u0 = g0 + inner, d0 = dso + row * inner;
            int dg0 = dgo + row * 2 * inner, du0 = dg0 + inner;
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector g = FloatVector.fromArray(S, gu, g0 + i);
                FloatVector u = FloatVector.fromArray(S, gu, u0 + i);
                FloatVector d = FloatVector.fromArray(S, ds, d0 + i);
                FloatVector sig = VectorExp.sigmoid(g);
                FloatVector silu = g.mul(sig);
                d.mul(silu).intoArray(dgu, du0 + i);
                FloatVector dsilu = sig.mul(one.add(g.mul(one.sub(sig))));
                d.mul(u).mul(dsilu).intoArray(dgu, dg0 + i);
            }
            for (; i < inner; i++) {
                float g = gu[g0 + i], u = gu[u0 + i], d = ds[d0 + i];
                float sig = (float) (1.0 / (1.0 + Math.exp(-g)));
                dgu[du0 + i] = d * g * sig;
                dgu[dg0 + i] = d * u * (sig * (1f + g * (1f - sig)));
            }
        }
    }

    /**
     * The bfloat16 forward, as the reference's bfloat16 ops compute it (PyTorch 1.13 on a CPU
     * evaluates silu's formula x / (1 + exp(-x)) in bfloat16, rounding after each operation):
     * s = r(silu16(g) * u), silu16(g) = r(g / r(1 + r(exp(-g)))), r rounding to bfloat16.
     * One method per row keeps each compiled loop small enough for C2 to keep every vector in
     * registers (a larger one passes its inlining node budget and boxes them).
     */
    static void forwardBf16(float[] gu, int guo, float[] s, int so, int from, int to, int inner) {
        for (int row = from; row < to; row++) forwardRowBf16(gu, guo + row * 2 * inner, s, so + row * inner, inner);
    }

    static void forwardRowBf16(float[] gu, int g0, float[] s, int s0, int inner) {
        denominators(gu, g0, s, s0, inner); // s holds r(1 + r(exp(-g))) until the second pass
        int bound = S.loopBound(inner);
        siluTimesUp(gu, g0, g0 + inner, s, s0, bound);
        for (int i = bound; i < inner; i++) s[s0 + i] = Bf16.round(Bf16.round(gu[g0 + i] / s[s0 + i]) * gu[g0 + inner + i]);
    }

    /** s = r(r(g / den) * u) over [0, n), den read from s; n a multiple of the vector length. */
    private static void siluTimesUp(float[] gu, int g0, int u0, float[] s, int s0, int n) {
        for (int i = 0; i < n; i += S.length()) {
            FloatVector g = FloatVector.fromArray(S, gu, g0 + i);
            FloatVector den = FloatVector.fromArray(S, s, s0 + i);
            FloatVector silu = g.div(den), t = silu.mul(C);
            silu = t.sub(t.sub(silu));
            FloatVector out = silu.mul(FloatVector.fromArray(S, gu, u0 + i));
            t = out.mul(C);
            t.sub(t.sub(out)).intoArray(s, s0 + i);
        }
    }

    /**
     * den[i] = r(1 + r(exp(-g[i]))), the bfloat16 denominator of silu and sigmoid; a pass of its own
     * so that the exponential and the later roundings do not share one compiled loop.
     */
    static void denominators(float[] gu, int g0, float[] den, int d0, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector e = VectorExp.exp(FloatVector.fromArray(S, gu, g0 + i).neg()), t = e.mul(C);
            FloatVector sum = one.add(t.sub(t.sub(e)));
            t = sum.mul(C);
            t.sub(t.sub(sum)).intoArray(den, d0 + i);
        }
        for (; i < n; i++) den[d0 + i] = Bf16.round(1f + Bf16.round((float) Math.exp(-gu[g0 + i])));
    }

    /**
     * The bfloat16 backward, as the reference's bfloat16 autograd computes it (each operation
     * rounded): du = r(ds * silu16(g)), a = r(ds * u), sig16 = r(1 / r(1 + r(exp(-g)))),
     * dg = r(r(a * sig16) * r(1 + r(g * r(1 - sig16)))).
     */
    static void backwardBf16(float[] gu, int guo, float[] ds, int dso, float[] dgu, int dgo, int from, int to, int inner) {
        for (int row = from; row < to; row++)
            backwardRowBf16(gu, guo + row * 2 * inner, ds, dso + row * inner, dgu, dgo + row * 2 * inner, inner);
    }

    static void backwardRowBf16(float[] gu, int g0, float[] ds, int d0, float[] dgu, int dg0, int inner) {
        int u0 = g0 + inner, du0 = dg0 + inner, bound = S.loopBound(inner);
        denominators(gu, g0, dgu, du0, inner); // the du half holds the denominators until it is written
        upAndSigmoid(gu, g0, ds, d0, dgu, dg0, du0, bound);
        gate(gu, g0, u0, ds, d0, dgu, dg0, bound);
        for (int i = bound; i < inner; i++) {
            float g = gu[g0 + i], u = gu[u0 + i], d = ds[d0 + i], den = dgu[du0 + i];
            dgu[du0 + i] = Bf16.round(d * Bf16.round(g / den));
            float s16 = Bf16.round(1f / den), a = Bf16.round(d * u);
            dgu[dg0 + i] = Bf16.round(Bf16.round(a * s16) * Bf16.round(1f + Bf16.round(g * Bf16.round(1f - s16))));
        }
    }

    /** du = r(ds * r(g / den)) over the den the du slots hold; the dg slots get sig16 = r(1 / den) for {@link #gate}. */
    private static void upAndSigmoid(float[] gu, int g0, float[] ds, int d0, float[] dgu, int dg0, int du0, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < n; i += S.length()) {
            FloatVector den = FloatVector.fromArray(S, dgu, du0 + i);
            FloatVector silu = FloatVector.fromArray(S, gu, g0 + i).div(den), t = silu.mul(C);
            silu = t.sub(t.sub(silu));
            FloatVector du = FloatVector.fromArray(S, ds, d0 + i).mul(silu);
            t = du.mul(C);
            t.sub(t.sub(du)).intoArray(dgu, du0 + i);
            FloatVector sig = one.div(den);
            t = sig.mul(C);
            t.sub(t.sub(sig)).intoArray(dgu, dg0 + i);
        }
    }

    /** dg = r(r(r(ds * u) * sig16) * r(1 + r(g * r(1 - sig16)))), sig16 read from the dg slots. */
    private static void gate(float[] gu, int g0, int u0, float[] ds, int d0, float[] dgu, int dg0, int n) {
        for (int i = 0; i < n; i += S.length())
            gateGradient(FloatVector.fromArray(S, ds, d0 + i), FloatVector.fromArray(S, gu, u0 + i), FloatVector.fromArray(S, gu, g0 + i),
                    FloatVector.fromArray(S, dgu, dg0 + i)).intoArray(dgu, dg0 + i);
    }

    /**
     * r(r(r(d * u) * s16) * r(1 + r(g * r(1 - s16)))): the gate's gradient as the reference's bfloat16
     * autograd computes it, shared by the float-row and 2-byte-row kernels ({@link SwiGlu16}). Always
     * inlined (bin/jit-commands): vectors passed to a call that is not get boxed.
     */
    static FloatVector gateGradient(FloatVector d, FloatVector u, FloatVector g, FloatVector s16) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector a = d.mul(u), t = a.mul(C);
        a = t.sub(t.sub(a));                    // r(ds * u)
        FloatVector c = one.sub(s16);
        t = c.mul(C);
        c = g.mul(t.sub(t.sub(c)));             // g * r(1 - sig)
        t = c.mul(C);
        c = one.add(t.sub(t.sub(c)));           // 1 + r(...)
        t = c.mul(C);
        c = t.sub(t.sub(c));                    // the tail, rounded
        FloatVector p = a.mul(s16);
        t = p.mul(C);
        p = t.sub(t.sub(p)).mul(c);
        t = p.mul(C);
        return t.sub(t.sub(p));
    }
}
