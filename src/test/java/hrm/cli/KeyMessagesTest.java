package hrm.cli;

import hrm.model.ModelConfig;
import hrm.train.config.ConfigException;
import hrm.train.config.ConfigLoader;
import hrm.train.config.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every check of names answers a misspelling with one line: the name as written, "unknown", the nearest known ones. */
class KeyMessagesTest {
    private static final String TRAIN_KEYS = "arch, beta1, beta2, checkpoint_every_eval, checkpoint_every_steps, checkpoint_path, data_path, "
            + "data_paths, data_paths_test, ema, ema_rate, epochs, eval_every_steps, eval_interval, eval_save_outputs, evaluators, freeze_weights, "
            + "global_batch_size, load_checkpoint, lr, lr_min_ratio, lr_warmup_steps, min_eval_interval, project_name, puzzle_emb_lr, "
            + "puzzle_emb_weight_decay, run_name, seed, stop_at_step, threads, weight_decay";
    /** arch's keys: the model's, less those the dataset sets, plus the loss section. */
    private static final String ARCH_KEYS = "H_cycles, H_layers, L_cycles, L_layers, expansion, forward_dtype, halt_exploration_prob, "
            + "halt_max_steps, hidden_size, loss, loss_type, mlp_t, name, no_ACT_continue, num_heads, num_layers, pos_encodings, puzzle_emb_len, "
            + "puzzle_emb_ndim, rms_norm_eps, rope_theta";

    private static String train(String... overrides) {
        SingleProcessTest.Run r = SingleProcessTest.run(Map.of(), concat("train", overrides));
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        return r.err();
    }

    private static String[] concat(String first, String... rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    @Test
    void keyValueArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> KeyValues.parse(List.of("checkpont=x"), Set.of("checkpoint", "data_path", "threads")));
        assertEquals("checkpont: unknown key; did you mean checkpoint? (known: checkpoint, data_path, threads)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KeyValues.parse(List.of("trajectories=3"), Set.of("checkpoint", "threads")));
        assertEquals("trajectories: unknown key (known: checkpoint, threads)", e.getMessage());
    }

    @Test
    void modelKeys() {
        Map<String, Object> m = new HashMap<>(ModelConfig.reference(8, 81, 11, 1).toMap());
        m.put("hiden_size", 64);
        var e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.fromMap(m));
        assertEquals("hiden_size: unknown key; did you mean hidden_size? (known: H_cycles, H_layers, L_cycles, L_layers, batch_size, "
                + "expansion, forward_dtype, halt_exploration_prob, halt_max_steps, hidden_size, loss_type, mlp_t, name, no_ACT_continue, "
                + "num_heads, num_layers, num_puzzle_identifiers, pos_encodings, puzzle_emb_len, puzzle_emb_ndim, rms_norm_eps, rope_theta, seq_len, vocab_size)",
                e.getMessage());
    }

    @Test
    void trainingKeysTopLevelArchAndLoss() {
        assertEquals("hrm train: epoch: unknown key; did you mean epochs? (known: " + TRAIN_KEYS + ")\n", train("epoch=3"));
        assertEquals("hrm train: learning_rate: unknown key (known: " + TRAIN_KEYS + ")\n", train("learning_rate=1e-3"));
        // the report of issue: "arch.unknown model key 'hiden_size'", a prefix glued onto the message
        assertEquals("hrm train: arch.hiden_size: unknown key; did you mean arch.hidden_size? (known: " + ARCH_KEYS + ")\n",
                train("arch.hiden_size=64"));
        assertEquals("hrm train: arch.h_cycles: unknown key; did you mean arch.H_cycles? (known: " + ARCH_KEYS + ")\n", train("arch.h_cycles=3"));
        assertEquals("hrm train: arch.loss.nam: unknown key; did you mean arch.loss.name? (known: loss_type, name)\n", train("arch.loss.nam=x"));
        assertEquals("hrm train: arch.seq_len: set by the dataset, not the configuration\n", train("arch.seq_len=81"),
                "a key the dataset sets is not offered, and not called unknown");
    }

    @Test
    void aConfigurationFileGetsTheSameMessage() {
        Map<String, Object> cfg = ConfigLoader.standard().load("cfg_pretrain", List.of("data_path=x", "arch.num_head=8"));
        var e = assertThrows(ConfigException.class, () -> TrainConfig.fromMap(cfg));
        assertEquals("arch.num_head: unknown key; did you mean arch.num_heads? (known: " + ARCH_KEYS + ")", e.getMessage());
    }

    @Test
    void optionsAndCommandsAreOneLineNotTheUsage() {
        SingleProcessTest.Run r = SingleProcessTest.run(Map.of(), "train", "--confg-name", "x");
        assertEquals(2, r.code());
        assertEquals("hrm train: unknown option '--confg-name'; did you mean --config-name? (see hrm train --help)\n", r.err());
        r = SingleProcessTest.run(Map.of(), "trian");
        assertEquals(2, r.code());
        assertEquals("hrm: unknown command 'trian'; did you mean train? (see hrm --help)\n", r.err());
        r = SingleProcessTest.run(Map.of(), "data", "sudoku-6");
        assertEquals("hrm data: unknown command 'sudoku-6'; did you mean sudoku6? (see hrm data --help)\n", r.err());
        // picocli finds the required --output-dir missing before it reports the misspelling that hides it
        r = SingleProcessTest.run(Map.of(), "data", "sudoku", "--output-dirr=x");
        assertEquals(2, r.code());
        assertEquals("hrm data sudoku: unknown option '--output-dirr'; did you mean --output-dir? (see hrm data sudoku --help)\n", r.err());
        r = SingleProcessTest.run(Map.of(), "data", "sudoku", "--output-dir", "x", "--seed", "abc");
        assertEquals(2, r.code());
        assertEquals("hrm data sudoku: invalid value for option '--seed': 'abc' is not a long (see hrm data sudoku --help)\n", r.err());
        r = SingleProcessTest.run(Map.of(), "eval", "--foo");
        assertEquals("hrm eval: unknown option '--foo' (see hrm eval --help)\n", r.err());
        assertEquals("", r.out(), "no usage");
    }
}
