package hrm.cli;

import hrm.api.AnswerJson;
import hrm.data.sudoku.MiniSudoku;
import hrm.data.sudoku.SudokuLines;
import hrm.data.sudoku.SudokuLines.Puzzle;
import hrm.api.Answer;
import hrm.api.HrmModel;
import hrm.data.sudoku.SudokuSolvability;

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
        for (Puzzle p : puzzles) checkSolvable(p, src, cmd.spec.commandLine().getErr());
        hrm.api.Puzzle.Sudoku[] asked = puzzles.stream().map(p -> new hrm.api.Puzzle.Sudoku(p.cells())).toArray(hrm.api.Puzzle.Sudoku[]::new);
        for (hrm.api.Puzzle.Sudoku p : asked) cmd.checkViews(p);
        int right = 0;
        try (HrmModel model = cmd.open(asked)) {
            for (int i = 0; i < puzzles.size(); i++) {
                Puzzle p = puzzles.get(i);
                boolean grid = !several && !cmd.json; // the one puzzle as text: grids and every note
                if (grid) {
                    out.println("puzzle:");
                    out.println(board.format(p.cells()));
                }
                Answer a = cmd.runModel(model, asked[i], grid ? out : null, t -> board.format(MiniSudoku.fromTokens(t)));
                int[] answer = ((hrm.api.Puzzle.Sudoku) a.solution()).cells();
                String why = a.why();
                if (why == null) right++;
                if (cmd.json) {
                    AnswerJson.print(out, AnswerJson.of(a, src.file() != null ? p.line() : null));
                } else if (grid) {
                    out.println("answer:");
                    out.println(board.format(answer));
                    out.println(why == null ? "valid: every row, column and box holds each digit once, givens kept" : "not a valid solution: " + why);
                } else out.println(a.answerText() + (why == null ? " valid" : " invalid: " + why));
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
    private static void checkSolvable(Puzzle p, Source src, PrintWriter err) {
        if (!new hrm.api.Puzzle.Sudoku(p.cells()).checkSolvable(src.where(p)))
            err.printf("note: %scould not decide whether the puzzle has a solution (the search stopped after %,d steps); "
                    + "running the model on it%n", src.where(p), SudokuSolvability.DEFAULT_MAX_NODES);
    }
}
