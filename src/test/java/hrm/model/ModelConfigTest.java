package hrm.model;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {
    static Map<String, Object> reference() {
        Map<String, Object> m = new HashMap<>(ModelConfig.reference(32, 81, 11, 1).toMap());
        return m;
    }

    @Test
    void derivedSizesFollowTheReference() {
        ModelConfig c = ModelConfig.fromMap(reference());
        assertEquals(1536, c.intermediateSize());
        assertEquals(1, c.puzzleEmbLen());
        assertEquals(82, c.tokens());
        assertEquals(64, c.headDim());
        Map<String, Object> m = reference();
        m.put("puzzle_emb_ndim", 96);
        m.put("hidden_size", 64);
        m.put("num_heads", 2);
        m.put("expansion", 2.0);
        ModelConfig arc = ModelConfig.fromMap(m);
        assertEquals(2, arc.puzzleEmbLen());
        assertEquals(256, arc.intermediateSize()); // round(85.33) = 85 -> 256
    }

    @Test
    void badValuesAreRefusedNamingKeyAndValue() {
        assertRefused("hidden_size", 100, "num_heads");
        assertRefused("pos_encodings", "alibi", "pos_encodings = alibi");
        assertRefused("loss_type", "hinge", "loss_type");
        assertRefused("H_cycles", 0, "H_cycles = 0");
        assertRefused("L_layers", -1, "L_layers = -1");
        assertRefused("expansion", "lots", "expansion = lots");
        assertRefused("halt_exploration_prob", 1.5, "halt_exploration_prob = 1.5");
        assertRefused("forward_dtype", "float16", "forward_dtype = float16");
        assertRefused("hidden_size", 100000, "hidden_size = 100000");
        assertRefused("expansion", 1e12, "expansion = 1.0E12");
        assertRefused("batch_size", 1_000_000, "activations exceed one buffer");
        assertRefused("forward_dtype", "fp32", "forward_dtype = fp32");
        Map<String, Object> m = reference();
        m.put("hidden_sise", 512);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(m));
        assertTrue(e.getMessage().contains("hidden_sise"), e.getMessage());
    }

    @Test
    void forwardDtypeChoosesTheActivationsType() {
        Map<String, Object> m = reference();
        m.put("forward_dtype", "bfloat16");
        assertEquals(hrm.tensor.DataType.BFLOAT16, ModelConfig.fromMap(m).activationType());
        m.put("forward_dtype", "float32");
        assertEquals(hrm.tensor.DataType.FLOAT32, ModelConfig.fromMap(m).activationType());
    }

    @Test
    void anotherDtypeGivenAtRunTimeIsRefusedNamingTheKeyAndValue() {
        ModelConfig c = ModelConfig.fromMap(reference());
        assertEquals(hrm.tensor.DataType.FLOAT32, c.withForwardDtype("float32").activationType());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> c.withForwardDtype("float16"));
        assertTrue(e.getMessage().contains("forward_dtype") && e.getMessage().contains("float16"), e.getMessage());
    }

    @Test
    void parameterCountIsWhatParametersLaysOut() {
        for (String pos : new String[] {"rope", "learned"}) {
            Map<String, Object> m = reference();
            m.put("hidden_size", 64);
            m.put("num_heads", 2);
            m.put("puzzle_emb_ndim", 96);
            m.put("num_puzzle_identifiers", 7);
            m.put("pos_encodings", pos);
            ModelConfig c = ModelConfig.fromMap(m);
            try (hrm.tensor.cpu.CpuBackend be = new hrm.tensor.cpu.CpuBackend(1)) {
                Parameters p = new Parameters(c, be);
                long all = p.trainableSize() + p.hInit().size() + p.lInit().size() + p.puzzleTable().size();
                assertEquals(all, c.parameterCount(), pos);
            }
        }
    }

    static void assertRefused(String key, Object value, String expected) {
        Map<String, Object> m = reference();
        m.put(key, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(m));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static Map<String, Object> trm() {
        Map<String, Object> m = reference();
        m.put("name", TrmFamily.NAME);
        m.put("H_cycles", 3);
        m.put("L_cycles", 6);
        m.put("H_layers", 0);
        m.put("L_layers", 2);
        m.put("puzzle_emb_len", 16);
        m.put("mlp_t", true);
        m.put("pos_encodings", "none");
        return m;
    }

    @Test
    void trmKeysMakeATrmAndAreRefusedOnHrm() {
        ModelConfig t = ModelConfig.fromMap(trm());
        TrmFamily f = assertInstanceOf(TrmFamily.class, t.family());
        assertEquals(97, t.tokens());
        assertEquals(java.util.List.of(new ModelFamily.Level("L_level", 2)), f.levels(), "no H network, whatever H_layers says");
        assertTrue(f.noActContinue(), "no_ACT_continue defaults to True as in the author's code");
        assertEquals(t, ModelConfig.fromMap(t.toMap()), "toMap round-trips, name included");
        // a fixture's config.json has no name: a TRM-only key says which family it is
        Map<String, Object> unnamed = trm();
        unnamed.remove("name");
        assertInstanceOf(TrmFamily.class, ModelConfig.fromMap(unnamed).family());
        // TRM keys on HRM, named
        for (String k : new String[]{"mlp_t", "puzzle_emb_len", "no_ACT_continue"}) {
            Map<String, Object> m = reference();
            m.put(k, k.equals("puzzle_emb_len") ? 4 : (Object) true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(m), k);
            assertTrue(e.getMessage().startsWith(k + " = ") && e.getMessage().contains("HierarchicalReasoningModel_ACTV1"), e.getMessage());
        }
        Map<String, Object> none = reference();
        none.put("pos_encodings", "none");
        assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(none), "HRM has no 'none' positions");
        Map<String, Object> small = trm();
        small.put("puzzle_emb_len", 0);
        small.put("puzzle_emb_ndim", 512);
        assertEquals(1, ModelConfig.fromMap(small).puzzleEmbLen(), "puzzle_emb_len 0: HRM's rule");
        small.put("puzzle_emb_len", 1);
        small.put("puzzle_emb_ndim", 600);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(small));
        assertTrue(e.getMessage().startsWith("puzzle_emb_len = 1"), e.getMessage());
        Map<String, Object> noTable = trm();
        noTable.put("puzzle_emb_ndim", 0);
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(noTable));
        assertTrue(e.getMessage().startsWith("puzzle_emb_len = 16") && e.getMessage().contains("puzzle_emb_ndim is 0"), e.getMessage());
        Map<String, Object> bad = trm();
        bad.put("name", "somewhere@OtherModel");
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(bad));
        assertTrue(e.getMessage().startsWith("name = somewhere@OtherModel"), e.getMessage());
        Map<String, Object> flag = trm();
        flag.put("mlp_t", "maybe");
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(flag));
        assertTrue(e.getMessage().startsWith("mlp_t = maybe"), e.getMessage());
    }
}
