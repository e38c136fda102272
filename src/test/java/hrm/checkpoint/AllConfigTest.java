package hrm.checkpoint;

import hrm.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllConfigTest {
    @TempDir
    Path dir;

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

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve(AllConfig.FILE_NAME);
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void readsTheReferenceLayoutIntoTheReferenceModel() throws IOException {
        AllConfig c = AllConfig.besides(write(REFERENCE).resolveSibling("checkpoint"));
        ModelConfig m = c.modelConfig(384, 81, 11, 1);
        assertEquals(ModelConfig.reference(384, 81, 11, 1), m);
        assertEquals(384, c.training().globalBatchSize());
        assertEquals(7e-5, c.training().lr(), 0);
        assertEquals(true, c.training().checkpointEveryEval());
        assertEquals(List.of(), c.training().evalSaveOutputs());
    }

    @Test
    void resolvesInterpolations() throws IOException {
        String yaml = REFERENCE.replace("puzzle_emb_ndim: 512", "puzzle_emb_ndim: ${.hidden_size}")
                .replace("H_layers: 4", "H_layers: ${arch.L_layers}").replace("hidden_size: 512", "hidden_size: 256");
        ModelConfig m = AllConfig.read(write(yaml)).modelConfig(8, 81, 11, 1);
        assertEquals(256, m.puzzleEmbNdim());
        assertEquals(4, ((hrm.model.HrmFamily) m.family()).hLayers());
        refused(REFERENCE.replace("puzzle_emb_ndim: 512", "puzzle_emb_ndim: ${.nope}"), "arch.puzzle_emb_ndim = ${.nope}: '.nope' is not set");
    }

    @Test
    void unknownKeysAndBadValuesNameTheFileAndTheKey() throws IOException {
        refused(REFERENCE.replace("  H_cycles: 2", "  H_cycles: 2\n  H_cylces: 3"), "arch.H_cylces: unknown key; did you mean arch.H_cycles? (known: H_cycles, H_layers, ");
        refused(REFERENCE.replace("beta1: 0.9", "beta1: 0.9\nbeta3: 0.1"), "beta3: unknown key; did you mean beta1 or beta2? (known: arch, beta1, ");
        refused(REFERENCE.replace("    name: losses@ACTLossHead", "    name: losses@ACTLossHead\n    weight: 2"), "arch.loss.weight: unknown key (known: loss_type, name)");
        refused(REFERENCE.replace("@HierarchicalReasoningModel_ACTV1", "@OtherModel"), "arch.name = hrm.hrm_act_v1@OtherModel: only");
        refused(REFERENCE.replace("stablemax_cross_entropy", "hinge"), "arch.loss_type: unknown value 'hinge'");
        refused(REFERENCE.replace("  H_cycles: 2", "  H_cycles: 2\n  seq_len: 81"), "arch.seq_len: set by the dataset");
        refused(REFERENCE.replace("num_heads: 8", "num_heads: 7"), "arch.num_heads = 7: must divide hidden_size 512");
        refused(REFERENCE.replace("pos_encodings: rope", "pos_encodings: alibi"), "arch.pos_encodings = alibi");
        refused(REFERENCE.replace("H_cycles: 2", "H_cycles: two"), "arch.H_cycles = two: expected an integer");
        refused(REFERENCE.replace("H_cycles: 2", "H_cycles: true"), "arch.H_cycles = true: expected an integer");
        refused(REFERENCE.replace("epochs: 20000", "epochs: many"), "epochs = many: expected an integer");
        refused(REFERENCE.replace("lr: 7.0e-05", "lr: [1]"), "lr = [1]: expected a number");
        refused(REFERENCE.replace("arch:", "arch_:"), "arch_: unknown key; did you mean arch? (known: arch, ");
        refused("- a\n- b\n", "expected a mapping at the top level");
        refused("lr: [unclosed\n", "not valid YAML");
    }

    private void refused(String yaml, String expected) throws IOException {
        Path f = write(yaml);
        RuntimeException e = assertThrows(RuntimeException.class, () -> AllConfig.read(f).modelConfig(8, 81, 11, 1));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected: " + expected);
    }
}
