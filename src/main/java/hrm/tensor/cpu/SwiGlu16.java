package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link SwiGlu}'s bfloat16 forward and backward on 2-byte rows ({@link Bf16Tensor}): the same
 * operations in the same order, each value widened as it is loaded and rounded as it is stored, so
 * the same bits. Staging the rows instead (widen, the float kernel, pack) took 1.8x as long as the
 * float kernel on the same rows; these take the same time. Offsets are in bytes; each row's
 * intermediate values (the denominators, the sigmoid) go to float rows of the worker's.
 */
final class SwiGlu16 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final VectorSpecies<Short> H = VectorSpecies.of(short.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort BF = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final float C = Bf16.SPLIT;

    private SwiGlu16() {}

    /** s = r(silu16(g) * u) for one row: gu at byte g0 (2 * inner values), s at s0; den: inner floats of scratch. */
    static void forwardRow(MemorySegment gu, long g0, MemorySegment s, long s0, float[] den, int inner) {
        denominators(gu, g0, den, inner);
        int bound = S.loopBound(inner);
        long u0 = g0 + 2L * inner;
        siluTimesUp(gu, g0, u0, den, s, s0, bound);
        for (int i = bound; i < inner; i++) {
            float g = get(gu, g0, i), u = get(gu, u0, i);
            s.set(BF, s0 + 2L * i, Bf16.bits(Bf16.round(Bf16.round(g / den[i]) * u)));
        }
    }

    /**
     * The backward for one row, as {@link SwiGlu#backwardRowBf16}: du = r(ds * silu16(g)),
     * dg = r(r(r(ds * u) * sig16) * r(1 + r(g * r(1 - sig16)))). den, sig: inner floats of scratch.
     */
    static void backwardRow(MemorySegment gu, long g0, MemorySegment ds, long d0, MemorySegment dgu, long dg0,
                            float[] den, float[] sig, int inner) {
        long u0 = g0 + 2L * inner, du0 = dg0 + 2L * inner;
        int bound = S.loopBound(inner);
        denominators(gu, g0, den, inner);
        upAndSigmoid(gu, g0, ds, d0, dgu, du0, den, sig, bound);
        gate(gu, g0, u0, ds, d0, dgu, dg0, sig, bound);
        for (int i = bound; i < inner; i++) {
            float g = get(gu, g0, i), u = get(gu, u0, i), d = get(ds, d0, i);
            dgu.set(BF, du0 + 2L * i, Bf16.bits(d * Bf16.round(g / den[i])));
            float s16 = Bf16.round(1f / den[i]), a = Bf16.round(d * u);
            dgu.set(BF, dg0 + 2L * i, Bf16.bits(Bf16.round(a * s16) * Bf16.round(1f + Bf16.round(g * Bf16.round(1f - s16)))));
        }
    }

    private static float get(MemorySegment m, long row, int i) {
        return Bf16.fromBits(m.get(BF, row + 2L * i));
    }

    /** den[i] = r(1 + r(exp(-g[i]))) over [0, n). */
    static void denominators(MemorySegment gu, long g0, float[] den, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector g = ((IntVector) ShortVector.fromMemorySegment(H, gu, g0 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector e = VectorExp.exp(g.neg()), t = e.mul(C);
            FloatVector sum = one.add(t.sub(t.sub(e)));
            t = sum.mul(C);
            t.sub(t.sub(sum)).intoArray(den, i);
        }
        for (; i < n; i++) den[i] = Bf16.round(1f + Bf16.round((float) Math.exp(-get(gu, g0, i))));
    }

    /** s = r(r(g / den) * u) over [0, n), n a multiple of the vector length. */
    private static void siluTimesUp(MemorySegment gu, long g0, long u0, float[] den, MemorySegment s, long s0, int n) {
        for (int i = 0; i < n; i += S.length()) {
            FloatVector g = ((IntVector) ShortVector.fromMemorySegment(H, gu, g0 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector u = ((IntVector) ShortVector.fromMemorySegment(H, gu, u0 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector silu = g.div(FloatVector.fromArray(S, den, i)), t = silu.mul(C);
            silu = t.sub(t.sub(silu));
            FloatVector out = silu.mul(u);
            t = out.mul(C);
            IntVector bits = t.sub(t.sub(out)).reinterpretAsInts().lanewise(VectorOperators.LSHR, 16);
            ((ShortVector) bits.convertShape(VectorOperators.I2S, H, 0)).intoMemorySegment(s, s0 + 2L * i, LE);
        }
    }

    /** du = r(ds * r(g / den)) into dgu's u half; sig = r(1 / den) for {@link #gate}; over [0, n). */
    private static void upAndSigmoid(MemorySegment gu, long g0, MemorySegment ds, long d0, MemorySegment dgu, long du0,
                                     float[] den, float[] sig, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < n; i += S.length()) {
            FloatVector dn = FloatVector.fromArray(S, den, i);
            FloatVector g = ((IntVector) ShortVector.fromMemorySegment(H, gu, g0 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector d = ((IntVector) ShortVector.fromMemorySegment(H, ds, d0 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector silu = g.div(dn), t = silu.mul(C);
            silu = t.sub(t.sub(silu));
            FloatVector du = d.mul(silu);
            t = du.mul(C);
            IntVector bits = t.sub(t.sub(du)).reinterpretAsInts().lanewise(VectorOperators.LSHR, 16);
            ((ShortVector) bits.convertShape(VectorOperators.I2S, H, 0)).intoMemorySegment(dgu, du0 + 2L * i, LE);
            FloatVector s = one.div(dn);
            t = s.mul(C);
            t.sub(t.sub(s)).intoArray(sig, i);
        }
    }

    /** dg = r(r(r(ds * u) * sig16) * r(1 + r(g * r(1 - sig16)))) into dgu's g half, over [0, n). */
    private static void gate(MemorySegment gu, long g0, long u0, MemorySegment ds, long d0, MemorySegment dgu, long dg0,
                             float[] sig, int n) {
        for (int i = 0; i < n; i += S.length()) {
            FloatVector g = ((IntVector) ShortVector.fromMemorySegment(H, gu, g0 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector u = ((IntVector) ShortVector.fromMemorySegment(H, gu, u0 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            FloatVector d = ((IntVector) ShortVector.fromMemorySegment(H, ds, d0 + 2L * i, LE).convertShape(VectorOperators.S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
            IntVector bits = SwiGlu.gateGradient(d, u, g, FloatVector.fromArray(S, sig, i)).reinterpretAsInts().lanewise(VectorOperators.LSHR, 16);
            ((ShortVector) bits.convertShape(VectorOperators.I2S, H, 0)).intoMemorySegment(dgu, dg0 + 2L * i, LE);
        }
    }
}
