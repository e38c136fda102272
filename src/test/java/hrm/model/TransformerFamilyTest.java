package hrm.model;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transformer baseline as a family: its keys (num_layers; HRM's and TRM's refused, naming the
 * key), its layout (net.layers.i, no H_init/L_init), and its backward through every layer, the
 * embeddings and both heads against finite differences of its forward.
 */
class TransformerFamilyTest {
    static Map<String, Object> transformer() {
        Map<String, Object> m = new HashMap<>(ModelConfigTest.reference());
        for (String k : new String[] {"H_cycles", "L_cycles", "H_layers", "L_layers"}) m.remove(k);
        m.put("name", TransformerFamily.NAME);
        m.put("num_layers", 8);
        m.put("halt_max_steps", 1);
        return m;
    }

    @Test
    void itsKeysMakeATransformerAndOtherFamiliesKeysAreRefused() {
        ModelConfig t = ModelConfig.fromMap(transformer());
        assertEquals(new TransformerFamily(8), t.family());
        assertEquals(t, ModelConfig.fromMap(t.toMap()), "toMap round-trips");
        assertEquals("transformer", t.family().shortName());
        // the same weights as the reference HRM's 4 + 4 blocks, less H_init and L_init
        assertEquals(ModelConfig.reference(32, 81, 11, 1).parameterCount() - 2 * 512, t.parameterCount());
        Map<String, Object> unnamed = transformer();
        unnamed.remove("name");
        assertInstanceOf(TransformerFamily.class, ModelConfig.fromMap(unnamed).family(), "num_layers alone says which family");
        for (String k : new String[] {"H_layers", "L_cycles", "mlp_t", "puzzle_emb_len"}) {
            Map<String, Object> m = transformer();
            m.put(k, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(m), k);
            assertTrue(e.getMessage().startsWith(k + " = 2: ") && e.getMessage().endsWith("key, not used by Transformer_ACTV1"), e.getMessage());
        }
        Map<String, Object> hrm = ModelConfigTest.reference();
        hrm.put("num_layers", 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(hrm));
        assertEquals("num_layers = 4: a transformer key, not used by HierarchicalReasoningModel_ACTV1", e.getMessage());
        Map<String, Object> none = transformer();
        none.remove("num_layers");
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(none));
        assertEquals("missing model key 'num_layers'", e.getMessage());
        Map<String, Object> zero = transformer();
        zero.put("num_layers", 0);
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(zero));
        assertEquals("num_layers = 0: must be > 0", e.getMessage());
        Map<String, Object> typo = transformer();
        typo.put("num_layer", 3);
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(typo));
        assertTrue(e.getMessage().contains("num_layer") && e.getMessage().contains("num_layers"), e.getMessage());
        Map<String, Object> positions = transformer();
        positions.put("pos_encodings", "none");
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(positions));
        assertEquals("pos_encodings = none: expected 'rope' or 'learned'", e.getMessage());
    }

    static ModelConfig tiny(PosEncoding pos, int puzzleDim) {
        return new ModelConfig(new ModelConfig.DataShape(2, 5, 6, 3), new ModelConfig.Architecture(new TransformerFamily(3),
                new ModelConfig.Network(16, 2, 2.0, puzzleDim, pos, 10000, 1e-5), new ModelConfig.Halting(1, 0.0),
                DataType.FLOAT32, ModelConfig.LossType.SOFTMAX));
    }

    @Test
    void itsLayoutIsOneStackAndNoInitialState() {
        try (CpuBackend be = new CpuBackend(1)) {
            Parameters p = new Parameters(tiny(PosEncoding.ROPE, 16), be);
            assertFalse(p.has(Parameters.PREFIX + "H_init") || p.has(Parameters.PREFIX + "L_init"));
            assertTrue(p.has(Parameters.PREFIX + "net.layers.2.self_attn.qkv_proj.weight"));
            assertFalse(p.entries().stream().anyMatch(e -> e.name().contains("_level")));
            long all = p.trainableSize() + p.puzzleTable().size();
            assertEquals(all, tiny(PosEncoding.ROPE, 16).parameterCount(), "parameterCount is what Parameters lays out");
        }
    }

    /**
     * loss = sum(logits * R) + sum(q * Rq) for fixed random R (zero on the puzzle rows) and Rq;
     * central differences on 8 entries of every trainable tensor and of the batch's puzzle-table
     * rows against the backward's gradients (normwise relative error below 2e-2, as BlockGradientTest).
     */
    @ParameterizedTest(name = "{0} positions")
    @EnumSource(value = PosEncoding.class, names = {"ROPE", "LEARNED"})
    void backwardThroughEveryLayerMatchesFiniteDifferences(PosEncoding pos) {
        ModelConfig cfg = tiny(pos, 16);
        try (CpuBackend be = new CpuBackend(1)) {
            Parameters p = new Parameters(cfg, be);
            p.initialise(be, new SplittableRandom(3));
            SplittableRandom rng = new SplittableRandom(7);
            // q_head starts at zero: random values, so the Q head's gradient reaches the blocks too
            upload(be, p.tensor(Parameters.PREFIX + "q_head.weight"), random(rng, 2 * 16, 0.3));
            upload(be, p.puzzleTable(), random(rng, 3 * 16, 0.5));
            InnerModel inner = InnerModel.create(p, be, true);
            Carry carry = new Carry(be, cfg);
            int[] inputs = new int[2 * 5], ids = {2, 0};
            for (int i = 0; i < inputs.length; i++) inputs[i] = rng.nextInt(6);
            inner.embed(inputs, ids);
            inner.segment(carry.zH, carry.zL, true);
            SequenceLogits logits = inner.logits();
            float[] r = new float[logits.rows().length], rq = random(rng, 4, 1.0);
            for (int b = 0; b < 2; b++)
                for (int c = 0; c < 5; c++)
                    for (int v = 0; v < 6; v++) r[logits.offset(b, c) + v] = (float) rng.nextGaussian();
            inner.backward(r, rq);

            java.util.function.DoubleSupplier loss = () -> {
                inner.embed(inputs, ids);
                inner.segment(carry.zH, carry.zL, false);
                double s = 0;
                float[] l = inner.logits().rows(), q = inner.qHost();
                for (int i = 0; i < l.length; i++) s += (double) l[i] * r[i];
                for (int i = 0; i < q.length; i++) s += (double) q[i] * rq[i];
                return s;
            };
            List<String> checked = new ArrayList<>();
            double worst = 0;
            Map<String, float[]> grads = new HashMap<>();
            for (Parameters.Entry e : p.entries()) if (e.trainable()) grads.put(e.name(), host(be, p.grad(e.name())));
            float[] rowsGrad = host(be, inner.puzzleRowsGrad());
            for (Parameters.Entry e : p.entries()) {
                if (!e.trainable()) continue;
                worst = Math.max(worst, check(e.name(), p.tensor(e.name()), grads.get(e.name()), loss, be, rng));
                checked.add(e.name());
            }
            // the puzzle table's rows 2 and 0 are the batch's rows 0 and 1
            float[] tableGrad = new float[3 * 16];
            for (int j = 0; j < 16; j++) {
                tableGrad[2 * 16 + j] = rowsGrad[j];
                tableGrad[j] = rowsGrad[16 + j];
            }
            worst = Math.max(worst, check("puzzle_emb.weights", p.puzzleTable(), tableGrad, loss, be, rng));
            System.out.printf("transformer backward, %s positions: %d tensors and the puzzle rows, worst normwise relative error %.2e%n",
                    pos.key, checked.size(), worst);
            assertEquals(4 + (pos == PosEncoding.LEARNED ? 1 : 0) + 3 * 4, checked.size(), "every trainable tensor: " + checked);
        }
    }

    /**
     * Traced, the transformer reports its input embedding, then each layer's output: the first layer's
     * update is the whole output of a one-layer model holding the same first layer (and embeddings),
     * the last update is the segment's z_H, and the gradient pass (keeping activations) reports the same.
     */
    @Test
    void itsTraceIsTheInputThenEveryLayersOutput() {
        ModelConfig three = tiny(PosEncoding.ROPE, 16);
        ModelConfig.Architecture a = three.arch();
        ModelConfig one = new ModelConfig(three.data(), new ModelConfig.Architecture(new TransformerFamily(1), a.network(), a.halting(),
                a.forwardDtype(), a.lossType()));
        try (CpuBackend be = new CpuBackend(1)) {
            Parameters p3 = new Parameters(three, be), p1 = new Parameters(one, be);
            p3.initialise(be, new SplittableRandom(3));
            for (Parameters.Entry e : p1.entries()) upload(be, p1.tensor(e.name()), host(be, p3.tensor(e.name())));
            upload(be, p1.puzzleTable(), host(be, p3.puzzleTable()));
            int[] inputs = {1, 2, 3, 4, 5, 0, 1, 2, 3, 4}, ids = {2, 0};
            for (boolean withGrad : new boolean[] {false, true}) {
                List<float[]> updates3 = new ArrayList<>(), updates1 = new ArrayList<>(), inputs3 = new ArrayList<>();
                InnerModel m3 = InnerModel.create(p3, be, withGrad), m1 = InnerModel.create(p1, be, false);
                m3.setTrace(new InnerModel.Trace() {
                    public void update(boolean high, Tensor z) {
                        assertTrue(high);
                        updates3.add(host(be, z));
                    }

                    public void input(Tensor e) {
                        inputs3.add(host(be, e));
                    }
                });
                m1.setTrace((high, z) -> updates1.add(host(be, z)));
                Carry c3 = new Carry(be, three), c1 = new Carry(be, one);
                m3.embed(inputs, ids);
                m3.segment(c3.zH, c3.zL, withGrad);
                m1.embed(inputs, ids);
                m1.segment(c1.zH, c1.zL, false);
                assertEquals(3, updates3.size(), "one update per layer");
                assertEquals(1, inputs3.size());
                assertEquals(1, updates1.size());
                assertTrue(java.util.Arrays.equals(updates1.getFirst(), updates3.getFirst()), "layer 1's output is the one-layer model's");
                assertTrue(java.util.Arrays.equals(host(be, c3.zH), updates3.getLast()), "the last layer's output is z_H");
                assertFalse(java.util.Arrays.equals(inputs3.getFirst(), updates3.getFirst()));
                assertFalse(java.util.Arrays.equals(updates3.get(1), updates3.get(2)));
            }
        }
    }

    /** Checks {@code grad} on 8 random entries of t; returns the normwise relative error. */
    private static double check(String what, Tensor t, float[] grad, java.util.function.DoubleSupplier loss, CpuBackend be, SplittableRandom rng) {
        float[] v = host(be, t);
        double eps = 1e-2, err = 0, norm = 0;
        for (int k = 0; k < 8; k++) {
            int i = rng.nextInt(v.length);
            float keep = v[i];
            v[i] = (float) (keep + eps);
            upload(be, t, v);
            double up = loss.getAsDouble();
            v[i] = (float) (keep - eps);
            upload(be, t, v);
            double down = loss.getAsDouble();
            v[i] = keep;
            upload(be, t, v);
            double num = (up - down) / (2 * eps);
            err += Math.pow(num - grad[i], 2);
            norm += num * num;
        }
        double rel = norm == 0 && err == 0 ? 0 : Math.sqrt(err / Math.max(norm, 1e-20));
        assertTrue(rel < 2e-2, what + ": backward differs from finite differences by " + rel + " (normwise, relative)");
        return rel;
    }

    private static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * scale);
        return a;
    }

    private static void upload(CpuBackend be, Tensor t, float[] v) {
        be.upload(v, 0, t);
    }

    private static float[] host(CpuBackend be, Tensor t) {
        float[] v = new float[t.size()];
        be.download(t, v, 0);
        return v;
    }
}
