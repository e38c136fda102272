package hrm.model;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.cpu.Bf16Tensor;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.cpu.CpuTensor;
import hrm.tensor.cpu.Bf16;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static hrm.model.BlockGradientTest.BATCH;
import static hrm.model.BlockGradientTest.DIM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * The bfloat16 tape keeps each block's gate/up output (the backward reads it instead of
     * recomputing it, HRM's and the transformer's tapes included); float32 shares one buffer. The
     * gradients are the same bits either way, even when another block overwrote the shared buffers
     * between the forward and the backward.
     */
    @ParameterizedTest(name = "mlp_t = {0}")
    @ValueSource(booleans = {false, true})
    void theBfloat16TapeKeepsGateUpAndItsGradientsAreTheRecomputedOnes(boolean mlpT) {
        ModelConfig cfg = BlockGradientTest.config(mlpT);
        try (CpuBackend be = new CpuBackend(1)) {
            Shapes f = new Shapes(BATCH, cfg.tokens(), DIM, cfg.numHeads(), cfg.headDim(), cfg.intermediateSize(), 1e-5f,
                    null, null, DataType.FLOAT32, cfg.tokenInnerSize());
            ReasoningModule.Saved plain = new ReasoningModule.Saved(be, f, 2, new BlockActivations.MlpScratch(be, f));
            assertSame(plain.acts[0].gu, plain.acts[1].gu, "float32: one shared gate/up buffer");
            assertFalse(plain.acts[0].gateUpKept);

            Shapes s = new Shapes(BATCH, cfg.tokens(), DIM, cfg.numHeads(), cfg.headDim(), cfg.intermediateSize(), 1e-5f,
                    null, null, DataType.BFLOAT16, cfg.tokenInnerSize());
            BlockActivations.MlpScratch mlp = new BlockActivations.MlpScratch(be, s);
            ReasoningModule.Saved saved = new ReasoningModule.Saved(be, s, 2, mlp);
            assertTrue(saved.acts[0].gateUpKept);
            assertNotSame(saved.acts[0].gu, saved.acts[1].gu, "bfloat16: gate/up per block");
            if (mlpT) assertNotSame(saved.acts[0].guT, saved.acts[1].guT, "bfloat16: the token MLP's too");

            Parameters p = new Parameters(cfg, be);
            p.initialise(be, new SplittableRandom(3));
            Weights.BlockWeights w = p.weights().level("L_level")[0];
            Block block = new Block(w);
            int n = s.rows() * DIM;
            SplittableRandom rng = new SplittableRandom(5);
            float[] x0 = new float[n], other = new float[n], r = new float[n];
            for (int i = 0; i < n; i++) {
                x0[i] = Bf16.round((float) rng.nextGaussian());
                other[i] = Bf16.round((float) rng.nextGaussian());
                r[i] = Bf16.round((float) rng.nextGaussian());
            }
            float[][] grads = new float[2][];
            for (int keep = 0; keep < 2; keep++) {
                BlockActivations a = new BlockActivations(be, s, mlp, keep == 1);
                Tensor x = be.allocate(n, DataType.BFLOAT16), y = be.allocate(n, DataType.BFLOAT16),
                        tmp = be.allocate(n, DataType.BFLOAT16), dy = be.allocate(n, DataType.BFLOAT16),
                        dx = be.allocate(n, DataType.BFLOAT16), o = be.allocate(n, DataType.BFLOAT16);
                be.upload(x0, 0, x);
                block.forward(be, s, x, y, a, tmp);
                be.upload(other, 0, o); // another block's forward overwrites the shared MLP buffers
                block.forward(be, s, o, o, new BlockActivations(be, s, mlp), tmp);
                be.upload(r, 0, dy);
                block.backward(be, s, dy, x, y, a, dx, new BlockGradScratch(be, s), false);
                Weights.Weight gateUp = mlpT ? w.tokenGateUp() : w.gateUp();
                grads[keep] = concat(host(be, dx), host(be, gateUp.grad()), host(be, w.down().grad()), host(be, w.gateUp().grad()));
            }
            assertArrayEquals(grads[0], grads[1], "kept gate/up: the recomputed path's gradients, bit for bit");
        }
    }

    private static float[] concat(float[]... parts) {
        int len = 0;
        for (float[] part : parts) len += part.length;
        float[] all = new float[len];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static float[] host(CpuBackend be, Tensor t) {
        float[] v = new float[t.size()];
        be.download(t, v, 0);
        return v;
    }

    private static List<Tensor> kept(BlockActivations a, BlockGradScratch g, boolean mlpT) {
        List<Tensor> all = new ArrayList<>(List.of(a.h, a.gu, a.s, g.ds, g.dgu));
        if (mlpT) all.addAll(List.of(a.xT, a.uT, a.guT, a.sT, g.dsT, g.dguT));
        else all.addAll(List.of(a.qkv, a.att));
        return all;
    }
}
