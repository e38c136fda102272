package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class VectorExpTest {
    private static final int L = VectorExp.S.length();

    @Test
    void expIsAccurateAndExactlyZeroFarBelow() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[L], y = new float[L];
        for (int rep = 0; rep < 2000; rep++) {
            for (int i = 0; i < L; i++) x[i] = (float) (rng.nextDouble() * 170 - 87);
            VectorExp.exp(FloatVector.fromArray(VectorExp.S, x, 0)).intoArray(y, 0);
            for (int i = 0; i < L; i++) {
                double want = Math.exp(x[i]);
                assertEquals(want, y[i], want * 4e-7, "exp(" + x[i] + ")");
            }
        }
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = -100f;
        VectorExp.exp(FloatVector.fromArray(VectorExp.S, x, 0)).intoArray(y, 0);
        assertEquals(0f, y[0]);
        assertEquals(0f, y[1]);
    }

    @Test
    void atan2MatchesTheLibraryAndTheScalarTailBitForBit() {
        SplittableRandom rng = new SplittableRandom(2);
        float[] ys = new float[L], xs = new float[L], out = new float[L];
        for (int rep = 0; rep < 5000; rep++) {
            for (int i = 0; i < L; i++) {
                ys[i] = (float) ((rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(-8, 3)));
                xs[i] = rng.nextInt(20) == 0 ? 0f : (float) (rng.nextDouble() * Math.pow(10, rng.nextInt(-8, 3)));
            }
            VectorExp.atan2(FloatVector.fromArray(VectorExp.S, ys, 0), FloatVector.fromArray(VectorExp.S, xs, 0)).intoArray(out, 0);
            for (int i = 0; i < L; i++) {
                double want = StrictMath.atan2(ys[i], xs[i]);
                assertEquals(want, out[i], Math.max(Math.abs(want) * 5e-7, 1e-37), "atan2(" + ys[i] + ", " + xs[i] + ")");
                assertEquals(Float.floatToIntBits(VectorExp.atan2(ys[i], xs[i])), Float.floatToIntBits(out[i]), "scalar and vector agree");
            }
        }
        assertEquals(0f, VectorExp.atan2(0f, 0f));
        assertEquals((float) (Math.PI / 2), VectorExp.atan2(1f, 0f), 1e-7);
    }
}
