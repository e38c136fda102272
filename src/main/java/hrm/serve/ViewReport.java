package hrm.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hrm.data.PuzzleDataset;
import hrm.data.maze.MazeTokens;
import hrm.eval.ArcScorer;
import hrm.eval.EvalOutputs;
import hrm.eval.views.PuzzleKind;
import hrm.io.BoundedRead;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code hrm view}'s report: one self-contained HTML file of the page's views, for sharing. Each input
 * (a trace.json of {@code hrm analyze trace}, or an {@code hrm eval} output directory) becomes a
 * section of a JSON document; the file inlines that document in a {@code <script
 * type="application/json">} block, and the page's style.css and board.js with report.css and report.js
 * (src/main/resources/hrm/serve/), so the report draws as the page does and requests nothing.
 */
public final class ViewReport {
    /** Examples embedded per eval set (failures first) and per trace, unless told otherwise. */
    public static final int DEFAULT_LIMIT = 200;
    /** The largest trace.json read: an ARC trace of many examples is a few MB each. */
    private static final long TRACE_LIMIT = 512L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArrayNode sections = JSON.createArrayNode();
    private final int limit;

    /** A report embedding at most {@code limit} examples per trace and per eval set. */
    public ViewReport(int limit) {
        if (limit < 0) throw new IllegalArgumentException("--limit " + limit + ": expected 0 or more");
        this.limit = limit;
    }

    /**
     * Adds the section of {@code input}: an eval output directory, a trace.json, or a directory
     * holding a trace.json (hrm analyze's output). Bad input: an IllegalArgumentException naming the file.
     */
    public ObjectNode add(Path input) {
        ObjectNode section;
        if (!Files.exists(input)) throw new IllegalArgumentException(input + ": no such file or directory");
        if (Files.isDirectory(input)) {
            Path trace = input.resolve("trace.json");
            section = !Files.isRegularFile(input.resolve("metrics.json")) && Files.isRegularFile(trace) ? trace(trace) : eval(input);
        } else {
            section = trace(input);
        }
        sections.add(section);
        return section;
    }

    /** The sections added so far, as embedded. */
    public ArrayNode sections() {
        return sections;
    }

    /** The whole report: one HTML document, everything inline. */
    public String html() {
        List<String> names = new ArrayList<>();
        for (JsonNode s : sections) names.add(String.valueOf(Path.of(s.get("source").asText()).getFileName()));
        String title = "HRM report" + (names.isEmpty() ? "" : ": " + String.join(", ", names));
        ObjectNode doc = JSON.createObjectNode();
        doc.put("title", title);
        doc.set("sections", sections);
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>" + escapeHtml(title) + "</title>\n"
                + "<link rel=\"icon\" href=\"data:,\">\n" // no icon: else a browser asks for one
                + "<style>\n" + resource("style.css", "</style") + resource("report.css", "</style") + "</style>\n"
                + "</head>\n<body>\n<main id=\"report\"></main>\n"
                + "<noscript>This report draws its boards with JavaScript: allow scripts for this file.</noscript>\n"
                + "<script type=\"application/json\" id=\"report-data\">" + scriptSafe(doc) + "</script>\n"
                + "<script>\n" + resource("board.js", "</script") + "</script>\n"
                + "<script>\n" + resource("report.js", "</script") + "</script>\n"
                + "</body>\n</html>\n";
    }

