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
        out.println("maze:");
        out.println(MazeTokens.toText(tokens));
        List<Segment> segs = cmd.runModel(ckpt, tokens, 0, out, MazeTokens::toText);
        int[] answer = segs.get(segs.size() - 1).prediction();
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
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
        int n = lines.size();
        if (n == 0) throw new IllegalArgumentException(file + ": empty maze");
        int[] g = new int[n * n];
        int starts = 0, goals = 0;
        for (int r = 0; r < n; r++) {
            String line = lines.get(r);
            if (line.length() > n) throw new IllegalArgumentException(file + ":" + (r + 1) + ": " + line.length() + " characters in a maze of " + n + " rows (mazes are square)");
            for (int c = 0; c < n; c++) {
                char ch = c < line.length() ? line.charAt(c) : ' ';
                if ("# SG".indexOf(ch) < 0)
                    throw new IllegalArgumentException(file + ":" + (r + 1) + ": column " + (c + 1) + " is '" + ch + "', expected '#', ' ', 'S' or 'G'");
                if (ch == 'S') starts++;
                if (ch == 'G') goals++;
                g[r * n + c] = MazeTokens.token(ch);
            }
        }
        if (starts != 1 || goals != 1) throw new IllegalArgumentException(file + ": expected one S and one G, found " + starts + " and " + goals);
        return g;
    }
}
