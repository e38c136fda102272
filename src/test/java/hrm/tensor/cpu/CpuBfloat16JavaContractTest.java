package hrm.tensor.cpu;

import hrm.tensor.Backend;
import hrm.tensor.BackendContract;
import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend contract on the CPU backend with bfloat16 activations, products on the Java kernels. */
class CpuBfloat16JavaContractTest extends BackendContract {
    @Override
    protected Backend create() {
        return new CpuBackend(2);
    }

    @Override
    protected DataType act() {
        return DataType.BFLOAT16;
    }

    /** Compact bfloat16 tensors take 2 bytes a value; float32 ones stay as they are; other operations refuse them in one line. */
    @Test
    void compactBfloat16TensorsAreTwoBytesAndOnlyTheirOperationsTakeThem() {
        Tensor c = be.allocateCompact(10, DataType.BFLOAT16);
        assertInstanceOf(Bf16Tensor.class, c);
        assertEquals(20, c.segment().byteSize());
        assertInstanceOf(CpuTensor.class, be.allocateCompact(10, DataType.FLOAT32));
        Tensor plain = be.allocate(10, DataType.BFLOAT16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.add(c, plain, plain));
        assertTrue(e.getMessage().contains("allocateCompact"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.gatherRows(c, 0, 1, plain, 1, 10));
    }

    /** SwiGLU with only some operands 2-byte (staged rather than read directly): the plain tensors' bits. */
    @Test
    void swigluWithSomeOperandsCompactIsBitForBitThePlainOne() {
        int rows = 21, inner = 37;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(9);
        float[] g = new float[rows * 2 * inner], d = new float[rows * inner];
        for (int i = 0; i < g.length; i++) g[i] = (float) (2 * rng.nextGaussian());
        for (int i = 0; i < d.length; i++) d[i] = (float) rng.nextGaussian();
        float[][] want = swiglu(false, false, g, d, rows, inner), got = swiglu(true, false, g, d, rows, inner), got2 = swiglu(false, true, g, d, rows, inner);
        for (int i = 0; i < 2; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(want[i], got[i], "gu compact, the rest plain: " + i);
            org.junit.jupiter.api.Assertions.assertArrayEquals(want[i], got2[i], "gu plain, the rest compact: " + i);
        }
    }

    private float[][] swiglu(boolean compactGu, boolean compactRest, float[] g, float[] d, int rows, int inner) {
        java.util.function.IntFunction<Tensor> gu = n -> compactGu ? be.allocateCompact(n, DataType.BFLOAT16) : be.allocate(n, DataType.BFLOAT16);
        java.util.function.IntFunction<Tensor> rest = n -> compactRest ? be.allocateCompact(n, DataType.BFLOAT16) : be.allocate(n, DataType.BFLOAT16);
        Tensor x = gu.apply(rows * 2 * inner), s = rest.apply(rows * inner), ds = rest.apply(rows * inner), dgu = rest.apply(rows * 2 * inner);
        be.upload(g, 0, x);
        be.upload(d, 0, ds);
        be.swiglu(x, s, rows, inner);
        be.swigluBackward(x, ds, dgu, rows, inner);
        float[] sv = new float[rows * inner], dv = new float[rows * 2 * inner];
        be.download(s, sv, 0);
        be.download(dgu, dv, 0);
        return new float[][] {sv, dv};
    }
}
