package hrm.cli;

import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.data.DatasetMetadata;
import hrm.train.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hrm data sudoku6}: the demo's data alone, and the training part of the demo on it, as cfg_demo.yaml says. */
class Sudoku6DataCommandTest {
    @Test
    void buildsDataTheDemoConfigurationTrainsOn(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("d");
        SingleProcessTest.Run r = SingleProcessTest.run(Map.of(), "data", "sudoku6", "--train-puzzles", "64", "--test-puzzles", "8",
                "--blanks", "10", "--seed", "3", "--output-dir", data.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("dataset: 64 training and 8 held-out 6x6 Sudoku puzzles, 10 blanks each"), r.out());
        assertTrue(r.out().contains("train on it: ./hrm train --config-name cfg_demo data_path=" + data + "\n"), r.out());

        PuzzleDataset train = PuzzleDataset.open(data, "train"), test = PuzzleDataset.open(data, "test");
        DatasetMetadata meta = train.metadata();
        assertEquals(36, meta.seqLen());
        assertEquals(8, meta.vocabSize(), "pad, blank and the digits 1-6");
        assertEquals(1, meta.numPuzzleIdentifiers());
        assertEquals(64, train.examples());
        assertEquals(8, test.examples());
        Set<String> trainPuzzles = puzzles(train.sets().get(0), 10);
        assertEquals(64, trainPuzzles.size(), "distinct");
        for (String p : puzzles(test.sets().get(0), 10)) assertFalse(trainPuzzles.contains(p), "a held-out puzzle in training: " + p);

        Path run = tmp.resolve("run");
        r = SingleProcessTest.run(Map.of(), "train", "--config-name", "cfg_demo", "data_path=" + data, "epochs=1", "eval_interval=1",
                "checkpoint_path=" + run, "threads=2", "arch.hidden_size=32", "arch.num_heads=2");
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(List.of("step_1"), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("step_")).toList(),
                    "one epoch of 64 puzzles in a batch of 64");
        }
    }

    /** The inputs of a split, each checked to have {@code blanks} blank cells (token 1). */
    private static Set<String> puzzles(PuzzleSet set, int blanks) {
        Set<String> out = new HashSet<>();
        int[] tokens = new int[36];
        for (int e = 0; e < set.examples(); e++) {
            set.input(e, tokens, 0);
            assertEquals(blanks, java.util.Arrays.stream(tokens).filter(t -> t == 1).count());
            out.add(java.util.Arrays.toString(tokens));
        }
        return out;
    }

    @Test
    void theDefaultFolderIsCfgDemosDataPathAndTheDemos() {
        String dataPath = String.valueOf(ConfigLoader.standard().load("cfg_demo", List.of()).get("data_path"));
        assertEquals("demo/data-6x6-14-20000-1000-seed0", dataPath);
        assertEquals(Path.of(dataPath), Sudoku6DataCommand.dataDir(Path.of("demo"), Sudoku6DataCommand.BLANKS,
                Sudoku6DataCommand.TRAIN_PUZZLES, Sudoku6DataCommand.TEST_PUZZLES, 0), "what sudoku6 and the demo write by default");
        var defaults = new picocli.CommandLine(new Sudoku6DataCommand()).getCommandSpec();
        assertEquals("20000", defaults.findOption("--train-puzzles").defaultValue());
        assertEquals("1000", defaults.findOption("--test-puzzles").defaultValue());
        assertEquals("14", defaults.findOption("--blanks").defaultValue());
        assertEquals("0", defaults.findOption("--seed").defaultValue());
    }

    @Test
    void badCountsAreOneLine(@TempDir Path tmp) {
        SingleProcessTest.Run r = SingleProcessTest.run(Map.of(), "data", "sudoku6", "--train-puzzles", "0", "--output-dir", tmp.resolve("d").toString());
        assertEquals(2, r.code());
        assertEquals("hrm data sudoku6: --train-puzzles must be positive, got 0\n", r.err());
        r = SingleProcessTest.run(Map.of(), "data", "sudoku6", "--blanks", "36", "--train-puzzles", "2", "--test-puzzles", "1", "--output-dir", tmp.resolve("d").toString());
        assertEquals(2, r.code());
        assertEquals("hrm data sudoku6: blanks = 36: must be in 1..35\n", r.err());
        assertFalse(Files.exists(tmp.resolve("d")));
    }
}
