package hrm;

import hrm.checkpoint.NpyStateDict;
import hrm.checkpoint.Safetensors;
import hrm.checkpoint.TorchCheckpoint;
import hrm.cli.Main;
import hrm.data.Npy;
import hrm.data.PuzzleDataset;
import hrm.train.log.ConfigYaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded, bounded byte-flip fuzz of the loaders that read other people's files: .npy,
 * safetensors, torch.save checkpoints, datasets (dataset.json and the token arrays) and YAML
 * configurations. Each damaged file must load or fail with a bad-input error (what the CLI turns
 * into exit 2 and one line), never another exception, an OutOfMemoryError or a hang.
 */
class FuzzLoadersTest {
    static final int CASES = 60; // per loader
    static final long SECONDS_PER_LOADER = 20;

    @TempDir
    Path tmp;

    @Test
    void damagedFilesLoadOrFailAsBadInput() throws Exception {
        Path npy = Path.of("testdata/parity/sudoku/init/model.inner.H_level.layers.0.mlp.down_proj.weight.npy");
        fuzz("npy", npy, Npy::read);

        Path st = tmp.resolve("model.safetensors");
        Safetensors.write(st, NpyStateDict.read(Path.of("testdata/parity/wide/init")));
        fuzz("safetensors", st, Safetensors::read);

        fuzz("torch checkpoint", Path.of("testdata/parity/arc/checkpoint/step_1007"), TorchCheckpoint::read);

        Path ds = tmp.resolve("ds");
        copy(Path.of("testdata/reference-datasets/sudoku"), ds);
        fuzzInPlace("dataset.json", ds.resolve("test/dataset.json"), f -> PuzzleDataset.open(ds, "test"));
        fuzzInPlace("dataset tokens", ds.resolve("test/all__inputs.npy"), f -> PuzzleDataset.open(ds, "test"));
        fuzzInPlace("dataset offsets", ds.resolve("test/all__puzzle_indices.npy"), f -> PuzzleDataset.open(ds, "test"));

        fuzz("all_config.yaml", Path.of("testdata/parity/sudoku/checkpoint/all_config.yaml"), ConfigYaml::read);
    }

    /** Damaged copies of original go to a file of the same name under tmp. */
    private void fuzz(String what, Path original, Consumer<Path> load) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(what.replace(' ', '_')));
        Path f = dir.resolve(original.getFileName());
        Files.copy(original, f);
        fuzzInPlace(what, f, load);
    }

    private static void fuzzInPlace(String what, Path f, Consumer<Path> load) throws Exception {
        byte[] good = Files.readAllBytes(f);
        SplittableRandom rng = new SplittableRandom(what.hashCode());
        long deadline = System.nanoTime() + SECONDS_PER_LOADER * 1_000_000_000L;
        int refused = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] bad = good.clone();
            int kind = rng.nextInt(4);
            if (kind == 0) bad = java.util.Arrays.copyOf(good, rng.nextInt(good.length)); // truncated
            else {
                int flips = 1 + rng.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    // half the flips in the first and last 4 KiB, where headers, pickles and zip directories live
                    int at = rng.nextBoolean() ? rng.nextInt(good.length)
                            : rng.nextBoolean() ? rng.nextInt(Math.min(4096, good.length)) : good.length - 1 - rng.nextInt(Math.min(4096, good.length));
                    bad[at] = kind == 1 ? (byte) (bad[at] ^ (1 << rng.nextInt(8))) : kind == 2 ? (byte) rng.nextInt(256) : (byte) 0xff;
                }
            }
            Files.write(f, bad);
            try {
                load.accept(f);
            } catch (Throwable e) {
                if (!Main.isBadInput(e))
                    fail(what + " case " + c + ": " + e + " is not a bad-input error", e);
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + " case " + c + ": an error without a message");
                refused++;
            }
            assertTrue(System.nanoTime() < deadline, what + ": " + (c + 1) + " cases took over " + SECONDS_PER_LOADER + " s");
        }
        Files.write(f, good);
        System.out.println("fuzz " + what + ": " + refused + " of " + CASES + " damaged files refused as bad input, the rest loaded");
        assertTrue(refused >= CASES / 5, what + ": only " + refused + " of " + CASES + " damaged files were refused: is the damage reaching the loader?");
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(d);
                else Files.copy(p, d);
            }
        }
    }
}
