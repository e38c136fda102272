package hrm.checkpoint;

import hrm.model.ModelConfig;
import hrm.model.Parameters;
import hrm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterLoaderTest {
    @TempDir
    Path dir;

    static ModelConfig config(int vocab, int puzzles, String pos) {
        return ModelConfig.fromMap(Map.ofEntries(Map.entry("batch_size", 2), Map.entry("seq_len", 9), Map.entry("puzzle_emb_ndim", 16),
                Map.entry("num_puzzle_identifiers", puzzles), Map.entry("vocab_size", vocab), Map.entry("H_cycles", 1), Map.entry("L_cycles", 1),
                Map.entry("H_layers", 1), Map.entry("L_layers", 2), Map.entry("hidden_size", 16), Map.entry("expansion", 2.0),
                Map.entry("num_heads", 2), Map.entry("pos_encodings", pos), Map.entry("halt_max_steps", 2), Map.entry("halt_exploration_prob", 0.1)));
    }

    static float[] download(CpuBackend be, Parameters p, String name) {
        float[] v = new float[p.entry(name).size()];
        be.download(p.tensor(name), v, 0);
        return v;
    }

    @Test
    void stateDictRoundTripsThroughSafetensorsWithAndWithoutTheCompiledPrefix() {
        try (CpuBackend be = new CpuBackend(1)) {
            ModelConfig cfg = config(11, 3, "learned");
            Parameters a = new Parameters(cfg, be);
            a.initialise(be, new SplittableRandom(5));
            Path file = dir.resolve("m.safetensors");
            Safetensors.write(file, ParameterLoader.stateDict(a, be));
            // the same tensors again behind torch.compile's prefix, as the released checkpoints name them
            TensorMap prefixed = new TensorMap(file);
            for (NamedTensor t : Safetensors.read(file).tensors())
                prefixed.put(new NamedTensor(ParameterLoader.COMPILED_PREFIX + t.name(), t.dtype(), t.shape(), t.data()));
            for (TensorMap sd : new TensorMap[]{Safetensors.read(file), prefixed}) {
                Parameters b = new Parameters(cfg, be);
                ParameterLoader.load(sd, b, be);
                for (Parameters.Entry e : a.entries())
                    assertArrayEquals(download(be, a, e.name()), download(be, b, e.name()), e.name());
            }
        }
    }

    @Test
    void bfloat16WidensExactly() {
        try (CpuBackend be = new CpuBackend(1)) {
            ModelConfig cfg = config(11, 3, "rope");
            Parameters a = new Parameters(cfg, be);
            a.initialise(be, new SplittableRandom(9));
            TensorMap sd = new TensorMap();
            float[] want = null;
            for (NamedTensor t : ParameterLoader.stateDict(a, be).tensors()) {
                if (t.name().endsWith("H_init")) {
                    sd.put(NamedTensor.ofBfloat16(t.name(), t.toFloats(), t.shape()));
                    want = t.toFloats();
                    for (int i = 0; i < want.length; i++) {
                        float rounded = Float.intBitsToFloat((NamedTensor.toBfloat16(want[i]) & 0xffff) << 16);
                        assertTrue(Math.abs(rounded - want[i]) <= Math.abs(want[i]) / 256, "bfloat16 keeps 8 significant bits");
                        want[i] = rounded;
                    }
                } else {
                    sd.put(t);
                }
            }
            Parameters b = new Parameters(cfg, be);
            ParameterLoader.load(sd, b, be);
            assertArrayEquals(want, download(be, b, Parameters.PREFIX + "H_init"));
        }
    }

    @Test
    void aStateDictThatDoesNotFitIsRefusedNamingTheTensorAndTheConfigKey() {
        try (CpuBackend be = new CpuBackend(1)) {
            ModelConfig cfg = config(11, 3, "rope");
            Parameters a = new Parameters(cfg, be);
            TensorMap sd = ParameterLoader.stateDict(a, be);
            Path src = dir.resolve("src");
            TensorMap named = new TensorMap(src);
            sd.tensors().forEach(named::put);

            refused(named, config(12, 3, "rope"), be, src + ": tensor 'model.inner.embed_tokens.embedding_weight' has shape (11, 16), "
                    + "the model expects (12, 16) (vocab_size 12 x hidden_size 16)");
            refused(named, config(11, 5, "rope"), be, "tensor 'model.inner.puzzle_emb.weights' has shape (3, 16), the model expects (5, 16) "
                    + "(num_puzzle_identifiers 5 x puzzle_emb_ndim 16)");
            refused(named, config(11, 3, "learned"), be, "missing: model.inner.embed_pos.embedding_weight");

            TensorMap extra = new TensorMap(src);
            sd.tensors().forEach(extra::put);
            extra.put(NamedTensor.ofFloats("model.inner.rotary_emb.cos_cached", new float[4], 4));
            refused(extra, cfg, be, "unexpected: model.inner.rotary_emb.cos_cached");

            TensorMap twice = new TensorMap(src);
            sd.tensors().forEach(twice::put);
            twice.put(NamedTensor.ofFloats("_orig_mod.model.inner.q_head.bias", new float[2], 2));
            refused(twice, cfg, be, "tensor 'model.inner.q_head.bias' is stored twice");

            TensorMap ints = new TensorMap(src);
            for (NamedTensor t : sd.tensors())
                ints.put(t.name().endsWith("q_head.bias") ? NamedTensor.ofInts(t.name(), new int[2], 2) : t);
            refused(ints, cfg, be, "tensor 'model.inner.q_head.bias' is I32, expected a floating-point type");
        }
    }

    @Test
    void aRefusedStateDictLeavesTheParametersUntouched() {
        try (CpuBackend be = new CpuBackend(1)) {
            ModelConfig cfg = config(11, 3, "rope");
            Parameters p = new Parameters(cfg, be);
            p.initialise(be, new SplittableRandom(1));
            float[] before = download(be, p, Parameters.PREFIX + "lm_head.weight");
            Parameters other = new Parameters(config(11, 4, "rope"), be);
            other.initialise(be, new SplittableRandom(2));
            assertThrows(IllegalArgumentException.class, () -> ParameterLoader.load(ParameterLoader.stateDict(other, be), p, be));
            assertArrayEquals(before, download(be, p, Parameters.PREFIX + "lm_head.weight"));
        }
    }

    private static void refused(TensorMap sd, ModelConfig cfg, CpuBackend be, String expected) {
        Parameters p = new Parameters(cfg, be);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParameterLoader.load(sd, p, be));
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected: " + expected);
    }

    /** TRM's weights (the mlp fixture's init/) offered to an HRM model, and to a TRM made for another sequence length. */
    @Test
    void trmWeightsOnTheWrongModelAreRefusedNamingWhy() {
        TensorMap trm = NpyStateDict.read(Path.of("testdata/parity-trm/mlp/init"));
        ModelConfig fixture = ModelConfig.fromMap(Map.ofEntries(Map.entry("batch_size", 6), Map.entry("seq_len", 36), Map.entry("puzzle_emb_ndim", 64),
                Map.entry("num_puzzle_identifiers", 3), Map.entry("vocab_size", 8), Map.entry("H_cycles", 3), Map.entry("L_cycles", 3),
                Map.entry("H_layers", 0), Map.entry("L_layers", 2), Map.entry("hidden_size", 64), Map.entry("expansion", 4.0),
                Map.entry("num_heads", 4), Map.entry("pos_encodings", "none"), Map.entry("halt_max_steps", 4), Map.entry("halt_exploration_prob", 0.5),
                Map.entry("mlp_t", true), Map.entry("puzzle_emb_len", 16)));
        try (CpuBackend be = new CpuBackend(1)) {
            ParameterLoader.load(trm, new Parameters(fixture, be), be); // the model it was made for takes it
            Map<String, Object> hrm = new java.util.HashMap<>(fixture.toMap());
            for (String k : new String[] {"puzzle_emb_len", "mlp_t", "no_ACT_continue"}) hrm.remove(k);
            hrm.put("name", "hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1");
            hrm.put("H_layers", 2);
            hrm.put("pos_encodings", "rope");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ParameterLoader.load(trm, new Parameters(ModelConfig.fromMap(hrm), be), be));
            assertTrue(e.getMessage().contains("missing: model.inner.H_level.layers.0") && e.getMessage().contains("unexpected: ")
                    && e.getMessage().contains("mlp_t.gate_up_proj") && e.getMessage().contains("HierarchicalReasoningModel_ACTV1"), e.getMessage());
            Map<String, Object> longer = new java.util.HashMap<>(fixture.toMap());
            longer.put("seq_len", 49);
            e = assertThrows(IllegalArgumentException.class, () -> ParameterLoader.load(trm, new Parameters(ModelConfig.fromMap(longer), be), be));
            assertTrue(e.getMessage().contains("mlp_t.gate_up_proj.weight' has shape") && e.getMessage().contains("one sequence length"), e.getMessage());
        }
    }
}
