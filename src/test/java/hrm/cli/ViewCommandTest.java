package hrm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hrm.api.TinySudokuModel;
import hrm.eval.EvalOutputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static hrm.api.TinySudokuModel.cli;
import static org.junit.jupiter.api.Assertions.*;

/**
 * hrm view on a real trace.json (hrm analyze trace) and a real hrm eval directory of the tiny 6x6
 * model: one HTML file that requests nothing, whose embedded JSON is the trace and the evaluation,
 * written atomically, never over a file without --overwrite; bad input is one line naming the file.
 */
class ViewCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern DATA = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL);
    @TempDir
    static Path tmp;
    static Path trace, evalDir;

    @BeforeAll
    static void traceAndEvaluateTheTinyModel() {
        Path run = TinySudokuModel.train(tmp);
        TinySudokuModel.Run r = cli("analyze", "trace", "checkpoint=" + run, "examples=0,1,2", "threads=1", "--output", tmp.resolve("analysis").toString());
        assertEquals(0, r.code(), r.err());
        trace = tmp.resolve("analysis/trace.json");
        r = cli("eval", "checkpoint=" + run, "threads=1", "--output", tmp.resolve("eval").toString());
        assertEquals(0, r.code(), r.err());
        evalDir = tmp.resolve("eval");
    }

    /** The JSON document the report embeds, parsed back. */
    static JsonNode embedded(String html) throws Exception {
        Matcher m = DATA.matcher(html);
        assertTrue(m.find(), "no report-data block");
        JsonNode doc = JSON.readTree(m.group(1));
        assertFalse(m.find(), "one report-data block");
        return doc;
    }

    static List<Integer> ints(JsonNode a) {
        List<Integer> out = new ArrayList<>();
        a.forEach(v -> out.add(v.asInt()));
        return out;
    }

    static List<Integer> ints(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    @Test
    void aReportOfATraceAndAnEvaluationIsSelfContainedAndHoldsThem() throws Exception {
        Path dir = tmp.resolve("out1"), report = dir.resolve("report.html");
        TinySudokuModel.Run r = cli("view", "--output", report.toString(), trace.toString(), evalDir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("written: " + report), r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(report), files.toList(), "the report and nothing else: no temporary file left");
        }
        String html = Files.readString(report);

        // nothing requested: no URL at all, no src= or href= but the fragment links and the empty data: icon
        assertFalse(Pattern.compile("(?i)https?://|//[a-z0-9.-]+\\.[a-z]{2,}/").matcher(html).find(), "a URL in the report");
        Matcher refs = Pattern.compile("(?i)\\b(src|href)\\s*=\\s*[\"']?([^\"' >]*)").matcher(html);
        while (refs.find()) assertTrue(refs.group(2).equals("data:,") || refs.group(2).startsWith("#"), "requests " + refs.group());
        assertFalse(html.contains("url("), "CSS fetching a URL");
        assertFalse(Pattern.compile("(?i)<script[^>]*\\ssrc|<link[^>]*stylesheet|@import").matcher(html).find(), "an external script or style");
        // board.js, report.js and the page's style inlined
        assertTrue(html.contains("const HrmBoard = ") && html.contains("report-data") && html.contains(".cell.given"), "inlined files");

        JsonNode doc = embedded(html);
        JsonNode sections = doc.get("sections");
        assertEquals(2, sections.size());
        JsonNode t = sections.get(0);
        assertEquals("trace", t.get("type").asText());
        assertEquals("sudoku", t.get("kind").asText());
        assertEquals(3, t.get("examples").asInt());
        assertEquals(0, t.get("left_out").asInt());
        assertEquals(JSON.readTree(trace.toFile()), t.get("trace"), "the trace embedded as hrm analyze wrote it");

        JsonNode e = sections.get(1);
        assertEquals("eval", e.get("type").asText());
        assertEquals("sudoku", e.get("kind").asText());
        assertTrue(e.get("kind_from").asText().startsWith("the dataset "), e.get("kind_from").asText());
        assertEquals(JSON.readTree(evalDir.resolve("metrics.json").toFile()), e.get("metrics"));
        EvalOutputs outputs = EvalOutputs.open(evalDir);
        assertEquals(outputs.sets().size(), e.get("sets").size());
        for (int s = 0; s < outputs.sets().size(); s++) {
            EvalOutputs.SetOutputs set = outputs.sets().get(s);
            JsonNode got = e.get("sets").get(s);
            assertEquals(set.name(), got.get("name").asText());
            assertEquals(set.examples(), got.get("examples").asInt());
            assertEquals(0, got.get("left_out").asInt());
            assertEquals(set.examples(), got.get("items").size(), "every example of a small set embedded");
            int wrong = 0;
            boolean rightSeen = false;
            for (JsonNode it : got.get("items")) {
                int i = it.get("index").asInt();
                assertEquals(set.correct(i), it.get("correct").asBoolean());
                assertFalse(rightSeen && !set.correct(i), "failures first");
                rightSeen |= set.correct(i);
                wrong += set.correct(i) ? 0 : 1;
                assertEquals(ints(set.input(i)), ints(it.get("input")));
                assertEquals(ints(set.label(i)), ints(it.get("label")));
                assertEquals(ints(set.prediction(i)), ints(it.get("prediction")));
                assertEquals(ints(set.wrongCells(i)), ints(it.get("wrong_cells")));
                assertEquals(set.qHalt(i), it.get("q_halt").floatValue());
            }
            assertEquals(wrong, got.get("wrong").asInt());
        }
    }

    @Test
    void limitEmbedsFailuresFirstAndCountsTheRest() throws Exception {
        Path report = tmp.resolve("limited.html");
        TinySudokuModel.Run r = cli("view", "--limit", "2", "--output", report.toString(), evalDir.toString(), trace.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode sections = embedded(Files.readString(report)).get("sections");
        EvalOutputs.SetOutputs set = EvalOutputs.open(evalDir).sets().getFirst();
        JsonNode got = sections.get(0).get("sets").get(0);
        assertEquals(2, got.get("items").size());
        assertEquals(set.examples() - 2, got.get("left_out").asInt());
        List<Integer> firstTwo = java.util.stream.IntStream.range(0, set.examples()).filter(i -> !set.correct(i)).limit(2).boxed().toList();
        if (firstTwo.size() == 2)
            assertEquals(firstTwo, List.of(got.get("items").get(0).get("index").asInt(), got.get("items").get(1).get("index").asInt()));
        assertEquals(2, sections.get(1).get("trace").get("examples").size());
        assertEquals(1, sections.get(1).get("left_out").asInt());
        assertTrue(r.out().contains("1 left out: --limit"), r.out());
    }

    @Test
    void anExistingFileIsReplacedOnlyWithOverwriteAndNeverADirectory() throws Exception {
        Path report = tmp.resolve("existing.html");
        Files.writeString(report, "mine");
        TinySudokuModel.Run r = cli("view", "--output", report.toString(), trace.toString());
        assertEquals(2, r.code());
        assertEquals(List.of("hrm view: " + report + ": exists (add --overwrite to replace it)"), r.err().lines().toList());
        assertEquals("mine", Files.readString(report));
        // (hrm analyze's output directory stands for its trace.json)
        r = cli("view", "--overwrite", "--output", report.toString(), trace.getParent().toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(report);
        assertTrue(html.startsWith("<!doctype html>"));
        assertEquals(JSON.readTree(trace.toFile()), embedded(html).get("sections").get(0).get("trace"));
        Files.createDirectories(tmp.resolve("a-directory"));
        r = cli("view", "--overwrite", "--output", tmp.resolve("a-directory").toString(), trace.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("a-directory: is a directory"), r.err());
    }

    /** Text that would end the data block or open a comment in it stays inside the JSON, and comes back. */
    @Test
    void theEmbeddedJsonCannotCloseItsScript() throws Exception {
        ObjectNode t = (ObjectNode) JSON.readTree(trace.toFile());
        t.put("checkpoint", "</script><script>alert(1)</script><!--");
        Path hostile = tmp.resolve("hostile/trace.json"), report = tmp.resolve("hostile/report.html");
        Files.createDirectories(hostile.getParent());
        JSON.writeValue(hostile.toFile(), t);
        assertEquals(0, cli("view", "--output", report.toString(), hostile.toString()).code());
        String html = Files.readString(report);
        assertFalse(html.contains("alert(1)</script>"), "the data block is closed by its own contents");
        assertEquals(t, embedded(html).get("sections").get(0).get("trace"));
    }

    /** Without its dataset (moved, or on another machine), the kind comes from the tokens. */
    @Test
    void theKindIsToldByTheTokensWhenTheDatasetIsGone() throws Exception {
        Path copy = tmp.resolve("eval-elsewhere");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(evalDir)) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        ObjectNode metrics = (ObjectNode) JSON.readTree(copy.resolve("metrics.json").toFile());
        metrics.put("data_path", tmp.resolve("nowhere").toString());
        JSON.writeValue(copy.resolve("metrics.json").toFile(), metrics);
        Path report = tmp.resolve("elsewhere.html");
        assertEquals(0, cli("view", "--output", report.toString(), copy.toString()).code());
        JsonNode s = embedded(Files.readString(report)).get("sections").get(0);
        assertEquals("sudoku", s.get("kind").asText());
        assertTrue(s.get("kind_from").asText().startsWith("the tokens"), s.get("kind_from").asText());
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws Exception {
        Path bad = tmp.resolve("bad");
        Files.createDirectories(bad.resolve("empty"));
        Files.writeString(bad.resolve("broken.json"), "{\"examples\": [");
        Files.writeString(bad.resolve("other.json"), "{\"all\": {\"accuracy\": 1}}");
        ObjectNode t = (ObjectNode) JSON.readTree(trace.toFile());
        ((ObjectNode) t.get("examples").get(0).get("segments").get(1)).remove("prediction");
        JSON.writeValue(bad.resolve("truncated.json").toFile(), t);
        Path report = bad.resolve("report.html");
        record Case(Path input, String says) {}
        for (Case c : List.of(new Case(bad.resolve("missing.json"), "no such file or directory"),
                new Case(bad.resolve("broken.json"), "not JSON"),
                new Case(bad.resolve("other.json"), "not a trace.json of hrm analyze trace"),
                new Case(evalDir.resolve("metrics.json"), "for an hrm eval output give its directory"),
                new Case(bad.resolve("truncated.json"), "examples[0].segments[1].prediction: expected an array of tokens"),
                new Case(bad.resolve("empty"), "not an hrm eval output directory (no metrics.json)"))) {
            TinySudokuModel.Run r = cli("view", "--output", report.toString(), trace.toString(), c.input().toString());
            assertEquals(2, r.code(), c + ": " + r.err());
            List<String> lines = r.err().lines().toList();
            assertEquals(1, lines.size(), r.err());
            assertTrue(lines.getFirst().startsWith("hrm view: " + c.input()) && lines.getFirst().contains(c.says()), c + ": " + r.err());
            assertFalse(Files.exists(report), "nothing written for bad input");
        }
        try (Stream<Path> files = Files.list(bad)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }
}
