package hrm.cli;

import hrm.checkpoint.ModelCheckpoint;
import hrm.data.maze.MazePathChecker;
import hrm.data.maze.MazeTokens;
import hrm.eval.SinglePuzzleRun.Segment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code hrm solve maze FILE}: a square text maze through the model, the path drawn and checked. */
final class MazeSolve {
    private MazeSolve() {}

    static int run(SolveCommand cmd, ModelCheckpoint ckpt, PrintWriter out) {
        Path file = Path.of(cmd.puzzle);
        int[] tokens = read(file);
        hrm.eval.views.ViewSet viewSet = cmd.viewSet(new hrm.eval.views.PuzzleKind.Maze((int) Math.round(Math.sqrt(tokens.length))));
        out.println("maze:");
        out.println(MazeTokens.toText(tokens));
        List<Segment> segs = cmd.runModel(ckpt, tokens, 0, out, MazeTokens::toText);
        int[] answer = segs.get(segs.size() - 1).prediction();
        if (viewSet != null) answer = ViewsSolve.choose(cmd, ckpt, tokens, 0, viewSet, out);
        out.println("answer:");
        out.println(MazeTokens.toText(answer));
        MazePathChecker.Verdict v = new MazePathChecker((int) Math.round(Math.sqrt(tokens.length))).check(tokens, answer);
        out.println(v.solved() ? "a shortest path from S to G" : "not a shortest path: " + v);
        return v.solved() ? 0 : 1;
    }

    /** Rows of '#', ' ', 'S', 'G' (lines may lose trailing spaces to an editor: they are open cells). */
    static int[] read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + hrm.io.IoMessages.of(e), e);
        }
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
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
