package hrm.checkpoint;

import hrm.model.HrmConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllConfigTest {
    static final Path F = Path.of("cfg/all_config.yaml");

    /** The shape of the reference's all_config.yaml (model_dump of PretrainConfig), hrm_v1 architecture. */
    static final String REFERENCE = """
            arch:
              H_cycles: 2
              H_layers: 4
              L_cycles: 2
              L_layers: 4
              expansion: 4
              halt_exploration_prob: 0.1
              halt_max_steps: 16
              hidden_size: 512
              loss:
                loss_type: stablemax_cross_entropy
                name: losses@ACTLossHead
              name: hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1
              num_heads: 8
              pos_encodings: rope
              puzzle_emb_ndim: 512
            beta1: 0.9
            beta2: 0.95
            checkpoint_every_eval: true
            checkpoint_path: checkpoints/Sudoku-extreme-1k-aug-1000 ACT-torch/HierarchicalReasoningModel_ACTV1 loose-caracal
            data_path: data/sudoku-extreme-1k-aug-1000
            epochs: 20000
            eval_interval: 2000
            eval_save_outputs: []
            global_batch_size: 384
            lr: 7.0e-05
            lr_min_ratio: 1.0
            lr_warmup_steps: 2000
            project_name: Sudoku-extreme-1k-aug-1000 ACT-torch
            puzzle_emb_lr: 7.0e-05
            puzzle_emb_weight_decay: 1.0
            run_name: HierarchicalReasoningModel_ACTV1 loose-caracal
            seed: 0
            weight_decay: 1.0
            """;

    @Test
    void readsTheReferenceLayoutIntoTheReferenceModel() {
        AllConfig c = AllConfig.parse(F, REFERENCE);
        HrmConfig m = c.modelConfig(384, 81, 11, 1);
        assertEquals(HrmConfig.reference(384, 81, 11, 1), m);
        assertEquals(384, c.training().get("global_batch_size"));
        assertEquals(7e-5, (Double) c.training().get("lr"), 0);
        assertEquals(true, c.training().get("checkpoint_every_eval"));
        assertEquals(List.of(), c.training().get("eval_save_outputs"));
    }

    @Test
    void resolvesWholeValueInterpolations() {
        String yaml = REFERENCE.replace("puzzle_emb_ndim: 512", "puzzle_emb_ndim: ${.hidden_size}")
                .replace("H_layers: 4", "H_layers: ${arch.L_layers}").replace("hidden_size: 512", "hidden_size: 256");
        HrmConfig m = AllConfig.parse(F, yaml).modelConfig(8, 81, 11, 1);
        assertEquals(256, m.puzzleEmbNdim());
        assertEquals(4, m.hLayers());
        refused(REFERENCE.replace("puzzle_emb_ndim: 512", "puzzle_emb_ndim: ${.nope}"), "puzzle_emb_ndim = ${.nope}: no such key");
        refused(REFERENCE.replace("run_name: HierarchicalReasoningModel_ACTV1", "run_name: x_${seed}"), "only whole-value interpolations");
    }

    @Test
    void unknownKeysAndBadValuesNameTheKey() {
        refused(REFERENCE.replace("  H_cycles: 2", "  H_cycles: 2\n  H_cylces: 3"), "unknown key 'arch.H_cylces'");
        refused(REFERENCE.replace("beta1: 0.9", "beta1: 0.9\nbeta3: 0.1"), "unknown key 'beta3'");
        refused(REFERENCE.replace("    name: losses@ACTLossHead", "    name: losses@ACTLossHead\n    weight: 2"), "unknown key 'arch.loss.weight'");
        refused(REFERENCE.replace("name: hrm.hrm_act_v1@", "name: hrm.other@"), "arch.name = hrm.other@HierarchicalReasoningModel_ACTV1: only");
        refused(REFERENCE.replace("stablemax_cross_entropy", "hinge"), "arch.loss.loss_type: unknown value 'hinge'");
        refused(REFERENCE.replace("  H_cycles: 2", "  H_cycles: 2\n  seq_len: 81"), "arch.seq_len: comes from the dataset");
        refused(REFERENCE.replace("num_heads: 8", "num_heads: 7"), "arch: num_heads = 7: must divide hidden_size 512");
        refused(REFERENCE.replace("pos_encodings: rope", "pos_encodings: alibi"), "arch: pos_encodings = alibi");
        refused(REFERENCE.replace("H_cycles: 2", "H_cycles: two"), "arch: H_cycles = two: expected an integer");
        refused(REFERENCE.replace("H_cycles: 2", "H_cycles: true"), "arch.H_cycles = true: expected a number or a string");
        refused(REFERENCE.replace("epochs: 20000", "epochs: many"), "epochs = many: expected an integer");
        refused(REFERENCE.replace("lr: 7.0e-05", "lr: [1]"), "lr = [1]: expected a number");
        refused(REFERENCE.replace("seed: 0", "seed: 0\nseed: 1"), "not valid YAML");
        refused(REFERENCE.replace("arch:", "arch_:"), "unknown key 'arch_'");
        refused("- a\n- b\n", "expected a mapping of keys at the top level");
        refused("lr: [unclosed\n", "not valid YAML");
    }

    private static void refused(String yaml, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllConfig.parse(F, yaml).modelConfig(8, 81, 11, 1));
        assertTrue(e.getMessage().startsWith(F + ": ") && e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected: " + expected);
    }
}
