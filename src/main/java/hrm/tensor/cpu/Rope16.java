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
 * {@link Rope} on 2-byte qkv rows ({@link Bf16Tensor}): the same float operations on the widened
 * values, each result rounded once as it is stored, so the same bits as rotating widened rows and
 * rounding them; only q and k are read and written (staging whole rows widened v too, and took
 * three passes more). Offsets in elements of qkv.
 */
final class Rope16 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final VectorSpecies<Short> H = VectorSpecies.of(short.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfShort BF = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Rope16() {}

    /** As {@link Rope#apply} on rows [from, to) of 2-byte qkv, each written value rounded to bfloat16. */
    static void apply(MemorySegment qkv, float[] cos, int co, float[] sin, int sio, int from, int to,
                      int tokens, int heads, int headDim, boolean inverse) {
        int half = headDim / 2, width = 3 * heads * headDim, bound = S.loopBound(half);
        float sign = inverse ? -1f : 1f;
        for (int row = from; row < to; row++) {
            int tb = (row % tokens) * headDim;
            for (int part = 0; part < 2 * heads; part++) { // q heads then k heads
                long base = 2L * ((long) row * width + part * headDim);
                rotate(qkv, base, cos, co + tb, sin, sio + tb, half, bound, sign);
                for (int j = bound; j < half; j++) {
                    float x1 = Bf16.fromBits(qkv.get(BF, base + 2L * j)), x2 = Bf16.fromBits(qkv.get(BF, base + 2L * (j + half)));
                    float s1 = sign * sin[sio + tb + j], s2 = sign * sin[sio + tb + j + half];
                    qkv.set(BF, base + 2L * j, Bf16.bits(x1 * cos[co + tb + j] - x2 * s1));
                    qkv.set(BF, base + 2L * (j + half), Bf16.bits(x2 * cos[co + tb + j + half] + x1 * s2));
                }
            }
        }
    }

    /** The vector part of one head: j in [0, bound), values at byte base (x1) and base + 2 half (x2). */
    private static void rotate(MemorySegment qkv, long base, float[] cos, int c0, float[] sin, int s0, int half, int bound, float sign) {
        long second = base + 2L * half;
        for (int j = 0; j < bound; j += S.length()) {
            FloatVector x1 = load(qkv, base + 2L * j), x2 = load(qkv, second + 2L * j);
            FloatVector s1 = FloatVector.fromArray(S, sin, s0 + j).mul(sign), s2 = FloatVector.fromArray(S, sin, s0 + j + half).mul(sign);
            FloatVector y1 = x1.mul(FloatVector.fromArray(S, cos, c0 + j)).sub(x2.mul(s1));
            FloatVector y2 = x2.mul(FloatVector.fromArray(S, cos, c0 + j + half)).add(x1.mul(s2));
            FloatVector t1 = y1.mul(Bf16.SPLIT), t2 = y2.mul(Bf16.SPLIT);
            store(t1.sub(t1.sub(y1)), qkv, base + 2L * j);
            store(t2.sub(t2.sub(y2)), qkv, second + 2L * j);
        }
    }

    private static FloatVector load(MemorySegment m, long at) {
        return ((IntVector) ShortVector.fromMemorySegment(H, m, at, LE).convertShape(VectorOperators.S2I, I, 0))
                .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** v, already rounded: its upper halves. */
    private static void store(FloatVector v, MemorySegment m, long at) {
        ((ShortVector) v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 16).convertShape(VectorOperators.I2S, H, 0))
                .intoMemorySegment(m, at, LE);
    }
}
