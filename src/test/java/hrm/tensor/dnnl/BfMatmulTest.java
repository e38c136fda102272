package hrm.tensor.dnnl;

import hrm.checkpoint.NamedTensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * oneDNN's bfloat16 matmul through FFM against a plain computation on the same bfloat16-rounded
 * inputs: every output within the float32 summation bound (k * 2^-24 * sum |a b|, times 4), on the
 * shapes of the model's linear layers, with B plain and transposed (a weight as stored).
 */
class BfMatmulTest {
    static OneDnn dnnl() {
        var d = OneDnn.get();
        assertTrue(d.isPresent(), "the pinned oneDNN jar is on the class path of this linux-x86_64 build: " + OneDnn.unavailableReason());
        assertNull(OneDnn.unavailableReason());
        return d.get();
    }

    @Test
    void loadsThePinnedVersion() {
        OneDnn d = dnnl();
        assertTrue(d.version().startsWith(OneDnn.MAJOR + "." + OneDnn.MINOR + "."), d.version());
        assertTrue(d.cpuIsa() != 0, "an ISA was chosen");
    }

    @Test
    void theCacheDirectoryIsNamedAfterThePomsPinnedVersion() throws Exception {
        String pom = java.nio.file.Files.readString(java.nio.file.Path.of("pom.xml"));
        var m = java.util.regex.Pattern.compile("<dnnl.version>([^<]+)</dnnl.version>").matcher(pom);
        assertTrue(m.find(), "pom.xml pins dnnl.version");
        assertEquals(m.group(1), OneDnn.PINNED);
    }

    @Test
    void matchesPlainProductsOnBfloat16Inputs() {
        OneDnn d = dnnl();
        SplittableRandom rng = new SplittableRandom(11);
        int[][] shapes = {{82, 64, 192}, {7, 33, 5}, {328, 512, 1536}, {328, 1536, 512}};
        for (int[] s : shapes)
            for (boolean transB : new boolean[] {false, true}) {
                int m = s[0], k = s[1], n = s[2];
                float[] a = bf16Random(rng, m * k), b = bf16Random(rng, k * n);
                try (Arena ar = Arena.ofConfined(); BfMatmul mm = new BfMatmul(d, m, k, n, transB)) {
                    MemorySegment sa = bf16Segment(ar, a), sb = bf16Segment(ar, b), sc = ar.allocate(4L * m * n, 64);
                    mm.run(sa, sb, sc);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) {
                            double exact = 0, mag = 0;
                            for (int p = 0; p < k; p++) {
                                double x = a[i * k + p] * (double) (transB ? b[j * k + p] : b[p * n + j]);
                                exact += x;
                                mag += Math.abs(x);
                            }
                            double got = sc.getAtIndex(JAVA_FLOAT, (long) i * n + j);
                            assertEquals(exact, got, 4 * k * 0x1p-24 * mag + 1e-30,
                                    m + "x" + k + "x" + n + (transB ? " (B transposed)" : "") + " at " + i + "," + j);
                        }
                }
            }
    }

    /** Values drawn then rounded to bfloat16 (what the kernel sees), returned as floats. */
    static float[] bf16Random(SplittableRandom rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = Float.intBitsToFloat((NamedTensor.toBfloat16((float) rng.nextGaussian()) & 0xffff) << 16);
        return v;
    }

    static MemorySegment bf16Segment(Arena ar, float[] v) {
        MemorySegment s = ar.allocate(2L * v.length, 64);
        for (int i = 0; i < v.length; i++) s.setAtIndex(JAVA_SHORT, i, NamedTensor.toBfloat16(v[i]));
        return s;
    }
}
