package hrm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hrm.api.Answer;
import hrm.api.Puzzle;
import hrm.data.arc.ArcGrid;
import hrm.data.sudoku.ChangedGiven;

import java.io.PrintWriter;

/**
 * {@code hrm solve --json}: one object a puzzle, one a line. The fields {@code kind}, {@code puzzle},
 * {@code answer}, {@code valid}, {@code why}, {@code segments} and {@code halted_at} are the same
 * for every kind (an HTTP API is to answer exactly these), and their names are kept: grids are
 * lists of rows (Sudoku digits and ARC colours as numbers, 0 a blank; maze rows as strings).
 * Public for {@code hrm serve}, whose /api/solve answers this very object.
 */
public final class SolveJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SolveJson() {}

    /**
     * The object of an answer: kind, puzzle, ({@code line}: the puzzle's line in a file, where it
     * came from one; an ARC input's task and test), answer, valid, why, segments, halted_at, and
     * per kind the changed givens or whether the ARC answer matches the expected output.
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
        return o;
    }

    /** A puzzle's grid: Sudoku digits and ARC colours as rows of numbers, maze rows as strings, tokens as one row. */
    static ArrayNode rows(Puzzle p) {
        return switch (p) {
            case Puzzle.Sudoku s -> rows(s.cells(), s.board().n);
            case Puzzle.Maze m -> rows(m.text());
            case Puzzle.Arc a -> rows(a.input());
            case Puzzle.Tokens t -> rows(t.tokens(), t.tokens().length);
        };
    }

    /** An object of this kind with the puzzle; the answer and verdict follow with {@link #answer}. */
    static ObjectNode puzzle(String kind, ArrayNode puzzle) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", kind);
        o.set("puzzle", puzzle);
        return o;
    }

    /** How --views chose the answer. */
    static void views(ObjectNode o, ViewsSolve.Choice c) {
        ObjectNode v = o.putObject("views");
        v.put("views", c.views());
        v.put("agreeing", c.agreeing());
        v.put("distinct", c.distinct());
        v.put("passes_check", c.passes());
    }

    /** Cells in rows of n, as numbers. */
    static ArrayNode rows(int[] cells, int n) {
        ArrayNode rows = MAPPER.createArrayNode();
        for (int r = 0; r < cells.length / n; r++) {
            ArrayNode row = rows.addArray();
            for (int c = 0; c < n; c++) row.add(cells[r * n + c]);
        }
        return rows;
    }

    /** Text rows (a maze), one string each. */
    static ArrayNode rows(String text) {
        ArrayNode rows = MAPPER.createArrayNode();
        text.lines().forEach(rows::add);
        return rows;
    }

    /** An ARC grid's colours in rows. */
    static ArrayNode rows(ArcGrid g) {
        ArrayNode rows = MAPPER.createArrayNode();
        for (int r = 0; r < g.rows(); r++) {
            ArrayNode row = rows.addArray();
            for (int c = 0; c < g.cols(); c++) row.add(g.get(r, c));
        }
        return rows;
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** The object on one line. */
    static void print(PrintWriter out, ObjectNode o) {
        try {
            out.println(MAPPER.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new AssertionError("a JSON tree of numbers and strings always writes", e);
        }
    }
}
