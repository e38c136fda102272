package hrm.api;

import hrm.cli.Main;
import hrm.data.sudoku.MiniSudoku;
import hrm.data.sudoku.MiniSudokuBuilder;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny 6x6 Sudoku model trained in seconds (one epoch, hidden size 16, two ACT segments), for tests
 * that need a real checkpoint: the data at DIR/data, the run at DIR/demo/run (where the README's
 * example looks for it). Shared so that each test class needing one does not spell the recipe again.
 */
public final class TinySudokuModel {
    /** A 6x6 puzzle with a solution (the README's). */
    public static final String PUZZLE = "631..44521....54..2...36543.12.26.45";

    /** A CLI run's exit code and what it printed. */
    public record Run(int code, String out, String err) {}

    private TinySudokuModel() {}

    /** Runs the CLI in-process ({@link Main#commandLine()}), capturing stdout and stderr. */
    public static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Builds the data under {@code dir}/data and trains the run {@code dir}/demo/run; returns the run directory. */
    public static Path train(Path dir) {
        Path data = dir.resolve("data");
        MiniSudokuBuilder.build(data, new MiniSudoku(2, 3), 64, 8, 10, 3, false);
        return train(data, dir.resolve("demo/run"), "global_batch_size=8", "epochs=1", "eval_interval=1", "arch.puzzle_emb_ndim=0");
    }

    /**
     * Trains this tiny architecture (hidden size 16, one layer and one cycle of each module, two ACT
     * segments, one thread) on the dataset {@code data} into the run {@code run}, with {@code more}
     * settings (batch size, epochs, puzzle embedding); returns the run directory. Other tiny models
     * (a maze's, an ARC task's) are trained by it too.
     */
    public static Path train(Path data, Path run, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "data_path=" + data, "checkpoint_path=" + run, "lr_warmup_steps=1",
                "arch.hidden_size=16", "arch.num_heads=1", "arch.H_layers=1", "arch.L_layers=1", "arch.H_cycles=1", "arch.L_cycles=1",
                "arch.halt_max_steps=2", "threads=1"));
        args.addAll(List.of(more));
        Run trained = cli(args.toArray(String[]::new));
        if (trained.code() != 0) throw new AssertionError("training the tiny model failed: " + trained.err());
        return run;
    }
}
