package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bfloat16 rounding and packing against plain bit arithmetic. */
class Bf16Test {
    /** Round to nearest, ties to even, on the bits: the definition. */
    static float plain(float v) {
        int b = Float.floatToRawIntBits(v);
        int low = b & 0xffff, keep = b & 0xffff0000;
        if (low > 0x8000 || (low == 0x8000 && (keep & 0x10000) != 0)) keep += 0x10000;
        return Float.intBitsToFloat(keep);
    }

    @Test
    void scalarRoundingIsNearestEven() {
        assertEquals(1f, Bf16.round(1.001953125f), 0f, "a tie below goes to the even 1.0");
        assertEquals(1.0078125f, Bf16.round(1.005859375f), 0f, "a tie above goes to the even 1.0078125");
        assertEquals(Float.POSITIVE_INFINITY, Bf16.round(Float.MAX_VALUE), 0f, "beyond bfloat16's largest value: infinity");
        assertTrue(Float.isNaN(Bf16.round(Float.NaN)));
        assertTrue(Float.isNaN(Bf16.round(Float.intBitsToFloat(0x7f800001))), "a signalling NaN stays a NaN");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 2_000_000; i++) {
            int bits = rng.nextInt();
            if (i % 4 == 0) bits = (bits & 0xffff0000) | 0x8000;
            float v = Float.intBitsToFloat(bits);
            if (Float.isNaN(v)) continue;
            assertEquals(Float.floatToRawIntBits(plain(v)), Float.floatToRawIntBits(Bf16.round(v)), "bits " + Integer.toHexString(bits));
        }
    }

    @Test
    void vectorRoundingEqualsScalarBelowItsLimit() {
        SplittableRandom rng = new SplittableRandom(4);
        float[] a = new float[1 << 16];
        for (int round = 0; round < 30; round++) {
            for (int i = 0; i < a.length; i++) {
                int bits;
                do {
                    bits = rng.nextInt();
                    if (i % 3 == 0) bits = (bits & 0xffff0000) | 0x8000; // ties
                    a[i] = Float.intBitsToFloat(bits);
                } while (!(Math.abs(a[i]) >= Float.MIN_NORMAL && Math.abs(a[i]) < Bf16.VECTOR_ROUND_LIMIT));
            }
            float[] want = a.clone();
            for (int i = 0; i < want.length; i++) want[i] = plain(want[i]);
            float[] got = a.clone();
            Bf16.roundInPlace(got, 0, got.length - 3); // a scalar tail too
            for (int i = 0; i < got.length - 3; i++)
                assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "value " + a[i]);
            FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, a, 0);
            float[] lanes = Bf16.round(v).toArray();
            for (int i = 0; i < lanes.length; i++) assertEquals(want[i], lanes[i], 0f);
        }
    }

    @Test
    void packAndUnpack() {
        float[] a = new float[103];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < a.length; i++) a[i] = (float) rng.nextGaussian() * 10;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2L * a.length + 2);
            Bf16.pack(a, 0, a.length, seg, 2);
            for (int i = 0; i < a.length; i++)
                assertEquals(plain(a[i]), Bf16.fromBits(seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2 + 2L * i)), 0f, "packed " + i);
            MemorySegment f = arena.allocate(4L * a.length);
            for (int i = 0; i < a.length; i++) f.setAtIndex(ValueLayout.JAVA_FLOAT, i, a[i]);
            float[] back = new float[a.length], sum = new float[a.length];
            Bf16.unpackFloats(f, 0, back, 0, a.length, true);
            java.util.Arrays.fill(sum, 0.5f);
            Bf16.addFloats(f, 0, sum, 0, a.length, true);
            for (int i = 0; i < a.length; i++) {
                assertEquals(plain(a[i]), back[i], 0f, "unpacked and rounded " + i);
                assertEquals(plain(a[i] + 0.5f), sum[i], 0f, "added and rounded " + i);
            }
            Bf16.unpackFloats(f, 0, back, 0, a.length, false);
            for (int i = 0; i < a.length; i++) assertEquals(a[i], back[i], 0f, "unpacked as is " + i);
        }
    }
}
