package hrm.model;

import hrm.tensor.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameters for inference: no gradient buffer, the same forward as parameters with one, and no training on them. */
class InferenceParametersTest {
    @ParameterizedTest
    @ValueSource(strings = {"float32", "bfloat16"})
    void evaluateLikeTrainableParametersWithoutAGradientBuffer(String dtype) {
        ModelConfig cfg = new ModelConfig(new ModelConfig.DataShape(4, 9, 6, 3), new ModelConfig.Architecture(new HrmFamily(2, 2, 1, 1),
                new ModelConfig.Network(32, 2, 2.0, 32, PosEncoding.ROPE, 10000, 1e-5), new ModelConfig.Halting(3, 0.5),
                hrm.tensor.DataType.byConfigName(dtype), ModelConfig.LossType.STABLEMAX));
        try (CpuBackend be = new CpuBackend(2)) {
            Parameters trainable = new Parameters(cfg, be), inference = Parameters.forInference(cfg, be);
            trainable.initialise(be, new SplittableRandom(5));
            inference.initialise(be, new SplittableRandom(5));
            assertTrue(trainable.hasGradients());
            assertFalse(inference.hasGradients());
            assertThrows(IllegalStateException.class, inference::grads);
            assertThrows(IllegalStateException.class, () -> inference.weightGrad("lm_head.weight"));
            assertThrows(IllegalArgumentException.class, () -> new HrmAct(inference, be, true));

            int[] in = new int[4 * 9], labels = new int[4 * 9];
            SplittableRandom rng = new SplittableRandom(6);
            for (int i = 0; i < in.length; i++) {
                in[i] = 1 + rng.nextInt(5);
                labels[i] = 1 + rng.nextInt(5);
            }
            Batch b = new Batch(in, labels, new int[] {0, 1, 2, 1});
            HrmAct a = new HrmAct(trainable, be, false), c = new HrmAct(inference, be, false);
            Metrics ma = a.evalToEnd(a.initialCarry(), b), mc = c.evalToEnd(c.initialCarry(), b);
            assertEquals(ma.get(Metrics.Metric.ACCURACY), mc.get(Metrics.Metric.ACCURACY));
            assertEquals(ma.get(Metrics.Metric.LM_LOSS), mc.get(Metrics.Metric.LM_LOSS));
            assertArrayEquals(a.inner().qHost(), c.inner().qHost());
        }
    }
}
