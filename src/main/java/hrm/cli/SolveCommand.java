package hrm.cli;

import hrm.checkpoint.ModelCheckpoint;
import hrm.data.PuzzleDataset;
import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcGrid;
import hrm.data.arc.ArcPair;
import hrm.data.arc.ArcTask;
import hrm.data.arc.ArcTaskReader;
import hrm.data.sudoku.MiniSudoku;
import hrm.eval.SinglePuzzleRun;
import hrm.eval.SinglePuzzleRun.Segment;
import hrm.model.HrmAct;
import hrm.model.HrmConfig;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.cpu.ThreadCount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hrm solve --checkpoint PATH sudoku|maze|arc PUZZLE}: one puzzle through a trained model. */
@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Solve one puzzle with a trained model and print it with the answer:",
                "  ./hrm solve --checkpoint CKPT sudoku 4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......",
                "  ./hrm solve --checkpoint CKPT maze maze.txt      (rows of '#' wall, ' ' open, 'S', 'G')",
                "  ./hrm solve --checkpoint CKPT arc task.json      (every test input of the task)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:the answer is right: a valid Sudoku that keeps the givens, a shortest path from S to G, every ARC test's expected output",
                "1:the model answered and the answer is not right (printed, with what is wrong)",
                "2:bad input, in one line: an option, the puzzle, or a checkpoint that cannot solve it (trained on another kind or size of puzzle)"})
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

    @Parameters(index = "0", paramLabel = "KIND", description = "sudoku, maze or arc")
    String kind;

    @Parameters(index = "1", paramLabel = "PUZZLE", description = "sudoku: the cells as text (16, 36 or 81; '.' or '0' blank); maze, arc: a file")
    String puzzle;

    @Override
    public Integer call() {
        workers = ThreadCount.orDefault("--threads", threads); // before any work
        if (views != 1 && !kind.equals("sudoku") && !kind.equals("maze"))
            throw new IllegalArgumentException("--views " + views + ": test-time views exist for sudoku and maze only");
        PrintWriter out = spec.commandLine().getOut();
        // The puzzle is read before the checkpoint, and the checkpoint checked against it before anything
        // is printed: a puzzle or checkpoint that cannot go together is refused without running the model.
        return switch (kind) {
            case "sudoku" -> {
                int[] cells = MiniSudoku.parse(puzzle);
                yield sudoku(cells, fitting(MiniSudoku.toTokens(cells)), out);
            }
            case "maze" -> {
                int[] tokens = MazeSolve.read(Path.of(puzzle));
                yield MazeSolve.run(this, tokens, fitting(tokens), out);
            }
            case "arc" -> {
                ArcTask task = ArcTaskReader.read(Path.of(puzzle));
                List<int[]> inputs = new ArrayList<>();
                for (ArcPair p : task.tests()) {
                    int[] tokens = new int[ArcCanvas.SEQ_LEN];
                    ArcCanvas.place(p.input(), 0, 0, tokens);
                    inputs.add(tokens);
                }
                yield arc(task, inputs, fitting(inputs.toArray(int[][]::new)), out);
            }
            default -> throw new IllegalArgumentException("unknown puzzle kind '" + kind + "' (sudoku, maze or arc)");
        };
    }

    /** The checkpoint, once it is known to take this kind of puzzle with these tokens ({@link PuzzleFit}). */
    private ModelCheckpoint fitting(int[]... inputs) {
        ModelCheckpoint ckpt = ModelCheckpoint.read(checkpoint = checkpointOption.resolve());
        for (int[] tokens : inputs) PuzzleFit.check(ckpt, kind, tokens);
        return ckpt;
    }

    CpuBackend backend(HrmConfig cfg) {
        return Backends.cpu(workers, cfg.activationType(), spec.commandLine().getErr());
    }

    /** Runs the model and prints the ACT segments (all with --steps, else where it would halt). */
    List<Segment> runModel(ModelCheckpoint ckpt, int[] inputs, int puzzleId, PrintWriter out, java.util.function.Function<int[], String> show) {
        HrmConfig cfg = ckpt.modelConfig(1, inputs.length);
        try (CpuBackend be = backend(cfg)) {
            if (ckpt.trainedSeqLen().isEmpty())
                spec.commandLine().getErr().println("note: " + checkpoint + " does not record the puzzle size it was trained on (its training data is not here); running it on this "
                        + inputs.length + "-cell puzzle as given");
            HrmAct act = new HrmAct(ckpt.load(cfg, be), be, false);
            List<Segment> segs = steps ? tracedSteps(act, inputs, puzzleId, out, show) : SinglePuzzleRun.run(act, inputs, puzzleId);
            int halt = haltingSegment(segs);
            out.printf("ACT would halt after segment %d of %d; the answer is the last segment's, as evaluation takes it%n", halt + 1, segs.size());
            return segs;
        }
    }

    /**
     * --steps: every segment with every z update inside it as the output head reads it (the paper's
     * decoding, as {@code hrm analyze trace}), the cells each update changed and those breaking a rule,
     * then the segment's output and Q logits.
     */
    private List<Segment> tracedSteps(HrmAct act, int[] inputs, int puzzleId, PrintWriter out, java.util.function.Function<int[], String> show) {
        hrm.analysis.PuzzleRules rules = hrm.analysis.PuzzleRules.forKind(kind, inputs.length);
        hrm.analysis.ReasoningTrace.Example ex = hrm.analysis.ReasoningTrace.run(act, rules, 0, inputs, puzzleId, false);
        List<Segment> segs = new ArrayList<>();
        boolean alone = act.inner().config().noActContinue();
        for (int k = 0; k < ex.segments().size(); k++) {
            hrm.analysis.ReasoningTrace.Segment s = ex.segments().get(k);
            List<hrm.analysis.ReasoningTrace.Update> ups = s.updates();
            for (int u = 0; u < ups.size(); u++) {
                hrm.analysis.ReasoningTrace.Update up = ups.get(u);
                out.printf("segment %d, update %d of %d (%s): %d cells changed%s%n", k + 1, u + 1, ups.size(), up.high() ? "H" : "L",
                        up.changed().length, ruleNote(up.violations()));
                out.println(show.apply(up.prediction()));
            }
            out.printf("segment %d output  q_halt %.3f  q_continue %.3f%s%n", k + 1, s.qHalt(), s.qContinue(), s.actHaltsHere() ? "  <- ACT halts here" : "");
            out.println(show.apply(s.prediction()));
            segs.add(new Segment(s.prediction(), s.qHalt(), s.qContinue(), alone));
        }
        return segs;
    }

    private static String ruleNote(Object violations) {
        if (violations instanceof List<?> l) return l.isEmpty() ? ", no rule broken" : ", " + l.size() + " cells break a rule";
        if (violations instanceof Boolean ok) return ok ? ", a shortest path" : ", not a shortest path";
        return "";
    }

    /** The views of --views, drawn before the model runs so a bad count costs nothing; null for one view. */
    hrm.eval.views.ViewSet viewSet(hrm.eval.views.PuzzleKind kind) {
        if (views < 1) throw new IllegalArgumentException("--views " + views + ": expected a positive integer");
        try {
            return views == 1 ? null : hrm.eval.views.ViewSet.draw(kind, views, viewsSeed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage().replaceFirst("^views = ", "views "), e);
        }
    }

    static int haltingSegment(List<Segment> segs) {
        for (int k = 0; k < segs.size(); k++) if (segs.get(k).wouldHalt()) return k;
        return segs.size() - 1;
    }

    private int sudoku(int[] cells, ModelCheckpoint ckpt, PrintWriter out) {
        MiniSudoku board = MiniSudoku.forCells(cells.length);
        int[] tokens = MiniSudoku.toTokens(cells);
        hrm.eval.views.ViewSet viewSet = viewSet(new hrm.eval.views.PuzzleKind.Sudoku(board.boxRows, board.boxCols));
        out.println("puzzle:");
        out.println(board.format(cells));
        List<Segment> segs = runModel(ckpt, tokens, 0, out, p -> board.format(MiniSudoku.fromTokens(p)));
        int[] answer = MiniSudoku.fromTokens(segs.get(segs.size() - 1).prediction());
        if (viewSet != null) answer = MiniSudoku.fromTokens(ViewsSolve.choose(this, ckpt, tokens, 0, viewSet, out));
        out.println("answer:");
        out.println(board.format(answer));
        String wrong = board.check(cells, answer);
        out.println(wrong == null ? "valid: every row, column and box holds each digit once, givens kept" : "not a valid solution: " + wrong);
        return wrong == null ? 0 : 1;
    }

    private int arc(ArcTask task, List<int[]> inputs, ModelCheckpoint ckpt, PrintWriter out) {
        int id = arcIdentifier(ckpt, task.name(), out);
        int right = 0, tests = 0;
        for (ArcPair p : task.tests()) {
            int[] tokens = inputs.get(tests++);
            out.println("test input " + tests + ":");
            out.println(p.input());
            List<Segment> segs = runModel(ckpt, tokens, id, out, t -> String.valueOf(ArcCanvas.crop(t, 0)));
            ArcGrid answer = ArcCanvas.crop(segs.get(segs.size() - 1).prediction(), 0);
            out.println("answer:");
            out.println(answer);
            if (p.output() != null && p.output().rows() > 0) {
                boolean ok = answer.equals(p.output());
                if (ok) right++;
                out.println(ok ? "matches the task's expected output" : "differs from the task's expected output");
            }
        }
        return right == tests ? 0 : 1;
    }

    /** The task's puzzle-embedding row, from the training dataset's identifiers.json (0, the blank, if unknown). */
    private static int arcIdentifier(ModelCheckpoint ckpt, String name, PrintWriter out) {
        Path data = Path.of(ckpt.config().training().dataPath());
        if (Files.isDirectory(data)) {
            List<String> ids = PuzzleDataset.open(data, "train").identifiers();
            int i = ids.indexOf(name);
            if (i > 0) return i;
        }
        out.println("note: task '" + name + "' has no puzzle embedding in " + data + "; using the blank identifier");
        return 0;
    }
}
