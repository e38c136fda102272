package hrm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hrm.data.arc.ArcGrid;
import hrm.eval.SinglePuzzleRun.Segment;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code hrm solve --json}: one object a puzzle, one a line. The fields {@code kind}, {@code puzzle},
 * {@code answer}, {@code valid}, {@code why}, {@code segments} and {@code halted_at} are the same
 * for every kind (an HTTP API is to answer exactly these), and their names are kept: grids are
 * lists of rows (Sudoku digits and ARC colours as numbers, 0 a blank; maze rows as strings).
 */
final class SolveJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SolveJson() {}

    /** An object of this kind with the puzzle; the answer and verdict follow with {@link #answer}. */
    static ObjectNode puzzle(String kind, ArrayNode puzzle) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", kind);
        o.set("puzzle", puzzle);
        return o;
    }

    /**
     * The answer, whether it is right ({@code valid} null where that cannot be known: an ARC test
     * without its expected output), what is wrong ({@code why}, null when right), and the segments
     * the model ran with the one after which ACT would halt (1-based).
     */
    static void answer(ObjectNode o, ArrayNode answer, Boolean valid, String why, List<Segment> segs) {
        o.set("answer", answer);
        if (valid == null) o.putNull("valid");
        else o.put("valid", valid);
        o.put("why", why);
        o.put("segments", segs.size());
        o.put("halted_at", SolveCommand.haltingSegment(segs) + 1);
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
