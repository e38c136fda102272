package hrm.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hrm.checkpoint.ModelCheckpoint;
import hrm.data.sudoku.ChangedGiven;
import hrm.data.sudoku.MiniSudoku;
import hrm.data.sudoku.SudokuLines;
import hrm.data.sudoku.SudokuLines.Puzzle;
import hrm.data.sudoku.SudokuSolvability;
import hrm.eval.SinglePuzzleRun.Segment;
import hrm.eval.views.PuzzleKind;
import hrm.eval.views.ViewSet;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code hrm solve sudoku PUZZLE}: one puzzle given as its cells, or the puzzles of a file or of
 * standard input one a line. Every puzzle is checked before the checkpoint is read (its givens keep
 * the rules and some grid completes them: the model is never asked what has no answer), then all
 * run through one model. One puzzle is printed as a grid; several, one line each and a summary.
 */
final class SudokuSolve {
    /** Standard input, as messages name it. */
    static final Path STDIN = Path.of("stdin");
    /** The answer's changed givens named in text, the rest counted (JSON lists them all). */
    private static final int NAMED_CHANGES = 3;

    /** The puzzles to solve and where they came from: {@code file} null for cells given as the argument. */
    record Source(List<Puzzle> puzzles, Path file) {
        /** "puzzles.txt:3: " for a puzzle of a file, "" for the argument's. */
        String where(Puzzle p) {
            return file == null ? "" : file + ":" + p.line() + ": ";
        }
    }

    private SudokuSolve() {}

    static int run(SolveCommand cmd, String arg, PrintWriter out) {
        Source src = source(arg);
        List<Puzzle> puzzles = src.puzzles();
        boolean several = puzzles.size() > 1;
        if (several && cmd.steps)
            throw new IllegalArgumentException("--steps shows one puzzle's segments: " + src.file() + " holds " + puzzles.size() + " puzzles");
        MiniSudoku board = MiniSudoku.forCells(puzzles.get(0).cells().length);
        for (Puzzle p : puzzles) checkSolvable(board, p, src, cmd.spec.commandLine().getErr());
        ViewSet viewSet = cmd.viewSet(new PuzzleKind.Sudoku(board.boxRows, board.boxCols));
        int[][] tokens = puzzles.stream().map(p -> MiniSudoku.toTokens(p.cells())).toArray(int[][]::new);
        ModelCheckpoint ckpt = cmd.fitting(tokens);
        int right = 0;
        try (SolveCommand.Model model = cmd.model(ckpt, board.cells)) {
            for (int i = 0; i < puzzles.size(); i++) {
                Puzzle p = puzzles.get(i);
                boolean grid = !several && !cmd.json; // the one puzzle as text: grids and every note
                if (grid) {
                    out.println("puzzle:");
                    out.println(board.format(p.cells()));
                }
                List<Segment> segs = cmd.runModel(model, tokens[i], 0, grid ? out : null, t -> board.format(MiniSudoku.fromTokens(t)));
                int[] answer = MiniSudoku.fromTokens(segs.get(segs.size() - 1).prediction());
                ViewsSolve.Choice choice = null;
                if (viewSet != null) {
                    choice = ViewsSolve.choose(cmd, ckpt, tokens[i], 0, viewSet);
                    answer = MiniSudoku.fromTokens(choice.answer());
                    if (grid) out.println(choice.describe());
                }
                List<ChangedGiven> changed = ChangedGiven.find(board, p.cells(), answer);
                String why = changed.isEmpty() ? board.check(p.cells(), answer) : "the model changed " + describe(changed);
                if (why == null) right++;
                if (cmd.json) SolveJson.print(out, json(board, p, src, answer, why, changed, segs, choice));
                else if (grid) {
                    out.println("answer:");
                    out.println(board.format(answer));
                    out.println(why == null ? "valid: every row, column and box holds each digit once, givens kept" : "not a valid solution: " + why);
                } else out.println(line(answer) + (why == null ? " valid" : " invalid: " + why));
                out.flush(); // a long file shows its answers as they come
            }
        }
        if (several && !cmd.json) out.println(right + " solved of " + puzzles.size());
        return right == puzzles.size() ? 0 : 1;
    }

    /**
     * The puzzles PUZZLE names: standard input for "-", the lines of an existing file, else the
     * cells it spells. Text that looks like a path is never read as cells: "a Sudoku of 20 cells"
     * would hide a mistyped file name.
     */
    static Source source(String arg) {
        if (arg.equals("-")) return new Source(SudokuLines.read(System.in, STDIN), STDIN);
        Path file = null;
        try {
            file = Path.of(arg);
        } catch (InvalidPathException e) {
            // not a name the file system takes (a NUL): only cells, which parse names
        }
        if (file != null && Files.exists(file)) return new Source(SudokuLines.read(file), file);
        if (arg.contains("/") || arg.endsWith(".txt") || arg.endsWith(".json"))
            throw new IllegalArgumentException(arg + ": no such file (a Sudoku is its cells, or a file of puzzles one a line)");
        return new Source(List.of(new Puzzle(1, MiniSudoku.parse(arg))), null);
    }

    /**
     * Refuses givens that no grid completes; givens the bounded search cannot decide about are run
     * with a note, as the model may still be asked.
     */
    private static void checkSolvable(MiniSudoku board, Puzzle p, Source src, PrintWriter err) {
        switch (SudokuSolvability.decide(board, p.cells(), SudokuSolvability.DEFAULT_MAX_NODES).verdict()) {
            case NO_SOLUTION -> throw new IllegalArgumentException(src.where(p)
                    + "the puzzle has no solution: its givens keep the rules, but no grid completes them");
            case UNDECIDED -> err.printf("note: %scould not decide whether the puzzle has a solution (the search stopped after %,d steps); "
                    + "running the model on it%n", src.where(p), SudokuSolvability.DEFAULT_MAX_NODES);
            case SOLVABLE -> { }
        }
    }

    /** "given r3c4 from 7 to 2", or the first few of several and how many more. */
    static String describe(List<ChangedGiven> changed) {
        StringBuilder sb = new StringBuilder(changed.size() == 1 ? "given " : "givens ");
        for (int i = 0; i < Math.min(NAMED_CHANGES, changed.size()); i++) sb.append(i > 0 ? ", " : "").append(changed.get(i));
        if (changed.size() > NAMED_CHANGES) sb.append(" and ").append(changed.size() - NAMED_CHANGES).append(" more");
        return sb.toString();
    }

    /** The answer as a puzzle line: digits, '.' where the model left a blank. */
    static String line(int[] cells) {
        StringBuilder sb = new StringBuilder(cells.length);
        for (int v : cells) sb.append(v == 0 ? '.' : Character.forDigit(v, 36));
        return sb.toString();
    }

    private static ObjectNode json(MiniSudoku board, Puzzle p, Source src, int[] answer, String why, List<ChangedGiven> changed, List<Segment> segs,
                                   ViewsSolve.Choice choice) {
        ObjectNode o = SolveJson.puzzle("sudoku", SolveJson.rows(p.cells(), board.n));
        if (src.file() != null) o.put("line", p.line());
        SolveJson.answer(o, SolveJson.rows(answer, board.n), why == null, why, segs);
        ArrayNode changes = o.putArray("changed_givens");
        for (ChangedGiven c : changed)
            changes.addObject().put("cell", c.label()).put("row", c.cell() / board.n + 1).put("column", c.cell() % board.n + 1)
                    .put("given", c.given()).put("answer", c.answer());
        if (choice != null) SolveJson.views(o, choice);
        return o;
    }
}
