package hrm.cli;

import hrm.data.maze.Maze;
import hrm.data.maze.MazeBuilder;
import hrm.data.maze.MazeCsv;
import hrm.data.maze.MazeGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hrm data maze}: the reference's Maze builder, plus an offline generator of new mazes. */
@Command(name = "maze", mixinStandardHelpOptions = true,
        description = {"Build a Maze dataset (docs/model.md, sections 10-11) from CSV files or from newly generated mazes.",
                "Source: --source-csv, --generate, or else the hub repository --source-repo."})
public final class MazeDataCommand implements Callable<Integer> {
    /** The reference builder's default source. */
    static final String DEFAULT_REPO = "sapientinc/maze-30x30-hard-1k";

    static final class Source {
        @Option(names = "--source-repo", paramLabel = "OWNER/NAME",
                description = "Hugging Face dataset holding train.csv and test.csv (the default source: " + DEFAULT_REPO + ")")
        String sourceRepo;
        @Option(names = "--source-csv", paramLabel = "DIR",
                description = "directory holding train.csv and test.csv (source,question,answer,rating)")
        Path sourceCsv;
        @Option(names = "--generate", paramLabel = "N", description = "generate N new training mazes instead")
        Integer generate;
    }

    @Spec
    CommandSpec spec;
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source = new Source();
    @Option(names = "--output-dir", required = true, description = "dataset directory to write")
    Path outputDir;
    @Option(names = "--subsample-size", description = "keep this many training mazes, drawn at random")
    Integer subsampleSize;
    @Option(names = "--aug", description = "add the 8 dihedral versions of each training maze to its group")
    boolean aug;
    @Option(names = "--size", description = "generated grid side (default: 30)")
    Integer size;
    @Option(names = "--min-path-length",
            description = "generated mazes' shortest path has at least this many steps (default: 111: Maze-Hard's longer than 110)")
    Integer minPathLength;
    @Option(names = "--test-count", description = "generated test mazes (default: as many as --generate)")
    Integer testCount;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the generator and the subsample (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--write-csv", paramLabel = "DIR",
            description = "also write the generated mazes as DIR/train.csv and DIR/test.csv")
    Path writeCsv;
    @Option(names = "--overwrite", description = "replace an existing non-empty output directory")
    boolean overwrite;
    @Option(names = "--cache-dir", description = "download cache (default: $HRM_CACHE_DIR or ~/.cache/hrm-java)")
    Path cacheDir;
    @Option(names = "--hub-endpoint", defaultValue = "https://huggingface.co", description = "hub address (default: ${DEFAULT-VALUE})")
    URI hubEndpoint;

    @Override
    public Integer call() throws IOException {
        // bad input, options or no network: Main reports it in one line (ErrorReport)
        build(spec.commandLine().getOut());
        return 0;
    }

    private void build(PrintWriter out) throws IOException {
        // before any download or generation; the writer checks again when it commits
        hrm.io.OutputDirectory.checkWritable(outputDir, overwrite, "--overwrite", hrm.data.DatasetWriter.KIND);
        List<Maze> train, test;
        if (source.generate == null) {
            if (size != null || minPathLength != null || testCount != null || writeCsv != null)
                throw new IllegalArgumentException("--size, --min-path-length, --test-count and --write-csv go with --generate");
            Path trainCsv, testCsv;
            if (source.sourceCsv != null) {
                Path dir = source.sourceCsv;
                if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--source-csv: " + dir + " is not a directory");
                trainCsv = dir.resolve("train.csv");
                testCsv = dir.resolve("test.csv");
            } else {
                String repo = source.sourceRepo == null ? DEFAULT_REPO : source.sourceRepo;
                Path[] files = HubSource.trainAndTest(hubEndpoint, cacheDir, repo);
                trainCsv = files[0];
                testCsv = files[1];
            }
            train = MazeCsv.read(trainCsv);
            test = MazeCsv.read(testCsv);
        } else {
            int n = source.generate;
            int nTest = testCount == null ? n : testCount;
            if (n < 0 || nTest < 0) throw new IllegalArgumentException("--generate and --test-count must not be negative");
            int size = this.size == null ? 30 : this.size;
            int minPathLength = this.minPathLength == null ? 111 : this.minPathLength;
            long t0 = System.nanoTime();
            MazeGenerator gen = new MazeGenerator(size, minPathLength, new SplittableRandom(seed));
            Set<String> seen = new HashSet<>();
            train = gen.generate(n, seen);
            test = gen.generate(nTest, seen); // distinct from every training maze
            out.printf("generated %d + %d %dx%d mazes (shortest path >= %d) in %.2f s, %d tried%n",
                    n, nTest, size, size, minPathLength, (System.nanoTime() - t0) / 1e9, gen.attempts());
            if (writeCsv != null) {
                MazeCsv.write(writeCsv.resolve("train.csv"), train);
                MazeCsv.write(writeCsv.resolve("test.csv"), test);
            }
        }
        if (subsampleSize != null)
            train = MazeBuilder.subsample(train, subsampleSize, new SplittableRandom(seed));
        for (MazeBuilder.SplitSummary s : MazeBuilder.write(train, test, aug, outputDir, overwrite))
            out.printf("%s: %d groups, %d puzzles, %d examples%n", s.split(), s.groups(), s.puzzles(), s.examples());
        out.println("wrote " + outputDir);
        out.flush();
    }
}
