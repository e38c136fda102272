package hrm.cli;

import hrm.api.Answer;
import hrm.api.HrmModel;
import hrm.api.OpenOptions;
import hrm.api.Puzzle;
import hrm.checkpoint.ModelCheckpoint;
import hrm.data.arc.ArcTaskReader;
import hrm.eval.SinglePuzzleRun.Segment;
import hrm.model.ModelConfig;
import hrm.tensor.cpu.ThreadCount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hrm solve --checkpoint PATH sudoku|maze|arc PUZZLE}: puzzles through a trained model, each
 * printed with the answer and whether it is right, as text or JSON ({@link AnswerJson}). What can be
 * refused without the model is refused before the checkpoint is read: puzzle text or files, Sudoku
 * givens that break a rule or have no solution ({@link SudokuSolve}).
 */
@Command(name = "solve", mixinStandardHelpOptions = true,
        header = "Solve your own puzzles (or a file of them) with a trained model",
        description = {"Solve puzzles with a trained model and print each with the answer:",
                "  ./hrm solve --checkpoint CKPT sudoku 1..4.41..14.4..1",
                "  ./hrm solve --checkpoint CKPT sudoku puzzles.txt  (one puzzle a line)",
                "  ./hrm solve --checkpoint CKPT --json sudoku - < puzzles.txt",
                "  ./hrm solve --checkpoint CKPT sudoku '4.....8.5 .3....... ...7.....",
                "    .2.....6. ....8.4.. ....1.... ...6.3.7. 5..2..... 1.4......'",
                "  ./hrm solve --checkpoint CKPT maze maze.txt  (rows of '#', ' ', 'S', 'G')",
                "  ./hrm solve --checkpoint CKPT arc task.json  (every test input of the task)",
                "Sudoku cells: 16, 36 or 81, '.' or '0' blank, spaces and '|' ignored. Givens",
                "that repeat a digit in a row, column or box, or that no grid completes, are",
                "refused before the checkpoint is read. Several puzzles: one line each (the",
                "answer, then valid or invalid: why), then how many were solved."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:every answer is right: a valid Sudoku that keeps the givens, a shortest path from S to G, every ARC test's expected output",
                "1:the model answered and some answer is not right: each is printed with what is wrong (a given it changed, a digit repeated, "
                        + "a blank left; not a shortest path; not the expected output)",
                "2:bad input, in one line naming the file and line where there is one: an option, the puzzle, Sudoku givens that break "
                        + "a rule or have no solution (the model never runs on them), or a checkpoint that cannot solve it (trained on "
                        + "another kind or size of puzzle)"})
