package hrm.cli;

import hrm.data.DatasetWriter;
import hrm.data.sudoku.MiniSudoku;
import hrm.data.sudoku.MiniSudokuBuilder;
import hrm.io.OutputDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code hrm data sudoku6}: the demo's dataset alone (generated 6x6 Sudoku, 2x3 boxes, offline), so
 * {@code hrm train --config-name cfg_demo} can run the demo's training by itself. Its defaults are
 * the demo's, and so is its default folder: config/cfg_demo.yaml's data_path names it.
 */
@Command(name = "sudoku6", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build the demo's dataset: generated 6x6 Sudoku (2x3 boxes, vocabulary 8, 36 cells), each puzzle with a unique solution; offline.",
                "Then: ./hrm train --config-name cfg_demo (its data_path is this command's default --output-dir)."})
public final class Sudoku6DataCommand implements Callable<Integer> {
    static final int TRAIN_PUZZLES = 20000, TEST_PUZZLES = 1000, BLANKS = 14;
    /** The 6x6 board: 2x3 boxes. */
    static final int BOX_ROWS = 2, BOX_COLS = 3;
    private static final String DEFAULT_DIR_PATTERN = "demo/data-6x6-<blanks>-<train>-<test>-seed<seed>";

    @Spec
    CommandSpec spec;

    @Option(names = "--output-dir", description = "dataset directory to write (default: " + DEFAULT_DIR_PATTERN + ", as hrm demo names it)")
    Path outputDir;
    @Option(names = "--train-puzzles", defaultValue = "" + TRAIN_PUZZLES, description = "generated training puzzles (default: ${DEFAULT-VALUE})")
    int trainPuzzles;
    @Option(names = "--test-puzzles", defaultValue = "" + TEST_PUZZLES, description = "held-out puzzles, none of them in the training split (default: ${DEFAULT-VALUE})")
    int testPuzzles;
    @Option(names = "--blanks", defaultValue = "" + BLANKS, description = "blank cells per puzzle, 1-35 (default: ${DEFAULT-VALUE})")
    int blanks;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the generator (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--overwrite", description = "replace an existing dataset directory")
    boolean overwrite;

    /**
     * Where the demo keeps the dataset of these settings, under its {@code --dir}: every setting is
     * in the name, so a demo with other settings builds its own rather than reusing this one.
     */
    static Path dataDir(Path demoDir, int blanks, int trainPuzzles, int testPuzzles, long seed) {
        return demoDir.resolve("data-6x6-" + blanks + "-" + trainPuzzles + "-" + testPuzzles + "-seed" + seed);
    }

    /** What was built, one line: the demo's report of its dataset too. */
    static String built(MiniSudokuBuilder.Summary s, int blanks, Path dir) {
        return String.format("dataset: %d training and %d held-out 6x6 Sudoku puzzles, %d blanks each, unique solutions, in %.1f s -> %s",
                s.train(), s.test(), blanks, s.seconds(), dir);
    }

    /** The demo's board. */
    static MiniSudoku board() {
        return new MiniSudoku(BOX_ROWS, BOX_COLS);
    }

    @Override
    public Integer call() {
        if (trainPuzzles < 1) throw new IllegalArgumentException("--train-puzzles must be positive, got " + trainPuzzles);
        if (testPuzzles < 1) throw new IllegalArgumentException("--test-puzzles must be positive, got " + testPuzzles);
        Path out = outputDir != null ? outputDir : dataDir(Path.of("demo"), blanks, trainPuzzles, testPuzzles, seed);
        // before generating: the writer checks again when it commits
        OutputDirectory.checkWritable(out, overwrite, "--overwrite", DatasetWriter.KIND);
        MiniSudokuBuilder.Summary s = MiniSudokuBuilder.build(out, board(), trainPuzzles, testPuzzles, blanks, seed, overwrite);
        PrintWriter w = spec.commandLine().getOut();
        w.println(built(s, blanks, out));
        w.println("train on it: ./hrm train --config-name cfg_demo data_path=" + out);
        w.flush();
        return 0;
    }
}
