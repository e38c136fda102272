package hrm.train;

import hrm.data.DatasetWriter;
import hrm.data.PuzzleSetBuilder;
import hrm.train.config.ConfigLoader;
import hrm.train.config.TrainConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A small synthetic task for training tests: reverse a sequence of 8 tokens from 2..5. */
final class TinyTask {
    static final int SEQ = 8, VOCAB = 6;

    private TinyTask() {}

    static Path build(Path dir, int trainGroups, int testGroups, long seed) {
        DatasetWriter w = new DatasetWriter(dir, VOCAB, SEQ);
        SplittableRandom rng = new SplittableRandom(seed);
        fill(w.set("train", "all"), trainGroups, rng);
        fill(w.set("test", "all"), testGroups, rng);
        w.commit(List.of("<blank>"));
        return dir;
    }

    private static void fill(PuzzleSetBuilder b, int groups, SplittableRandom rng) {
        int[] in = new int[SEQ], out = new int[SEQ];
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < SEQ; i++) in[i] = 2 + rng.nextInt(VOCAB - 2);
            for (int i = 0; i < SEQ; i++) out[i] = in[SEQ - 1 - i];
            b.addExample(in, out);
            b.endPuzzle(0);
            b.endGroup();
        }
    }

    /** A CPU-sized model on the tiny task, from the shipped configs plus overrides. */
    static TrainConfig config(Path data, String... extra) {
        return TrainConfig.fromMap(new ConfigLoader(Path.of("config")).load("cfg_pretrain", overrides(data, extra)));
    }

    /** The key=value overrides of {@link #config}, for a command line. */
    static List<String> overrides(Path data, String... extra) {
        List<String> o = new ArrayList<>(List.of("data_path=" + data, "global_batch_size=16", "epochs=4", "eval_interval=2",
                "lr=1e-3", "lr_warmup_steps=2", "puzzle_emb_lr=1e-3", "weight_decay=0.1", "puzzle_emb_weight_decay=0.1",
                "arch.hidden_size=32", "arch.num_heads=2", "arch.H_layers=1", "arch.L_layers=1", "arch.H_cycles=1", "arch.L_cycles=1",
                "arch.halt_max_steps=2", "arch.puzzle_emb_ndim=0", "seed=3"));
        o.addAll(List.of(extra));
        return o;
    }
}
