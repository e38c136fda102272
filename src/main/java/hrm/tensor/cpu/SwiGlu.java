package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** s = silu(g) * u over rows [g | u], and its backward. */
final class SwiGlu {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
}
