package hrm.model;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.cpu.Bf16Tensor;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.cpu.CpuTensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * What a block keeps, and the MLP's scratch and gradients, are compact (2 bytes a value on the CPU
 * backend) with bfloat16 activations and plain with float32; the float32 statistics stay plain. The
 * training memory the README reports depends on it.
 */
class CompactActivationsTest {
    @Test
    void theTapeIsTwoBytesAValueInBfloat16() {
        try (CpuBackend be = new CpuBackend(1)) {
            for (boolean mlpT : new boolean[] {false, true}) {
                Shapes s = new Shapes(2, 5, 8, 2, 4, 16, 1e-5f, null, null, DataType.BFLOAT16, mlpT ? 12 : 0);
                BlockActivations.MlpScratch mlp = new BlockActivations.MlpScratch(be, s);
                BlockActivations a = new BlockActivations(be, s, mlp, true);
                BlockGradScratch g = new BlockGradScratch(be, s);
                for (Tensor t : kept(a, g, mlpT)) {
                    assertInstanceOf(Bf16Tensor.class, t, "mlp_t " + mlpT);
                    assertEquals(2L * t.size(), t.segment().byteSize());
                }
                for (Tensor t : new Tensor[] {a.rstd1, a.rstd2}) assertInstanceOf(CpuTensor.class, t, "a float32 statistic");
                if (!mlpT) assertInstanceOf(CpuTensor.class, a.lse, "the soft-max statistics");
                Shapes f = new Shapes(2, 5, 8, 2, 4, 16, 1e-5f, null, null, DataType.FLOAT32, mlpT ? 12 : 0);
                BlockActivations.MlpScratch fm = new BlockActivations.MlpScratch(be, f);
                for (Tensor t : kept(new BlockActivations(be, f, fm, true), new BlockGradScratch(be, f), mlpT))
                    assertInstanceOf(CpuTensor.class, t, "float32 stays in float storage");
            }
        }
    }

    private static List<Tensor> kept(BlockActivations a, BlockGradScratch g, boolean mlpT) {
        List<Tensor> all = new ArrayList<>(List.of(a.h, a.gu, a.s, g.ds, g.dgu));
        if (mlpT) all.addAll(List.of(a.xT, a.uT, a.guT, a.sT, g.dsT, g.dguT));
        else all.addAll(List.of(a.qkv, a.att));
        return all;
    }
}
