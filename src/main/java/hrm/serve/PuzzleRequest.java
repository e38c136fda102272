package hrm.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.api.HrmModel;
import hrm.api.Puzzle;
import hrm.data.arc.ArcGrid;
import hrm.data.sudoku.MiniSudoku;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of /api/solve and /api/trace, {@code {"kind": "sudoku"|"maze"|"arc", "puzzle": ...}}
 * and, optionally, {@code "views": K} and {@code "views_seed": N} ({@code hrm solve --views K
 * --views-seed N}; /api/trace runs the plain puzzle and reads neither), read into a {@link Puzzle}
 * and its views. The puzzle is the text {@code hrm solve} takes (a Sudoku's cells, a maze's rows
 * one a line) or rows (a Sudoku's rows of digits or strings, a maze's row strings, an ARC grid's
 * rows of colours). An ARC puzzle may name its task ({@code "task"}: the row of the puzzle
 * embedding, as {@code hrm solve arc TASK.json} finds it), its place among the task's test inputs
 * ({@code "test"}, 1-based) and the task's expected output ({@code "expected"}, rows), so that the
 * answer is {@code hrm solve --json}'s for that test input. A Sudoku is refused as {@code hrm solve}
 * refuses it, with its message after "puzzle: ": givens that break a rule, or that no grid
 * completes. Views are refused as {@link HrmModel#checkViews} refuses them, after "views: ".
 *
 * @param puzzle    the puzzle
 * @param views     how many test-time views (1, the plain answer, when not given)
 * @param viewsSeed the seed of the views after the first (0 when not given)
 */
record PuzzleRequest(Puzzle puzzle, int views, long viewsSeed) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The request of {@code body}; anything wrong is an {@link ApiError} 400 naming the field. */
    static PuzzleRequest parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("body: not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) throw ApiError.badRequest("body: expected a JSON object {\"kind\": ..., \"puzzle\": ...}");
        JsonNode kind = root.get("kind");
        if (kind == null || !kind.isTextual()) throw ApiError.badRequest("kind: missing; expected \"sudoku\", \"maze\" or \"arc\"");
        JsonNode puzzle = root.get("puzzle");
        if (puzzle == null || puzzle.isNull()) throw ApiError.badRequest("puzzle: missing");
        Puzzle p;
        try {
            p = switch (kind.asText()) {
                case "sudoku" -> sudoku(puzzle);
                case "maze" -> Puzzle.maze(text(puzzle, "\n"));
                case "arc" -> arc(root, puzzle);
                default -> throw ApiError.badRequest("kind: unknown puzzle kind '" + kind.asText() + "'"
                        + hrm.io.DidYouMean.hint(kind.asText(), List.of("sudoku", "maze", "arc"), "") + " (sudoku, maze or arc)");
            };
        } catch (IllegalArgumentException e) {
            // the API's messages name their own field ("rows: ...", "input: ..."): here all of it is "puzzle"
            throw ApiError.badRequest("puzzle: " + e.getMessage().replaceFirst("^(rows|cells|input): ", ""));
        }
        JsonNode views = root.get("views"), seed = root.get("views_seed");
        if (views != null && !(views.isIntegralNumber() && views.canConvertToInt()))
            throw ApiError.badRequest("views: " + views + ", expected a positive integer");
        if (seed != null && !(seed.isIntegralNumber() && seed.canConvertToLong()))
            throw ApiError.badRequest("views_seed: " + seed + ", expected an integer");
        PuzzleRequest r = new PuzzleRequest(p, views == null ? 1 : views.intValue(), seed == null ? 0 : seed.longValue());
        try {
            HrmModel.checkViews(p, r.views()); // before the request waits for the model: "views: K, why"
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        return r;
    }

    /** hrm solve's checks, in its order and words: the cells ({@link MiniSudoku#parse}), then whether any grid completes them. */
    private static Puzzle.Sudoku sudoku(JsonNode puzzle) {
        Puzzle.Sudoku s = new Puzzle.Sudoku(MiniSudoku.parse(text(puzzle, "")));
        s.checkSolvable(""); // undecided after the bounded search: asked anyway, as hrm solve does (its note has no place here)
        return s;
    }

    /** A string as it is, or rows (strings, or numbers 0-9 as digits) joined by {@code sep}. */
    private static String text(JsonNode puzzle, String sep) {
        if (puzzle.isTextual()) return puzzle.asText();
        if (!puzzle.isArray()) throw ApiError.badRequest("puzzle: expected text or a list of rows");
        List<String> rows = new ArrayList<>();
        for (JsonNode row : puzzle) {
            if (row.isTextual()) rows.add(row.asText());
            else if (row.isArray()) {
                StringBuilder sb = new StringBuilder();
                for (JsonNode c : row) {
                    if (!c.isInt() || c.asInt() < 0 || c.asInt() > 9) throw ApiError.badRequest("puzzle: " + c + " is not a digit 0-9");
                    sb.append(c.asInt());
                }
                rows.add(sb.toString());
            } else throw ApiError.badRequest("puzzle: a row must be a string or a list of digits, not " + row);
        }
        return String.join(sep, rows);
    }

    /** An ARC test input: the grid, and the optional task, test and expected output. */
    private static Puzzle.Arc arc(JsonNode root, JsonNode puzzle) {
        JsonNode task = root.get("task"), test = root.get("test"), expected = root.get("expected");
        if (task != null && !task.isNull() && (!task.isTextual() || task.asText().isEmpty()))
            throw ApiError.badRequest("task: expected the ARC task's name, a non-empty string");
        if (test != null && !test.isNull() && (!test.isInt() || test.asInt() < 1))
            throw ApiError.badRequest("test: expected the test input's place in the task, a whole number from 1");
        return new Puzzle.Arc(task == null || task.isNull() ? null : task.asText(), test == null || test.isNull() ? 1 : test.asInt(),
                grid(puzzle, "puzzle"), expected == null || expected.isNull() ? null : grid(expected, "expected"));
    }

    /** An ARC grid, the value of {@code field}: rows of colours 0-9, all of one length. */
    private static ArcGrid grid(JsonNode puzzle, String field) {
        String f = field + ": ";
        if (!puzzle.isArray() || puzzle.isEmpty()) throw ApiError.badRequest(f + "expected an ARC grid, a non-empty list of rows of colours 0-9");
        int rows = puzzle.size(), cols = puzzle.get(0).size();
        if (rows > ArcGrid.MAX_SIZE || cols > ArcGrid.MAX_SIZE)
            throw ApiError.badRequest(f + "a " + rows + "x" + cols + " grid, larger than " + ArcGrid.MAX_SIZE + "x" + ArcGrid.MAX_SIZE);
        int[] colours = new int[rows * cols];
        for (int r = 0; r < rows; r++) {
            JsonNode row = puzzle.get(r);
            if (!row.isArray() || row.size() != cols) throw ApiError.badRequest(f + "row " + (r + 1) + " is not a list of " + cols + " colours");
            for (int c = 0; c < cols; c++) {
                JsonNode v = row.get(c);
                if (!v.isInt() || v.asInt() < 0 || v.asInt() >= ArcGrid.COLOURS)
                    throw ApiError.badRequest(f + "row " + (r + 1) + ", column " + (c + 1) + ": " + v + " is not a colour 0-9");
                colours[r * cols + c] = v.asInt();
            }
        }
        return ArcGrid.of(rows, cols, colours);
    }
}
