package hrm.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hrm.data.arc.ArcGrid;
import hrm.data.sudoku.ChangedGiven;

import java.io.PrintWriter;

/**
 * An {@link Answer} as JSON: the object {@code hrm solve --json} prints, one a line, and
 * {@code hrm serve}'s /api/solve answers. The fields {@code kind}, {@code puzzle}, {@code answer},
 * {@code valid}, {@code why}, {@code segments} and {@code halted_at} are the same for every kind,
 * and their names are kept: grids are lists of rows (Sudoku digits and ARC colours as numbers, 0 a
 * blank; maze rows as strings). Built from the Answer alone, so the CLI and the server cannot drift.
 */
public final class AnswerJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AnswerJson() {}

    /**
     * The object of an answer: kind, puzzle, ({@code line}: the puzzle's line in a file, where it
     * came from one; an ARC input's task and test), answer, valid, why, segments, halted_at, and
     * per kind the changed givens or whether the ARC answer matches the expected output; then, where
     * test-time views chose the answer, {@code views}: views, agreeing, distinct, passes_check.
     */
    public static ObjectNode of(Answer a, Long line) {
        ObjectNode o = puzzle(a.puzzle().kind(), rows(a.puzzle()));
        if (line != null) o.put("line", line);
        if (a.puzzle() instanceof Puzzle.Arc arc) {
            o.put("task", arc.task());
            o.put("test", arc.test());
        }
        o.set("answer", rows(a.solution()));
        if (a.valid() == null) o.putNull("valid");
        else o.put("valid", a.valid());
        o.put("why", a.why());
        o.put("segments", a.segments());
        o.put("halted_at", a.haltedAt());
        if (a.puzzle() instanceof Puzzle.Sudoku s) {
            int n = s.board().n;
            ArrayNode changes = o.putArray("changed_givens");
            for (ChangedGiven c : a.changedGivens())
                changes.addObject().put("cell", c.label()).put("row", c.cell() / n + 1).put("column", c.cell() % n + 1)
                        .put("given", c.given()).put("answer", c.answer());
        }
        if (a.puzzle() instanceof Puzzle.Arc && a.valid() != null) o.put("expected_matches", a.valid());
        if (a.views() != null) {
            ObjectNode v = o.putObject("views");
            v.put("views", a.views().views());
            v.put("agreeing", a.views().agreeing());
            v.put("distinct", a.views().distinct());
            v.put("passes_check", a.views().passesCheck());
        }
        return o;
    }

    /** A puzzle's grid: Sudoku digits and ARC colours as rows of numbers, maze rows as strings, tokens as one row. */
    private static ArrayNode rows(Puzzle p) {
        return switch (p) {
            case Puzzle.Sudoku s -> rows(s.cells(), s.board().n);
            case Puzzle.Maze m -> rows(m.text());
            case Puzzle.Arc a -> rows(a.input());
            case Puzzle.Tokens t -> rows(t.tokens(), t.tokens().length);
        };
    }

    /** An object of this kind with the puzzle; the answer and verdict follow. */
    private static ObjectNode puzzle(String kind, ArrayNode puzzle) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", kind);
        o.set("puzzle", puzzle);
        return o;
    }

    /** Cells in rows of n, as numbers. */
    private static ArrayNode rows(int[] cells, int n) {
        ArrayNode rows = MAPPER.createArrayNode();
        for (int r = 0; r < cells.length / n; r++) {
            ArrayNode row = rows.addArray();
            for (int c = 0; c < n; c++) row.add(cells[r * n + c]);
        }
        return rows;
    }

    /** Text rows (a maze), one string each. */
    private static ArrayNode rows(String text) {
        ArrayNode rows = MAPPER.createArrayNode();
        text.lines().forEach(rows::add);
        return rows;
    }

    /** An ARC grid's colours in rows. */
    private static ArrayNode rows(ArcGrid g) {
        ArrayNode rows = MAPPER.createArrayNode();
        for (int r = 0; r < g.rows(); r++) {
            ArrayNode row = rows.addArray();
            for (int c = 0; c < g.cols(); c++) row.add(g.get(r, c));
        }
        return rows;
    }

    /** The object on one line. */
    public static void print(PrintWriter out, ObjectNode o) {
        try {
            out.println(MAPPER.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new AssertionError("a JSON tree of numbers and strings always writes", e);
        }
    }
}
