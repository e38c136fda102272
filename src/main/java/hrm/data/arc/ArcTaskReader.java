package hrm.data.arc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.io.BoundedRead;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an ARC task file: {@code {"train": [{"input": grid, "output": grid}, ...], "test": [...]}}, an
 * optional {@code "name"} (the task's name; the file's stem otherwise), grids as lists of equal-length
 * rows of colours 0-9, at most 30 x 30.
 */
public final class ArcTaskReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Read whole before parsing, so bounded first: 8 MiB holds any task (a 30x30 grid is under 3 KiB of JSON). */
    static final long MAX_FILE_BYTES = 8 << 20;

    private ArcTaskReader() {}

    public static ArcTask read(Path file) {
        byte[] bytes = BoundedRead.bytes(file, MAX_FILE_BYTES, "an ARC task file (ten pairs of 30x30 grids are about 60 KiB)");
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ArcFormatException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (root == null || !root.isObject()) throw new ArcFormatException(file, null, "expected a JSON object with 'train' and 'test'");
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        String name = stem;
        List<ArcPair> pairs = new ArrayList<>();
        boolean sawTrain = false, sawTest = false;
        // Walk the keys in file order: the reference adds examples in the order the lists appear.
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            switch (e.getKey()) {
                case "name" -> {
                    if (!e.getValue().isTextual() || e.getValue().asText().isEmpty())
                        throw new ArcFormatException(file, "name", "expected a non-empty string");
                    name = e.getValue().asText();
                }
                case "train" -> {
                    readPairs(file, "train", e.getValue(), false, pairs);
                    sawTrain = true;
                }
                case "test" -> {
                    readPairs(file, "test", e.getValue(), true, pairs);
                    sawTest = true;
                }
                default -> throw new ArcFormatException(file, e.getKey(), "unknown key (expected 'train', 'test' or 'name')");
            }
        }
        if (!sawTrain) throw new ArcFormatException(file, "train", "missing");
        if (!sawTest) throw new ArcFormatException(file, "test", "missing");
        return new ArcTask(name, file, pairs);
    }

    private static void readPairs(Path file, String key, JsonNode list, boolean test, List<ArcPair> out) {
        if (!list.isArray()) throw new ArcFormatException(file, key, "expected a list of {input, output} pairs");
        if (list.isEmpty()) throw new ArcFormatException(file, key, "has no pairs");
        for (int i = 0; i < list.size(); i++) {
            String field = key + "[" + i + "]";
            JsonNode pair = list.get(i);
            if (!pair.isObject()) throw new ArcFormatException(file, field, "expected an object with 'input' and 'output'");
            for (var names = pair.fieldNames(); names.hasNext(); ) {
                String n = names.next();
                if (!n.equals("input") && !n.equals("output"))
                    throw new ArcFormatException(file, field + "." + n, "unknown key (expected 'input' and 'output')");
            }
            ArcGrid input = readGrid(file, field + ".input", pair.get("input"));
            ArcGrid output = readGrid(file, field + ".output", pair.get("output"));
            out.add(new ArcPair(input, output, test));
        }
    }

    private static ArcGrid readGrid(Path file, String field, JsonNode grid) {
        if (grid == null) throw new ArcFormatException(file, field, "missing");
        if (!grid.isArray() || grid.isEmpty()) throw new ArcFormatException(file, field, "expected a non-empty list of rows");
        int rows = grid.size();
        if (rows > ArcGrid.MAX_SIZE) throw new ArcFormatException(file, field, rows + " rows, more than 30");
        int cols = -1;
        int[] cells = null;
        for (int r = 0; r < rows; r++) {
            JsonNode row = grid.get(r);
            if (!row.isArray() || row.isEmpty())
                throw new ArcFormatException(file, field + "[" + r + "]", "expected a non-empty list of colours");
            if (cols < 0) {
                cols = row.size();
                if (cols > ArcGrid.MAX_SIZE) throw new ArcFormatException(file, field + "[0]", cols + " columns, more than 30");
                cells = new int[rows * cols];
            } else if (row.size() != cols) {
                throw new ArcFormatException(file, field + "[" + r + "]", "ragged grid: row " + r + " has " + row.size()
                        + " cells, row 0 has " + cols);
            }
            for (int c = 0; c < cols; c++) {
                JsonNode v = row.get(c);
                if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() >= ArcGrid.COLOURS)
                    throw new ArcFormatException(file, field + "[" + r + "][" + c + "]", "colour " + v + " is not an integer 0-9");
                cells[r * cols + c] = v.asInt();
            }
        }
        return ArcGrid.of(rows, cols, cells, 0);
    }
}