public final class SolveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    CheckpointOption checkpointOption; // --checkpoint PATH or checkpoint=PATH, also before KIND
    /** The checkpoint loaded (a run directory's latest step_N), for messages; set by {@link #fitting}. */
    Path checkpoint;

    @Option(names = "--steps", description = "show the prediction after every ACT segment")
    boolean steps;

    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;
    private int workers;

    @Option(names = "--views", paramLabel = "K", description = "test-time views (sudoku, maze): answer the most voted mapped-back answer that passes the puzzle's check (default 1)")
    int views = 1;

    @Option(names = "--views-seed", paramLabel = "N", description = "seed of the views after the first (the identity); default 0")
    long viewsSeed;

    @Option(names = "--json", description = "print JSON instead of text: one object a puzzle (an ARC test input), one a line")
    boolean json;

    @Parameters(index = "0", paramLabel = "KIND", description = "sudoku, maze or arc")
    String kind;

    @Parameters(index = "1", paramLabel = "PUZZLE", description = "sudoku: the cells as text, or a file of puzzles one a line, or - (standard input); "
            + "maze: a file or -; arc: a task file")
    String puzzle;

    @Override
    public Integer call() {
        workers = ThreadCount.orDefault("--threads", threads); // before any work
        if (views != 1 && !kind.equals("sudoku") && !kind.equals("maze"))
            throw new IllegalArgumentException("--views " + views + ": test-time views exist for sudoku and maze only");
        if (json && steps) throw new IllegalArgumentException("--steps prints every segment as text: leave out --json");
        PrintWriter out = spec.commandLine().getOut();
        // The puzzle is read before the checkpoint, and the checkpoint checked against it before anything
        // is printed: a puzzle or checkpoint that cannot go together is refused without running the model.
        return switch (kind) {
            case "sudoku" -> SudokuSolve.run(this, puzzle, out);
            case "maze" -> MazeSolve.run(this, MazeSolve.read(puzzle), out);
            case "arc" -> ArcSolve.run(this, ArcTaskReader.read(Path.of(puzzle)), out);
            default -> throw new IllegalArgumentException("unknown puzzle kind '" + kind + "'"
                    + hrm.io.DidYouMean.hint(kind, List.of("sudoku", "maze", "arc"), "") + " (sudoku, maze or arc)");
        };
    }

    /**
     * The checkpoint named, opened once for all the puzzles of a run (its notes on stderr), after
     * every puzzle is known to fit it ({@link HrmModel#prepare}): a puzzle or checkpoint that cannot
     * go together is refused before anything is printed.
     */
    HrmModel open(Puzzle... puzzles) {
        HrmModel model = HrmModel.of(ModelCheckpoint.read(checkpoint = checkpointOption.resolve()),
                new OpenOptions(workers, null, spec.commandLine().getErr()));
        try {
            for (Puzzle p : puzzles) model.prepare(p);
            return model;
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** The worker threads --threads asked for (0: one per core). */
    int workers() {
        return workers;
    }

    /**
     * Runs the model on one puzzle (with --views, its views: {@link HrmModel#solve(Puzzle, int, long)}):
     * every segment shown with --steps, where ACT would halt and how the views chose, on {@code out};
     * null {@code out} prints nothing (several puzzles, one line each, or JSON).
     */
    Answer runModel(HrmModel model, Puzzle p, PrintWriter out, java.util.function.Function<int[], String> show) {
        Answer a = steps ? Answer.of(p, tracedSteps(model, p, out, show)) : null;
        if (a == null || views > 1) a = model.solve(p, views, viewsSeed); // with --steps and --views: the plain run again, then the views
        if (out != null) {
            out.printf("ACT would halt after segment %d of %d; the answer is the last segment's, as evaluation takes it%n", a.haltedAt(), a.segments());
            if (a.views() != null) out.println(describe(a.views()));
        }
        return a;
    }

    /** The line text output prints on how --views chose the answer. */
    static String describe(Answer.Views v) {
        return String.format("views: %d of %d views agree on the answer below (%d distinct answers); %s", v.agreeing(), v.views(), v.distinct(),
                v.passesCheck() ? "it is the most voted answer that passes the puzzle's check" : "no view's answer passes the puzzle's check: the most voted one");
    }

    /** Where stdout is JSON, the notes meant for the reader go to stderr. */
    PrintWriter notes() {
        return json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    /**
     * --steps: every segment with every z update inside it as the output head reads it (the paper's
     * decoding, as {@code hrm analyze trace}), the cells each update changed and those breaking a rule,
     * then the segment's output and Q logits.
     */
    private List<Segment> tracedSteps(HrmModel model, Puzzle p, PrintWriter out, java.util.function.Function<int[], String> show) {
        hrm.analysis.ReasoningTrace.Example ex = model.trace(p);
        List<Segment> segs = new ArrayList<>();
        ModelConfig cfg = model.checkpoint().modelConfig(1, p.tokens().length);
        for (int k = 0; k < ex.segments().size(); k++) {
            hrm.analysis.ReasoningTrace.Segment s = ex.segments().get(k);
            List<hrm.analysis.ReasoningTrace.Update> ups = s.updates();
            for (int u = 0; u < ups.size(); u++) {
                hrm.analysis.ReasoningTrace.Update up = ups.get(u);
                out.printf("segment %d, update %d of %d (%s): %d cells changed%s%n", k + 1, u + 1, ups.size(), up.module(),
                        up.changed().length, ruleNote(up.violations()));
                out.println(show.apply(up.prediction()));
            }
            out.printf("segment %d output  q_halt %.3f  q_continue %.3f%s%n", k + 1, s.qHalt(), s.qContinue(), s.actHaltsHere() ? "  <- ACT halts here" : "");
            out.println(show.apply(s.prediction()));
            segs.add(new Segment(s.prediction(), s.qHalt(), s.qContinue(), cfg.actHalts(s.qHalt(), s.qContinue())));
        }
        return segs;
    }

    private static String ruleNote(Object violations) {
        if (violations instanceof List<?> l) return l.isEmpty() ? ", no rule broken" : ", " + l.size() + " cells break a rule";
        if (violations instanceof Boolean ok) return ok ? ", a shortest path" : ", not a shortest path";
        return "";
    }

    /**
     * Refuses, before the model runs, --views that {@link HrmModel#solve(Puzzle, int, long)} would
     * refuse for {@code p}, in the option's words ("--views K: why").
     */
    void checkViews(Puzzle p) {
        try {
            HrmModel.checkViews(p, views);
        } catch (IllegalArgumentException e) { // "views: K, why"
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^views: (-?\\d+), ", "--views $1: "), e);
        }
    }
}