    /**
     * JSON that cannot end its script block: every '<' written as \u003c (valid in a JSON string,
     * the only place JSON has one), so neither "</script" nor "<!--" appears in it.
     */
    static String scriptSafe(JsonNode doc) {
        try {
            return JSON.writeValueAsString(doc).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A page file from the jar, inlined; it must not close its own element early. */
    private static String resource(String name, String closing) {
        String text = new String(StaticFiles.read(name), StandardCharsets.UTF_8);
        if (text.toLowerCase(java.util.Locale.ROOT).contains(closing))
            throw new IllegalStateException(name + " contains \"" + closing + "\": it cannot be inlined");
        return text.endsWith("\n") ? text : text + "\n";
    }

    // ---- a trace.json ----

    private ObjectNode trace(Path file) {
        JsonNode t;
        try {
            t = JSON.readTree(BoundedRead.bytes(file, TRACE_LIMIT, "a trace.json"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not JSON (" + e.getOriginalMessage() + ", line "
                    + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr() + ")", e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
        if (t == null || !t.isObject() || !t.path("examples").isArray())
            throw new IllegalArgumentException(file + ": not a trace.json of hrm analyze trace (no list of \"examples\")"
                    + (file.getFileName().toString().equals("metrics.json") ? "; for an hrm eval output give its directory" : ""));
        checkTrace(file, t);
        ArrayNode all = (ArrayNode) t.get("examples");
        ObjectNode embedded = t.deepCopy();
        ArrayNode kept = embedded.putArray("examples");
        for (int i = 0; i < Math.min(limit, all.size()); i++) kept.add(all.get(i));
        List<int[]> inputs = new ArrayList<>();
        for (JsonNode ex : all) inputs.add(ints(ex.get("input")));
        int seqLen = inputs.getFirst().length;
        String task = t.path("task").asText("");
        ObjectNode s = JSON.createObjectNode();
        s.put("type", "trace");
        s.put("source", file.toString());
        Kind k = task.equals("sudoku") || task.equals("maze") ? new Kind(task, "the trace's task")
                : kind(t.path("data_path").isTextual() ? Path.of(t.get("data_path").asText()) : null, seqLen, inputs::stream);
        s.put("kind", k.name());
        s.put("kind_from", k.from());
        s.put("examples", all.size());
        s.put("left_out", all.size() - kept.size());
        s.set("trace", embedded);
        return s;
    }

    /** The fields the report reads, with the shapes hrm analyze trace writes; else a message naming the field. */
    private static void checkTrace(Path file, JsonNode t) {
        JsonNode examples = t.get("examples");
        if (examples.isEmpty()) throw bad(file, "examples", "expected at least one example");
        for (int e = 0; e < examples.size(); e++) {
            String at = "examples[" + e + "]";
            JsonNode ex = examples.get(e);
            if (!ex.path("index").canConvertToInt()) throw bad(file, at + ".index", "expected an integer");
            int n = tokens(file, ex.get("input"), at + ".input", -1);
            JsonNode segs = ex.get("segments");
            if (segs == null || !segs.isArray() || segs.isEmpty()) throw bad(file, at + ".segments", "expected a non-empty array");
            for (int k = 0; k < segs.size(); k++) {
                String sat = at + ".segments[" + k + "]";
                JsonNode sg = segs.get(k);
                tokens(file, sg.get("prediction"), sat + ".prediction", n);
                for (String f : List.of("q_halt", "q_continue"))
                    if (sg.get(f) == null || !(sg.get(f).isNumber() || sg.get(f).isTextual())) throw bad(file, sat + "." + f, "expected a number");
                if (!sg.path("act_halts_here").isBoolean()) throw bad(file, sat + ".act_halts_here", "expected true or false");
                JsonNode ups = sg.get("updates");
                if (ups == null || !ups.isArray()) throw bad(file, sat + ".updates", "expected an array");
                for (int u = 0; u < ups.size(); u++) {
                    String uat = sat + ".updates[" + u + "]";
                    JsonNode up = ups.get(u);
                    if (!up.path("module").isTextual()) throw bad(file, uat + ".module", "expected \"H\" or \"L\"");
                    tokens(file, up.get("prediction"), uat + ".prediction", n);
                    JsonNode conf = up.get("confidence");
                    if (conf == null || !conf.isArray() || conf.size() != n) throw bad(file, uat + ".confidence", "expected " + n + " numbers");
                    JsonNode changed = up.get("changed");
                    if (changed == null || !changed.isArray()) throw bad(file, uat + ".changed", "expected an array of cell indices");
                }
            }
        }
    }

    /** Checks an array of integer tokens of length {@code n} (any, where negative); returns its length. */
    private static int tokens(Path file, JsonNode a, String at, int n) {
        if (a == null || !a.isArray() || a.isEmpty()) throw bad(file, at, "expected an array of tokens");
        if (n >= 0 && a.size() != n) throw bad(file, at, "expected " + n + " tokens (as the input), found " + a.size());
        for (JsonNode v : a) if (!v.canConvertToInt() || !v.isIntegralNumber()) throw bad(file, at, "expected integer tokens, found " + v);
        return a.size();
    }

    private static IllegalArgumentException bad(Path file, String field, String what) {
        return new IllegalArgumentException(file + ": " + field + ": " + what + " (not a trace.json of hrm analyze trace?)");
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    // ---- an hrm eval output directory ----

    private ObjectNode eval(Path dir) {
        EvalOutputs outputs = EvalOutputs.open(dir);
        ObjectNode s = JSON.createObjectNode();
        s.put("type", "eval");
        s.put("source", dir.toString());
        Kind k = kind(outputs.dataPath(), outputs.sets().getFirst().seqLen(), () -> outputs.sets().stream()
                .flatMap(set -> IntStream.range(0, set.examples()).mapToObj(set::input)));
        s.put("kind", k.name());
        s.put("kind_from", k.from());
        s.set("metrics", outputs.metrics());
        ArrayNode sets = s.putArray("sets");
        for (EvalOutputs.SetOutputs set : outputs.sets()) {
            boolean[] correct = new boolean[set.examples()];
            for (int e = 0; e < correct.length; e++) correct[e] = set.correct(e);
            int[] wrong = IntStream.range(0, correct.length).filter(e -> !correct[e]).toArray();
            int[] right = IntStream.range(0, correct.length).filter(e -> correct[e]).toArray();
            // failures first, each group in the split's order, at most `limit` in all
            int[] shown = IntStream.concat(IntStream.of(wrong), IntStream.of(right)).limit(limit).toArray();
            ObjectNode o = sets.addObject();
            o.put("name", set.name());
            o.put("examples", set.examples());
            o.put("wrong", wrong.length);
            o.put("left_out", set.examples() - shown.length);
            ArrayNode items = o.putArray("items");
            for (int e : shown) {
                ObjectNode it = items.addObject();
                it.put("index", e);
                it.put("correct", correct[e]);
                it.set("input", JSON.valueToTree(set.input(e)));
                it.set("label", JSON.valueToTree(set.label(e)));
                it.set("prediction", JSON.valueToTree(set.prediction(e)));
                it.set("wrong_cells", JSON.valueToTree(set.wrongCells(e)));
                it.put("q_halt", set.qHalt(e));
                it.put("puzzle_identifier", set.puzzleIdentifier(e));
            }
        }
        return s;
    }

    // ---- the puzzle kind: which of board.js's drawings (sudoku, maze, arc; grid: tokens as numbers) ----

    /** A kind of board and how it was told. */
    record Kind(String name, String from) {}

    /**
     * The kind of the puzzles of the dataset at {@code data} where it can be opened (as hrm eval and
     * the views tell it: {@link ArcScorer#isArcDataset}, {@link PuzzleKind#of}); else from the inputs' tokens.
     */
    static Kind kind(Path data, int seqLen, Supplier<Stream<int[]>> inputs) {
        if (data != null) {
            try {
                PuzzleDataset test = PuzzleDataset.open(data, "test");
                String name = ArcScorer.isArcDataset(test) ? "arc" : switch (PuzzleKind.of(test)) {
                    case PuzzleKind.Sudoku x -> "sudoku";
                    case PuzzleKind.Maze x -> "maze";
                    case PuzzleKind.Other x -> "grid";
                };
                return new Kind(name, "the dataset " + data);
            } catch (RuntimeException e) {
                // moved, deleted or on another machine: the tokens tell
            }
        }
        return new Kind(kindOfTokens(seqLen, inputs), "the tokens (" + (data == null ? "no dataset named" : data + " not readable here") + ")");
    }

    /**
     * The kind the inputs' tokens fit, checked in the order that keeps them apart: a 30x30 canvas of
     * tokens 0-11 is ARC (pad 0, end of grid 1, colours 2-11); a square of maze tokens (wall, open,
     * one start, one goal) is a maze, checked before Sudoku as {@link PuzzleKind#of} does (a 4x4
     * Sudoku uses tokens 1-5 too); 16, 36 or 81 tokens all within blank (1) to side + 1 is a Sudoku;
     * anything else is a grid of numbers.
     */
    static String kindOfTokens(int seqLen, Supplier<Stream<int[]>> inputs) {
        int side = (int) Math.round(Math.sqrt(seqLen));
        if (seqLen == 900 && inputs.get().allMatch(in -> within(in, 0, 11))) return "arc";
        if (side * side == seqLen && inputs.get().allMatch(in -> MazeTokens.isQuestion(in, 0, in.length))) return "maze";
        if ((seqLen == 16 || seqLen == 36 || seqLen == 81) && inputs.get().allMatch(in -> within(in, 1, side + 1))) return "sudoku";
        return "grid";
    }

    private static boolean within(int[] in, int lo, int hi) {
        for (int t : in) if (t < lo || t > hi) return false;
        return true;
    }
}
