package hrm.train;

import hrm.checkpoint.ParameterLoader;
import hrm.checkpoint.TensorMap;
import hrm.dist.Cluster;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.Exploration;
import hrm.model.HrmAct;
import hrm.model.HrmFamily;
import hrm.model.ModelConfig;
import hrm.model.PosEncoding;
import hrm.model.Parameters;
import hrm.tensor.Tensor;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The bfloat16 copies the products read follow the weights through every writer of the parameters:
 * initialising, loading a state dict, the optimiser step (sign-SGD, AdamATan2, the moving average),
 * the moving average's swap in and out, and a restored training state. After each write the model
 * that has been running all along (its copies made at earlier versions) computes exactly what a
 * fresh model given the same weights computes (copies made from them now), on the Java products and
 * on oneDNN's. A write no writer reports is not seen, which shows the comparison would catch a
 * writer that forgot.
 */
class Bf16CopiesFollowWritersTest {
    static final ModelConfig CFG = new ModelConfig(new ModelConfig.DataShape(4, 9, 6, 3), new ModelConfig.Architecture(new HrmFamily(2, 2, 1, 1),
            new ModelConfig.Network(32, 2, 2.0, 32, PosEncoding.ROPE, 10000, 1e-5), new ModelConfig.Halting(4, 0.5),
            hrm.tensor.DataType.BFLOAT16, ModelConfig.LossType.STABLEMAX));

    @ParameterizedTest
    @ValueSource(strings = {"java", "onednn"})
    void everyWriterMovesTheCopies(String path) {
        var dnnl = OneDnn.get();
        Assumptions.assumeTrue(path.equals("java") || dnnl.isPresent() && dnnl.get().nativeBf16(), "oneDNN bfloat16 is not usable here");
        Supplier<CpuBackend> backends = () -> path.equals("java") ? new CpuBackend(1) : new CpuBackend(1, dnnl.get());
        try (CpuBackend be = backends.get()) {
            Batch batch = batch();
            Parameters p = new Parameters(CFG, be);
            HrmAct eval = new HrmAct(p, be, false);

            p.initialise(be, new SplittableRandom(1));
            float[] before = forwardFresh(p, be, eval, backends, batch, "initialise");

            Parameters other = Parameters.forInference(CFG, be);
            other.initialise(be, new SplittableRandom(2));
            ParameterLoader.load(ParameterLoader.stateDict(other, be), p, be);
            float[] loaded = forwardFresh(p, be, eval, backends, batch, "ParameterLoader.load");
            assertFalse(java.util.Arrays.equals(before, loaded), "the load changed the weights");

            TrainStep step = new TrainStep(p, be, new OptimiserSettings(1e-2, 1e-2, 0.1, 0.1, 0.9, 0.95));
            Ema ema = step.enableEma(be, 0.5);
            Carry carry = step.initialCarry();
            Exploration explore = Exploration.seeded(new SplittableRandom(3));
            step.run(1, carry, batch, explore, 1e-2, 1e-2);
            float[] stepped = forwardFresh(p, be, eval, backends, batch, "TrainStep.run");
            assertFalse(java.util.Arrays.equals(loaded, stepped), "the optimiser step changed the weights");
            TrainState saved = TrainState.capture(1, 0, 1, false, step, carry, Cluster.SINGLE);
            step.run(2, carry, batch, explore, 1e-2, 1e-2);
            forwardFresh(p, be, eval, backends, batch, "TrainStep.run, again");

            ema.withShadow(() -> forwardFresh(p, be, eval, backends, batch, "Ema.withShadow, the shadow swapped in"));
            forwardFresh(p, be, eval, backends, batch, "Ema.withShadow, the live weights back");

            saved.restore(step, carry, Cluster.SINGLE);
            assertArrayEquals(stepped, forwardFresh(p, be, eval, backends, batch, "TrainState.restore"), "restored: the weights of step 1");

            // written by the backend with no writer saying so: the running model still reads the copies of before
            Tensor lmHead = p.weight("lm_head.weight");
            float[] w = new float[lmHead.size()];
            be.download(lmHead, w, 0);
            for (int i = 0; i < w.length; i++) w[i] = -w[i];
            be.upload(w, 0, lmHead);
            assertArrayEquals(stepped, logits(eval, batch), "a write nobody reported is not seen: the version moves the copies");
            p.written();
            assertFalse(java.util.Arrays.equals(stepped, forwardFresh(p, be, eval, backends, batch, "Parameters.written")));
        }
    }

    /** The running model's logits after a write, which must be those of a fresh model given the same weights. */
    private static float[] forwardFresh(Parameters p, CpuBackend be, HrmAct eval, Supplier<CpuBackend> backends, Batch batch, String writer) {
        float[] running = logits(eval, batch);
        TensorMap weights = ParameterLoader.stateDict(p, be);
        try (CpuBackend other = backends.get()) {
            Parameters fresh = Parameters.forInference(CFG, other);
            ParameterLoader.load(weights, fresh, other);
            float[] want = logits(new HrmAct(fresh, other, false), batch);
            assertEquals(want.length, running.length);
            assertArrayEquals(want, running, "after " + writer + ": the products read the weights as they are now");
        }
        return running;
    }

    private static float[] logits(HrmAct act, Batch batch) {
        act.evalStep(act.initialCarry(), batch);
        return act.inner().logits().rows().clone();
    }

    private static Batch batch() {
        SplittableRandom rng = new SplittableRandom(4);
        int[] in = new int[4 * 9], labels = new int[4 * 9];
        for (int i = 0; i < in.length; i++) {
            in[i] = 1 + rng.nextInt(5);
            labels[i] = 1 + rng.nextInt(5);
        }
        return new Batch(in, labels, new int[]{0, 1, 2, 1});
    }
}
