package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * bfloat16 rounding (to nearest, ties to even, as PyTorch's float-to-bfloat16 cast) and the
 * packing of float arrays into bfloat16 buffers for native matrix products, and back.
 */
public final class Bf16 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> H = VectorSpecies.of(short.class, jdk.incubator.vector.VectorShape.forBitSize(I.vectorBitSize() / 2));
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Bf16() {}

    /** The bfloat16 nearest to v (ties to even), as a float. NaN stays NaN. */
    public static float round(float v) {
        int b = Float.floatToRawIntBits(v);
        if ((b & 0x7f800000) == 0x7f800000 && (b & 0x007fffff) != 0) return v; // NaN
        return Float.intBitsToFloat((b + 0x7fff + ((b >>> 16) & 1)) & 0xffff0000);
    }

    /** The upper 16 bits of the rounded value: its bfloat16 encoding. */
    public static short bits(float v) {
        return (short) (Float.floatToRawIntBits(round(v)) >>> 16);
    }

    public static float fromBits(short h) {
        return Float.intBitsToFloat(h << 16);
    }

    /**
     * Lane-wise {@link #round}, by Veltkamp splitting: t = 65537 v, v rounded = t - (t - v) is v
     * rounded to 8 significant bits, to nearest with ties to even, for every normal float below
     * 5.1e33 in magnitude (checked against {@link #round(float)} on 2e8 values, a quarter of them
     * ties). Larger values come out NaN, where the model has diverged anyway; subnormals are not
     * rounded exactly.
     *
     * <p>Vector kernels write the two lines out ({@code t = v.mul(SPLIT); v = t.sub(t.sub(v));})
     * rather than call this: a helper taking a vector that C2 does not inline (it stops inlining
     * our own methods once a compiled loop is large) boxes its vectors on every call, while the
     * Vector API's own methods are always inlined.
     */
    public static FloatVector round(FloatVector v) {
        FloatVector t = v.mul(SPLIT);
        return t.sub(t.sub(v));
    }

    /** Veltkamp's constant for splitting a float's 24 significant bits into 8 and 16: 2^16 + 1. */
    public static final float SPLIT = 65537f;

    /** The magnitude below which {@link #round(FloatVector)} is exact (normal floats). */
    public static final float VECTOR_ROUND_LIMIT = Float.MAX_VALUE / 65537f;

    /** Rounds a[off, off + n) in place. */
    public static void roundInPlace(float[] a, int off, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, a, off + i), t = v.mul(SPLIT);
            t.sub(t.sub(v)).intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] = round(a[off + i]);
    }

    /** Writes the bfloat16 encodings of a[off, off + n) to dst at byte offset dstByte. */
    public static void pack(float[] a, int off, int n, MemorySegment dst, long dstByte) {
        int i = 0;
        for (int bound = I.loopBound(n); i < bound; i += I.length()) {
            FloatVector v = FloatVector.fromArray(S, a, off + i), t = v.mul(SPLIT);
            IntVector b = t.sub(t.sub(v)).reinterpretAsInts().lanewise(VectorOperators.LSHR, 16);
            ((ShortVector) b.convertShape(VectorOperators.I2S, H, 0)).intoMemorySegment(dst, dstByte + 2L * i, LE);
        }
        for (; i < n; i++) dst.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, dstByte + 2L * i, bits(a[off + i]));
    }

    /** Reads n floats from src at byte offset srcByte into a[off, off + n), rounding them when {@code round}. */
    public static void unpackFloats(MemorySegment src, long srcByte, float[] a, int off, int n, boolean round) {
        int i = 0;
        if (round) {
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromMemorySegment(S, src, srcByte + 4L * i, LE), t = v.mul(SPLIT);
                t.sub(t.sub(v)).intoArray(a, off + i);
            }
        } else {
            for (int bound = S.loopBound(n); i < bound; i += S.length())
                FloatVector.fromMemorySegment(S, src, srcByte + 4L * i, LE).intoArray(a, off + i);
        }
        for (; i < n; i++) {
            float v = src.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, srcByte + 4L * i);
            a[off + i] = round ? round(v) : v;
        }
    }

    /** a[off + i] += the float at src byte srcByte + 4i, for i < n; the sum rounded when {@code round}. */
    public static void addFloats(MemorySegment src, long srcByte, float[] a, int off, int n, boolean round) {
        int i = 0;
        if (round) {
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromMemorySegment(S, src, srcByte + 4L * i, LE).add(FloatVector.fromArray(S, a, off + i)), t = v.mul(SPLIT);
                t.sub(t.sub(v)).intoArray(a, off + i);
            }
        } else {
            for (int bound = S.loopBound(n); i < bound; i += S.length())
                FloatVector.fromMemorySegment(S, src, srcByte + 4L * i, LE).add(FloatVector.fromArray(S, a, off + i)).intoArray(a, off + i);
        }
        for (; i < n; i++) {
            float v = a[off + i] + src.get(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, srcByte + 4L * i);
            a[off + i] = round ? round(v) : v;
        }
    }

    /** Reads n bfloat16 values from src at byte offset srcByte into a[off, off + n) as floats (exact). */
    public static void widen(MemorySegment src, long srcByte, float[] a, int off, int n) {
        int i = 0;
        for (int bound = I.loopBound(n); i < bound; i += I.length()) {
            ShortVector h = ShortVector.fromMemorySegment(H, src, srcByte + 2L * i, LE);
            // sign extension fills the upper half, which the shift then pushes out: the bits are the float's upper 16
            ((IntVector) h.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] = fromBits(src.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, srcByte + 2L * i));
    }
}
