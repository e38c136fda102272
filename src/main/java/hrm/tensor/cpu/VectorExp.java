package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x and sigmoid on vectors from exactly specified operations (fma, mul, add, bit moves), so the
 * result is the same bit for bit whether the JIT has compiled the caller or not. The library's
 * {@code lanewise(EXP)} is not: the interpreter's fallback and the compiled intrinsic round
 * differently, which made a run's first steps differ from the same steps later in the process.
 *
 * <p>The exp is Cephes expf, about 1-2 ulp: 2^n * p(r), r = x - n ln2 in [-ln2/2, ln2/2]; exactly 0
 * below -87.34 (including -inf), and inputs are clamped at 88.37 (e^88.37 ~ 2.4e38, still finite).
 */
final class VectorExp {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final float EXP_LO = -87.33654f;
    private static final float EXP_HI = 88.37626f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private VectorExp() {}

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    static FloatVector exp(FloatVector x) {
        // compare + blend rather than max(): Java's max semantics (NaN, -0.0) cost extra instructions
        VectorMask<Float> under = x.compare(VectorOperators.LT, EXP_LO);
        FloatVector xc = x.blend(EXP_LO, under);
        xc = xc.blend(EXP_HI, xc.compare(VectorOperators.GT, EXP_HI));
        FloatVector t = xc.fma(bc(LOG2E), bc(MAGIC));
        FloatVector n = t.sub(MAGIC);
        FloatVector r = n.fma(bc(-LN2_HI), xc);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector p = r.fma(bc(P0), bc(P1));
        p = p.fma(r, bc(P2));
        p = p.fma(r, bc(P3));
        p = p.fma(r, bc(P4));
        p = p.fma(r, bc(P5));
        FloatVector r2 = r.mul(r);
        p = p.fma(r2, r).add(1f);
        // Multiply by 2^n by adding n to the exponent field: t's bits are those of 1.5*2^23 + n,
        // and shifting them left by 23 leaves exactly n << 23.
        IntVector e = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
        return p.reinterpretAsInts().add(e).reinterpretAsFloats().blend(0f, under);
    }

    /** 1 / (1 + e^-g). */
    static FloatVector sigmoid(FloatVector g) {
        FloatVector one = bc(1f);
        return one.div(one.add(exp(g.neg())));
    }

    private static final float TAN_PI_8 = 0.41421356237f;
    private static final float PI_2 = 1.57079632679f, PI_4 = 0.78539816339f;
    private static final float A0 = 8.05374449538e-2f, A1 = -1.38776856032e-1f, A2 = 1.99777106478e-1f, A3 = -3.33329491539e-1f;

    /**
     * atan2(y, x) for x &gt;= 0 (AdamATan2's denominator is a square root), Cephes atanf on
     * t = min(|y|, x) / max(|y|, x): about 2 ulp. {@link #atan2(float, float)} does the same
     * operations in the same order, so a vector lane and a scalar tail element agree bit for bit.
     */
    static FloatVector atan2(FloatVector y, FloatVector x) {
        FloatVector a = y.abs();
        FloatVector hi = a.max(x), lo = a.min(x);
        FloatVector t = lo.div(hi);
        t = t.blend(0f, hi.compare(VectorOperators.EQ, 0f));
        VectorMask<Float> big = t.compare(VectorOperators.GT, TAN_PI_8);
        FloatVector u = t.blend(t.sub(1f).div(t.add(1f)), big);
        FloatVector z = u.mul(u);
        FloatVector p = z.fma(bc(A0), bc(A1));
        p = p.fma(z, bc(A2));
        p = p.fma(z, bc(A3));
        FloatVector r = p.mul(z).fma(u, u);
        r = r.blend(r.add(PI_4), big);
        r = r.blend(bc(PI_2).sub(r), a.compare(VectorOperators.GT, x));
        return r.blend(r.neg(), y.compare(VectorOperators.LT, 0f));
    }

    static float atan2(float y, float x) {
        float a = Math.abs(y);
        float hi = Math.max(a, x), lo = Math.min(a, x);
        float t = hi == 0f ? 0f : lo / hi;
        boolean big = t > TAN_PI_8;
        float u = big ? (t - 1f) / (t + 1f) : t;
        float z = u * u;
        float p = Math.fma(z, A0, A1);
        p = Math.fma(p, z, A2);
        p = Math.fma(p, z, A3);
        float r = Math.fma(p * z, u, u);
        if (big) r = r + PI_4;
        if (a > x) r = PI_2 - r;
        return y < 0f ? -r : r;
    }

    /** Sum of the lanes in lane order: reduceLanes(ADD) leaves the order to the implementation. */
    static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }
}
