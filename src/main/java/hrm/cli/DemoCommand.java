package hrm.cli;

import hrm.api.Answer;
import hrm.api.HrmModel;
import hrm.api.OpenOptions;
import hrm.api.Puzzle;
import hrm.checkpoint.ModelCheckpoint;
import hrm.data.PuzzleDataset;
import hrm.dist.Cluster;
import hrm.data.PuzzleSet;
import hrm.data.sudoku.MiniSudoku;
import hrm.data.sudoku.MiniSudokuBuilder;
import hrm.io.ShellQuote;
import hrm.train.TrainCheckpoint;
import hrm.train.config.ConfigLoader;
import hrm.train.config.TrainConfig;
import hrm.train.log.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hrm demo}: the whole pipeline on an embedded default, offline. Generates 6x6 Sudoku
 * puzzles, trains a CPU-sized HRM on them (config/cfg_demo.yaml), or with {@code --model trm} a
 * CPU-sized TRM (config/arch/trm_demo.yaml, with the moving average every published TRM run uses),
 * or with {@code --model transformer} the paper's baseline of the same weights
 * (config/arch/transformer_demo.yaml), evaluates it on held-out puzzles and shows some solved.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Train a small HRM on 6x6 Sudoku here, then show it solving",
        description = {"Generate 6x6 Sudoku (2x3 boxes), train a small HRM (or --model trm: TRM; --model transformer: the paper's baseline) on this CPU, evaluate it on held-out puzzles, show a few solved.",
                "Everything goes under --dir (default: demo/). About 7 minutes on 2 cores (--model trm: 11); run again, it shows the result."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", defaultValue = "demo", description = "where the dataset and the run go (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--train-puzzles", defaultValue = "" + Sudoku6DataCommand.TRAIN_PUZZLES, description = "generated training puzzles (default: ${DEFAULT-VALUE})")
    int trainPuzzles;

    @Option(names = "--test-puzzles", defaultValue = "" + Sudoku6DataCommand.TEST_PUZZLES, description = "held-out puzzles (default: ${DEFAULT-VALUE})")
    int testPuzzles;

    @Option(names = "--blanks", defaultValue = "" + Sudoku6DataCommand.BLANKS, description = "blank cells per puzzle, each puzzle with a unique solution (default: ${DEFAULT-VALUE})")
    int blanks;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the puzzles and of training (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--model", defaultValue = "hrm", description = "hrm; trm: the Tiny Recursive Model (arch/trm_demo.yaml, ema=True); "
            + "transformer: the paper's baseline, the same blocks stacked, direct prediction (arch/transformer_demo.yaml); same data (default: ${DEFAULT-VALUE})")
    String model;

    /** Per --model, the overrides on cfg_demo.yaml that choose it. */
    private static final Map<String, List<String>> MODELS = Map.of("hrm", List.of(), "trm", List.of("arch=trm_demo", "ema=True"),
            "transformer", List.of("arch=transformer_demo"));

    @picocli.CommandLine.Parameters(paramLabel = "KEY=VALUE", description = "training overrides on config/cfg_demo.yaml, e.g. epochs=4 threads=2")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!MODELS.containsKey(model))
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--model: expected hrm, trm or transformer, got '" + model + "'");
        long t0 = System.nanoTime();
        MiniSudoku board = Sudoku6DataCommand.board();
        Path data = Sudoku6DataCommand.dataDir(dir, blanks, trainPuzzles, testPuzzles, seed);
        List<String> o = new ArrayList<>(List.of("data_path=" + data, "seed=" + seed));
        o.addAll(MODELS.get(model));
        o.addAll(overrides);
        // the configuration is checked before the data is built: a bad key costs nothing
        TrainConfig cfg = TrainConfig.fromMap(ConfigLoader.standard().load("cfg_demo", o));
        if (Files.isDirectory(data.resolve("test"))) {
            out.println("dataset: " + data + " (already built)");
        } else {
            MiniSudokuBuilder.Summary s = MiniSudokuBuilder.build(data, board, trainPuzzles, testPuzzles, blanks, seed, true);
            out.println(Sudoku6DataCommand.built(s, blanks, data));
        }
        DemoRuns.Choice choice = DemoRuns.choose(dir, model.equals("hrm") ? "run" : "run-" + model, cfg);
        if (choice.note() != null) out.println(choice.note());
        Path runDir = choice.dir();
        Map<String, Map<String, Double>> eval;
        try (RunDirectory run = RunDirectory.open(runDir, choice.reuse())) {
            out.flush();
            eval = TrainingRun.run(cfg, run, choice.checkpoint(), Cluster.SINGLE, DemoRuns::removeSuperseded);
        }
        Path checkpoint = TrainCheckpoint.locate(runDir);
        if (eval.isEmpty()) eval = DemoRuns.lastEvaluation(runDir, TrainCheckpoint.step(checkpoint));
        if (eval.isEmpty()) { // stopped early (stop_at_step): the next demo continues
            out.printf("%nstopped at step %d; run the same command again to continue from there (%s)%n", TrainCheckpoint.step(checkpoint), ShellQuote.quote(checkpoint));
            return 0;
        }
        double exact = eval.get("all").get("exact_accuracy"), cells = eval.get("all").get("accuracy");
        out.printf("%nheld-out puzzles: %.1f%% solved exactly (%.2f%% of cells right), %d puzzles never seen in training%n",
                100 * exact, 100 * cells, testPuzzles);
        showSolved(board, checkpoint, PuzzleDataset.open(data, "test"), out);
        String model = ShellQuote.quote(checkpoint);
        out.printf("%ndone in %.0f s. The model: %s%n", (System.nanoTime() - t0) / 1e9, model);
        TrainingRun.printWhere(runDir, out);
        out.printf("Solve your own: ./hrm solve %s %s sudoku <36 cells, '.' blank>%n", CheckpointOption.FLAG, model);
        return 0;
    }

    /** The first three held-out puzzles with the model's answers and whether they are valid. */
    private static void showSolved(MiniSudoku board, Path checkpoint, PuzzleDataset test, PrintWriter out) {
        PuzzleSet set = test.sets().get(0);
        ModelCheckpoint ckpt = ModelCheckpoint.read(checkpoint);
        ckpt.modelConfig(1, test.metadata(), test.dir()); // the held-out data fits the weights, checked as eval checks it
        // notes dropped: the training run said how it computes already
        try (HrmModel model = HrmModel.of(ckpt, OpenOptions.defaults())) {
            int[] tokens = new int[board.cells];
            for (int e = 0; e < Math.min(3, set.examples()); e++) {
                set.input(e, tokens, 0);
                int[] puzzle = MiniSudoku.fromTokens(tokens);
                Answer a = model.solve(new Puzzle.Sudoku(puzzle));
                int[] answer = ((Puzzle.Sudoku) a.solution()).cells();
                String wrong = board.check(puzzle, answer); // the demo's own wording of what is wrong
                out.printf("%nheld-out puzzle %d:%n", e + 1);
                printSideBySide(board.format(puzzle), board.format(answer), out);
                out.println(wrong == null ? "  solved (ACT would halt after segment " + a.haltedAt() + ")" : "  wrong: " + wrong);
            }
        }
    }

    private static void printSideBySide(String left, String right, PrintWriter out) {
        String[] l = left.split("\n", -1), r = right.split("\n", -1);
        for (int i = 0; i < Math.max(l.length, r.length); i++) {
            String a = i < l.length ? l[i] : "", b = i < r.length ? r[i] : "";
            if (a.isEmpty() && b.isEmpty()) continue;
            out.printf("  %-16s %s %s%n", a, i == l.length / 2 - 1 ? "->" : "  ", b);
        }
    }
}
