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

    /** Sum of the lanes in lane order: reduceLanes(ADD) leaves the order to the implementation. */
    static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) s += v.lane(i);
        return s;
    }
}
