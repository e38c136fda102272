package hrm.tensor.cpu;

import hrm.tensor.BackendContract;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * RoPE on 2-byte rows gives the bits of {@link Rope} on the widened rows rounded to bfloat16, forward
 * and inverse, with head sizes whose halves are whole vectors, a vector and a tail, or only a tail;
 * v is left as it was. Rows start mid-batch (positions from row % tokens).
 */
class Rope16Test {
    @ParameterizedTest(name = "heads={0} d={1} inverse={2}")
    @CsvSource({"2, 64, false", "2, 64, true", "3, 40, false", "1, 8, true", "2, 128, false"})
    void theBitsOfTheFloatKernelRounded(int heads, int hd, boolean inverse) {
        int tokens = 7, rows = 3 * tokens, width = 3 * heads * hd, from = 2, to = 19;
        float[][] rot = BackendContract.ropeTables(tokens, hd);
        SplittableRandom rng = new SplittableRandom(hd + heads);
        float[] want = new float[rows * width];
        for (int i = 0; i < want.length; i++) want[i] = Bf16.round((float) rng.nextGaussian() * 3);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q16 = arena.allocate(2L * want.length);
            Bf16.pack(want, 0, want.length, q16, 0);
            Rope16.apply(q16, rot[0], 0, rot[1], 0, from, to, tokens, heads, hd, inverse);
            Rope.apply(want, 0, rot[0], 0, rot[1], 0, from, to, tokens, heads, hd, inverse);
            for (int i = 0; i < want.length; i++) want[i] = Bf16.round(want[i]);
            float[] got = new float[want.length];
            Bf16.widen(q16, 0, got, 0, got.length);
            assertArrayEquals(want, got);
        }
    }
}
