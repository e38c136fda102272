package hrm.cli;

import hrm.api.Answer;
import hrm.api.AnswerJson;
import hrm.api.HrmModel;
import hrm.api.Puzzle;
import hrm.data.maze.MazeText;
import hrm.data.maze.MazeTokens;
import hrm.io.BoundedRead;

import java.io.PrintWriter;
import java.nio.file.Path;

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
        Puzzle.Maze maze = new Puzzle.Maze(MazeTokens.toRows(tokens).lines().toList());
        cmd.checkViews(maze);
        try (HrmModel model = cmd.open(maze)) {
            if (!cmd.json) {
                out.println("maze:");
                out.println(MazeTokens.toRows(tokens));
            }
            Answer a = cmd.runModel(model, maze, cmd.json ? null : out, MazeTokens::toRows);
            if (cmd.json) AnswerJson.print(out, AnswerJson.of(a, null));
            else {
                out.println("answer:");
                out.println(a.answerText());
                out.println(a.valid() ? "a shortest path from S to G" : a.why());
            }
            return a.valid() ? 0 : 1;
        }
    }

    /** The maze of PUZZLE: a file, or standard input for "-". */
    static int[] read(String arg) {
        if (!arg.equals("-")) return read(Path.of(arg));
        return MazeText.parse(BoundedRead.text(System.in, SudokuSolve.STDIN, MAX_FILE_BYTES, "a maze (a 30x30 maze is under 1 KiB)"), SudokuSolve.STDIN.toString());
    }

    /**
     * Rows of '#', ' ', 'S', 'G', ending in LF, CRLF or CR. A line may lose its trailing spaces to an
     * editor: they are open cells, so short lines are padded to the maze's side (its row count).
     */
    static int[] read(Path file) {
        return MazeText.parse(BoundedRead.text(file, MAX_FILE_BYTES, "a maze file (a 30x30 maze is under 1 KiB)"), file.toString());
    }
}
