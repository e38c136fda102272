package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled microkernels of {@link Sgemm}: a 12 x 32 tile of C (12 rows by two
 * AVX-512 vectors, 24 accumulators) updated from a packed A micro-panel (12 floats broadcast per
 * k step) and a packed B micro-panel (two vectors per k step). Generated code (one line per row
 * of the tile), kept apart from the blocking logic.
 *
 * <p>Only plain int offsets into float[] inside the loops: with objects, long arithmetic or
 * memory segments there C2 ran out of registers and spilled accumulators (seen under
 * -XX:+UseParallelGC, which ./hrm uses).
 */
final class SgemmKernels {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();
    static final int MR = 12;
    static final int NR = 2 * VL;

    private SgemmKernels() {}

    /**
     * C[MR x NR] (+)= A micro-panel times B micro-panel over kc k steps; A column-wise (element
     * (i, p) at {@code ao + p * MR + i}), B element (p, j) at {@code bo + p * NR + j}.
     */
    static void col(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc, boolean acc) {
        FloatVector r0a = FloatVector.zero(S), r0b = FloatVector.zero(S);
        FloatVector r1a = FloatVector.zero(S), r1b = FloatVector.zero(S);
        FloatVector r2a = FloatVector.zero(S), r2b = FloatVector.zero(S);
        FloatVector r3a = FloatVector.zero(S), r3b = FloatVector.zero(S);
        FloatVector r4a = FloatVector.zero(S), r4b = FloatVector.zero(S);
        FloatVector r5a = FloatVector.zero(S), r5b = FloatVector.zero(S);
        FloatVector r6a = FloatVector.zero(S), r6b = FloatVector.zero(S);
        FloatVector r7a = FloatVector.zero(S), r7b = FloatVector.zero(S);
        FloatVector r8a = FloatVector.zero(S), r8b = FloatVector.zero(S);
        FloatVector r9a = FloatVector.zero(S), r9b = FloatVector.zero(S);
        FloatVector r10a = FloatVector.zero(S), r10b = FloatVector.zero(S);
        FloatVector r11a = FloatVector.zero(S), r11b = FloatVector.zero(S);
        FloatVector ba, bb, x;
        for (int p = 0; p < kc; p++) {
            int ai = ao + p * MR, bi = bo + p * NR;
            ba = FloatVector.fromArray(S, b, bi); bb = FloatVector.fromArray(S, b, bi + VL);
            x = FloatVector.broadcast(S, a[ai]); r0a = x.fma(ba, r0a); r0b = x.fma(bb, r0b);
            x = FloatVector.broadcast(S, a[ai + 1]); r1a = x.fma(ba, r1a); r1b = x.fma(bb, r1b);
            x = FloatVector.broadcast(S, a[ai + 2]); r2a = x.fma(ba, r2a); r2b = x.fma(bb, r2b);
            x = FloatVector.broadcast(S, a[ai + 3]); r3a = x.fma(ba, r3a); r3b = x.fma(bb, r3b);
            x = FloatVector.broadcast(S, a[ai + 4]); r4a = x.fma(ba, r4a); r4b = x.fma(bb, r4b);
            x = FloatVector.broadcast(S, a[ai + 5]); r5a = x.fma(ba, r5a); r5b = x.fma(bb, r5b);
            x = FloatVector.broadcast(S, a[ai + 6]); r6a = x.fma(ba, r6a); r6b = x.fma(bb, r6b);
            x = FloatVector.broadcast(S, a[ai + 7]); r7a = x.fma(ba, r7a); r7b = x.fma(bb, r7b);
            x = FloatVector.broadcast(S, a[ai + 8]); r8a = x.fma(ba, r8a); r8b = x.fma(bb, r8b);
            x = FloatVector.broadcast(S, a[ai + 9]); r9a = x.fma(ba, r9a); r9b = x.fma(bb, r9b);
            x = FloatVector.broadcast(S, a[ai + 10]); r10a = x.fma(ba, r10a); r10b = x.fma(bb, r10b);
            x = FloatVector.broadcast(S, a[ai + 11]); r11a = x.fma(ba, r11a); r11b = x.fma(bb, r11b);
        }
        int o = co;
        if (acc) {
            r0a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r0b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r1a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r1b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r2a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r2b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r3a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r3b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r4a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r4b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r5a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r5b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r6a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r6b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r7a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r7b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r8a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r8b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r9a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r9b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r10a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r10b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
            o += ldc;
            r11a.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
            r11b.add(FloatVector.fromArray(S, c, o + VL)).intoArray(c, o + VL);
        } else {
            r0a.intoArray(c, o); r0b.intoArray(c, o + VL);
            o += ldc;
            r1a.intoArray(c, o); r1b.intoArray(c, o + VL);
            o += ldc;
            r2a.intoArray(c, o); r2b.intoArray(c, o + VL);
            o += ldc;
            r3a.intoArray(c, o); r3b.intoArray(c, o + VL);
            o += ldc;
            r4a.intoArray(c, o); r4b.intoArray(c, o + VL);
            o += ldc;
            r5a.intoArray(c, o); r5b.intoArray(c, o + VL);
            o += ldc;
            r6a.intoArray(c, o); r6b.intoArray(c, o + VL);
            o += ldc;
            r7a.intoArray(c, o); r7b.intoArray(c, o + VL);
            o += ldc;
            r8a.intoArray(c, o); r8b.intoArray(c, o + VL);
            o += ldc;
            r9a.intoArray(c, o); r9b.intoArray(c, o + VL);
            o += ldc;
            r10a.intoArray(c, o); r10b.intoArray(c, o + VL);
            o += ldc;
            r11a.intoArray(c, o); r11b.intoArray(c, o + VL);
        }
    }
}
