package hrm.cli;

import hrm.data.DatasetWriter;
import hrm.io.OutputDirectory;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.data.sudoku.SudokuBuilder;
import hrm.data.sudoku.SudokuCsv;
import hrm.data.sudoku.SudokuGenerator;
import hrm.data.sudoku.SudokuPuzzleList;
import hrm.data.sudoku.SudokuPuzzles;
import hrm.data.sudoku.SudokuSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code hrm data sudoku}: the reference Sudoku builder over one of four sources: the hub
 * (default), a sudoku-extreme CSV, puzzle-only lists solved here, or generated puzzles.
 */
@Command(name = "sudoku", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a Sudoku dataset (vocabulary 11, 81 cells) in the reference layout.",
                "Source: --source-csv, --puzzles, --generate, or else the hub repository --source-repo.",
                "The demo's 6x6 Sudoku: hrm data sudoku6."})
public final class SudokuDataCommand implements Callable<Integer> {
    static final String DEFAULT_REPO = "sapientinc/sudoku-extreme";
    static final int DEFAULT_BLANKS = 54;

    @Option(names = "--output-dir", required = true, description = "dataset directory to write")
    Path outputDir;
    @Option(names = "--source-repo", description = "Hugging Face dataset holding train.csv and test.csv (default: " + DEFAULT_REPO + ")")
    String sourceRepo;
    @Option(names = "--source-csv", description = "a directory with train.csv and test.csv, or one CSV split by --test-fraction (source,question,answer,rating)")
    Path sourceCsv;
    @Option(names = "--puzzles", arity = "1..*", paramLabel = "FILE", description = "puzzle lists (81 characters a line, '.' or '0' blank, '#' comments); solved, rated and split here")
    List<Path> puzzleFiles;
    @Option(names = "--generate", paramLabel = "N", description = "generate N puzzles with a unique solution instead of reading any")
    Integer generate;
    @Option(names = "--blanks", description = "blank cells per generated puzzle, 0-" + SudokuGenerator.MAX_BLANKS
            + " (default: " + DEFAULT_BLANKS + ", or as many as possible when --min-rating is given)")
    Integer blanks;
    @Option(names = "--min-rating", defaultValue = "0", description = "keep only generated puzzles rated (backtracks) at least this (default: ${DEFAULT-VALUE})")
    int minRating;
    @Option(names = "--subsample-size", description = "random training subset of this many puzzles (default: all)")
    Integer subsampleSize;
    @Option(names = "--min-difficulty", description = "keep only puzzles rated at least this, both splits (default: all)")
    Integer minDifficulty;
    @Option(names = "--num-aug", defaultValue = "0", description = "augmented copies per training puzzle (default: ${DEFAULT-VALUE})")
    int numAug;
    @Option(names = "--test-fraction", defaultValue = "0.1", description = "test share of --puzzles, --generate or a single CSV (default: ${DEFAULT-VALUE})")
    double testFraction;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the split, subset, augmentations and generator (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--threads", description = "solver and generator threads (default: all cores)")
    Integer threads;
    @Option(names = "--cache-dir", description = "download cache (default: $HRM_CACHE_DIR or ~/.cache/hrm-java)")
    Path cacheDir;
    @Option(names = "--hub-endpoint", defaultValue = "https://huggingface.co", description = "hub address (default: ${DEFAULT-VALUE})")
    URI hubEndpoint;
    @Option(names = "--overwrite", description = "replace an existing non-empty output directory")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        // bad input, an impossible request or no network: Main reports it in one line (ErrorReport)
        return build();
    }

    private int build() throws IOException {
        int sources = (sourceCsv != null ? 1 : 0) + (puzzleFiles != null ? 1 : 0) + (generate != null ? 1 : 0) + (sourceRepo != null ? 1 : 0);
        if (sources > 1) throw new IllegalArgumentException("choose one source: --source-repo, --source-csv, --puzzles or --generate");
        if (!(testFraction >= 0 && testFraction <= 1)) throw new IllegalArgumentException("--test-fraction must be in [0, 1], got " + testFraction);
        // the writer checks too, but only after the sources are read
        OutputDirectory.checkWritable(outputDir, overwrite, "--overwrite", DatasetWriter.KIND);
        int t = hrm.tensor.cpu.ThreadCount.orDefault("--threads", threads);
        long start = System.nanoTime();
        // Independent streams, so e.g. changing --num-aug does not change the split.
        SplittableRandom root = new SplittableRandom(seed);
        long generatorSeed = root.nextLong();
        SplittableRandom splitRng = root.split(), buildRng = root.split();
        int minRead = minDifficulty == null ? Integer.MIN_VALUE : minDifficulty;

        Sources src = loadSources(t, minRead, generatorSeed, splitRng);

        SudokuBuilder.Summary sum = SudokuBuilder.build(src.train(), src.test(), new SudokuBuilder.Options(subsampleSize, minDifficulty, numAug),
                buildRng, outputDir, overwrite);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("output_dir", outputDir.toString());
        out.put("source", src.name());
        out.put("train_groups", sum.trainGroups());
        out.put("train_examples", sum.trainExamples());
        out.put("test_groups", sum.testGroups());
        out.put("test_examples", sum.testExamples());
        out.put("seconds", Math.round((System.nanoTime() - start) / 1e6) / 1000.0);
        spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(out));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The training and test puzzles, and what they came from. */
    private record Sources(SudokuPuzzles train, SudokuPuzzles test, String name) {}

    private Sources loadSources(int t, int minRead, long generatorSeed, SplittableRandom splitRng) throws IOException {
        if (generate != null) {
            if (generate < 1) throw new IllegalArgumentException("--generate must be positive, got " + generate);
            SudokuSplit s = SudokuSplit.of(SudokuGenerator.generateAll(generate,
                    blanks != null ? blanks : minRating > 0 ? SudokuGenerator.AS_MANY_BLANKS_AS_POSSIBLE : DEFAULT_BLANKS, minRating, generatorSeed, t), testFraction, splitRng);
            return new Sources(s.train(), s.test(), "generated");
        } else if (puzzleFiles != null) {
            SudokuPuzzles all = new SudokuPuzzles();
            int[] q = new int[81], a = new int[81];
            for (Path f : puzzleFiles) {
                SudokuPuzzles p = SudokuPuzzleList.read(f).solve(t);
                for (int i = 0; i < p.size(); i++) {
                    p.question(i, q);
                    p.answer(i, a);
                    all.add(q, a, p.rating(i));
                }
            }
            SudokuSplit s = SudokuSplit.of(all, testFraction, splitRng);
            return new Sources(s.train(), s.test(), puzzleFiles.toString());
        } else if (sourceCsv != null && !Files.isDirectory(sourceCsv)) {
            SudokuSplit s = SudokuSplit.of(SudokuCsv.read(sourceCsv, minRead), testFraction, splitRng);
            return new Sources(s.train(), s.test(), sourceCsv.toString());
        } else {
            Path trainCsv, testCsv;
            String source;
            if (sourceCsv != null) {
                trainCsv = sourceCsv.resolve("train.csv");
                testCsv = sourceCsv.resolve("test.csv");
                source = sourceCsv.toString();
            } else {
                String repo = sourceRepo == null ? DEFAULT_REPO : sourceRepo;
                Path[] files = HubSource.trainAndTest(hubEndpoint, cacheDir, repo);
                trainCsv = files[0];
                testCsv = files[1];
                source = repo;
            }
            return new Sources(SudokuCsv.read(trainCsv, minRead), SudokuCsv.read(testCsv, minRead), source);
        }
    }
}
