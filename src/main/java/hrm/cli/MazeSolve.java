package hrm.cli;

import hrm.checkpoint.ModelCheckpoint;
import hrm.data.maze.MazePathChecker;
import hrm.data.maze.MazeTokens;
import hrm.eval.SinglePuzzleRun.Segment;
import hrm.io.BoundedRead;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code hrm solve maze FILE}: a square text maze through the model, the path drawn and checked. */
final class MazeSolve {
    /** A 30x30 maze is under 1 KiB; 1 MiB allows mazes up to 1000x1000 and stops /dev/zero at once. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private MazeSolve() {}

    /**
     * Runs the maze {@link #read} gave through the checkpoint; prints it, the answer and whether it
     * is a shortest path, row by row, or all that as one JSON object.
     */
    static int run(SolveCommand cmd, int[] tokens, PrintWriter out) {
        ModelCheckpoint ckpt = cmd.fitting(tokens);
        int side = (int) Math.round(Math.sqrt(tokens.length));
        hrm.eval.views.ViewSet viewSet = cmd.viewSet(new hrm.eval.views.PuzzleKind.Maze(side));
        if (!cmd.json) {
            out.println("maze:");
            out.println(MazeTokens.toRows(tokens));
        }
        List<Segment> segs;
        try (SolveCommand.Model model = cmd.model(ckpt, tokens.length)) {
            segs = cmd.runModel(model, tokens, 0, cmd.json ? null : out, MazeTokens::toRows);
        }
        int[] answer = segs.get(segs.size() - 1).prediction();
        ViewsSolve.Choice choice = null;
        if (viewSet != null) {
            choice = ViewsSolve.choose(cmd, ckpt, tokens, 0, viewSet);
            answer = choice.answer();
            if (!cmd.json) out.println(choice.describe());
        }
        MazePathChecker.Verdict v = new MazePathChecker(side).check(tokens, answer);
        if (cmd.json) {
            var o = SolveJson.puzzle("maze", SolveJson.rows(MazeTokens.toRows(tokens)));
            SolveJson.answer(o, SolveJson.rows(MazeTokens.toRows(answer)), v.solved(), v.solved() ? null : "not a shortest path: " + v, segs);
            if (choice != null) SolveJson.views(o, choice);
            SolveJson.print(out, o);
        } else {
            out.println("answer:");
            out.println(MazeTokens.toRows(answer));
            out.println(v.solved() ? "a shortest path from S to G" : "not a shortest path: " + v);
        }
        return v.solved() ? 0 : 1;
    }

    /** The maze of PUZZLE: a file, or standard input for "-". */
    static int[] read(String arg) {
        if (!arg.equals("-")) return read(Path.of(arg));
        return parse(BoundedRead.text(System.in, SudokuSolve.STDIN, MAX_FILE_BYTES, "a maze (a 30x30 maze is under 1 KiB)"), SudokuSolve.STDIN);
    }

    /**
     * Rows of '#', ' ', 'S', 'G', ending in LF, CRLF or CR. A line may lose its trailing spaces to an
     * editor: they are open cells, so short lines are padded to the maze's side (its row count).
     */
    static int[] read(Path file) {
        return parse(BoundedRead.text(file, MAX_FILE_BYTES, "a maze file (a 30x30 maze is under 1 KiB)"), file);
    }

    /** The maze of {@code text}, named {@code file} in messages. */
    private static int[] parse(String text, Path file) {
        List<String> lines = lines(text);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
        int n = lines.size();
        if (n == 0) throw new IllegalArgumentException(file + ": empty maze");
        StringBuilder cells = new StringBuilder(n * n);
        for (int r = 0; r < n; r++) {
            String line = lines.get(r);
            if (line.length() > n) throw new IllegalArgumentException(file + ":" + (r + 1) + ": " + line.length() + " characters in a maze of " + n + " rows (mazes are square)");
            cells.append(line).append(" ".repeat(n - line.length()));
        }
        try {
            return MazeTokens.question(cells.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    /** The lines of text, each without its end: "\r\n", "\n" or "\r" (a file from Windows or an old Mac). */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r') continue;
            out.add(text.substring(start, i));
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
            start = i + 1;
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }
}
