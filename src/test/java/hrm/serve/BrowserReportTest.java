package hrm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.api.TinySudokuModel;
import hrm.data.Npy;
import hrm.eval.EvalOutputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static hrm.api.TinySudokuModel.cli;
import static org.junit.jupiter.api.Assertions.*;

/**
 * hrm view's report in a real browser (headless Chromium, {@link HeadlessBrowser}), opened from its
 * file:// URL with no server: the first trace example's board shows the trace's answer, the slider
 * shows each update's prediction, the evaluation's "failures only" list holds exactly the wrong
 * examples, and nothing is logged as an error. The screenshot is left at target/view-report.png.
 */
class BrowserReportTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static Path report, evalDir;
    static JsonNode trace;
    @RegisterExtension
    static final HeadlessBrowser.Session page = new HeadlessBrowser.Session();
    static HeadlessBrowser browser;

    @BeforeAll
    static void writeTheReport() throws Exception {
        browser = page.browser;
        if (browser == null) return; // no browser here: each test is skipped
        Path run = TinySudokuModel.train(tmp);
        assertEquals(0, cli("analyze", "trace", "checkpoint=" + run, "examples=0,3", "threads=1", "--output", tmp.resolve("analysis").toString()).code());
        trace = JSON.readTree(tmp.resolve("analysis/trace.json").toFile());
        evalDir = tmp.resolve("eval");
        TinySudokuModel.Run r = cli("eval", "checkpoint=" + run, "threads=1", "--output", evalDir.toString());
        assertEquals(0, r.code(), r.err());
        makeTwoRight(evalDir);
        report = tmp.resolve("report.html");
        r = cli("view", "--output", report.toString(), tmp.resolve("analysis/trace.json").toString(), evalDir.toString());
        assertEquals(0, r.code(), r.err());
    }

    /**
     * The tiny model gets no 6x6 puzzle entirely right, so a filter of failures would leave nothing
     * out: examples 1 and 2 of the first set get their labels as predictions (the files hrm eval wrote).
     */
    static void makeTwoRight(Path dir) {
        EvalOutputs.SetOutputs set = EvalOutputs.open(dir).sets().getFirst();
        Path file = dir.resolve(set.name() + "__predictions.npy");
        int[] p = Npy.read(file).toInts();
        for (int e : new int[] {1, 2}) System.arraycopy(set.label(e), 0, p, e * set.seqLen(), set.seqLen());
        Npy.writeInts(file, p, set.examples(), set.seqLen());
    }

    static List<String> digits(JsonNode tokens) {
        return HeadlessBrowser.sudokuValues(tokens);
    }

    static List<String> digits(int[] tokens) {
        return digits(JSON.valueToTree(tokens));
    }

    @SuppressWarnings("unchecked")
    static List<String> listed() {
        return (List<String>) browser.script("return [...document.querySelectorAll('#s1-list li')].map(li => li.dataset.index);");
    }

    @Test
    void theReportShowsTheTraceStepByStepAndTheEvaluationsFailures() throws Exception {
        browser.open(report.toUri().toString());
        JsonNode first = trace.get("examples").get(0), segments = first.get("segments");
        List<String> answer = digits(segments.get(segments.size() - 1).get("prediction"));
        browser.waitFor("the first example's board showing the trace's answer", answer, () -> browser.board("#s0-board"));
        assertEquals(digits(first.get("input")), browser.board("#s0-input"));
        List<JsonNode> updates = new ArrayList<>();
        for (JsonNode s : segments) s.get("updates").forEach(updates::add);
        int positions = updates.size() + 1;
        assertEquals(String.valueOf(positions - 1), browser.driver.findElement(By.id("s0-step")).getDomProperty("max"));
        assertTrue(browser.text("s0-label").startsWith("step " + positions + " of " + positions + ": answer"), browser.text("s0-label"));
        assertEquals(segments.size(), browser.driver.findElements(By.cssSelector("#s0-segments li")).size());

        int middle = positions / 2;
        browser.slide("s0-step", middle);
        browser.waitFor("the board at slider position " + middle, digits(updates.get(middle).get("prediction")), () -> browser.board("#s0-board"));
        assertTrue(browser.text("s0-label").startsWith("step " + (middle + 1) + " of " + positions + ": segment "), browser.text("s0-label"));

        // the example picker: the second traced example, on its answer
        browser.script("const s = document.getElementById('s0-example'); s.value = '1'; s.dispatchEvent(new Event('change'));");
        JsonNode second = trace.get("examples").get(1).get("segments");
        browser.waitFor("the second example's answer", digits(second.get(second.size() - 1).get("prediction")), () -> browser.board("#s0-board"));

        // the evaluation: every example listed, failures first; with the filter, exactly the wrong ones
        EvalOutputs.SetOutputs set = EvalOutputs.open(evalDir).sets().getFirst();
        List<String> wrong = IntStream.range(0, set.examples()).filter(e -> !set.correct(e)).mapToObj(String::valueOf).toList();
        List<String> right = IntStream.range(0, set.examples()).filter(set::correct).mapToObj(String::valueOf).toList();
        assertEquals(List.of("1", "2"), right, "the two examples made right");
        assertEquals(Stream.concat(wrong.stream(), right.stream()).toList(), listed());
        browser.driver.findElement(By.id("s1-failures")).click();
        browser.waitFor("the failures-only list", wrong, BrowserReportTest::listed);
        int shown = Integer.parseInt(wrong.getFirst());
        assertEquals(digits(set.prediction(shown)), browser.board("#s1-prediction"));
        assertEquals(digits(set.label(shown)), browser.board("#s1-label"));
        assertEquals(set.wrongCells(shown).length, browser.driver.findElements(By.cssSelector("#s1-prediction .cell.bad")).size(),
                "the wrong cells marked");
        browser.driver.findElement(By.id("s1-failures")).click();
        browser.driver.findElement(By.cssSelector("#s1-list li[data-index='2'] button")).click();
        browser.waitFor("a right example's prediction", digits(set.label(2)), () -> browser.board("#s1-prediction"));
        assertEquals(0, browser.driver.findElements(By.cssSelector("#s1-prediction .cell.bad")).size());

        browser.slide("s0-step", middle); // the screenshot shows a step under way
        assertEquals(List.of(), browser.severe(), "the browser logged errors");
        // the whole report in one picture: the window as tall as the page
        long height = (Long) browser.script("window.scrollTo(0, 0); return document.documentElement.scrollHeight;");
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(900, (int) Math.min(2400, height + 150)));
        try {
            browser.screenshot(Path.of("target/view-report.png"));
        } finally {
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(900, 1000));
        }
    }

    /**
     * The other kinds board.js draws, from hand-made inputs: a maze trace (its path's characters) and
     * an ARC evaluation whose dataset is not here (ARC told by its 30x30 canvas of tokens 0-11), each
     * grid cut to its colours, the wrong cell marked.
     */
    @Test
    void mazesAndArcGridsAreDrawnAsThePageDrawsThem() throws Exception {
        String maze = "#S  " + "# ##" + "#  G" + "####", path = "#Soo" + "# #o" + "#  G" + "####";
        com.fasterxml.jackson.databind.node.ObjectNode t = JSON.createObjectNode().put("task", "maze").put("decode", "paper");
        com.fasterxml.jackson.databind.node.ObjectNode ex = t.putArray("examples").addObject().put("index", 0);
        ex.set("input", JSON.valueToTree(mazeTokens(maze)));
        com.fasterxml.jackson.databind.node.ArrayNode segs = ex.putArray("segments");
        for (String pred : List.of(maze, path)) {
            com.fasterxml.jackson.databind.node.ObjectNode sg = segs.addObject();
            sg.set("prediction", JSON.valueToTree(mazeTokens(pred)));
            sg.put("q_halt", -1.0).put("q_continue", 1.0).put("act_halts_here", pred.equals(path)).put("violations", pred.equals(path));
            com.fasterxml.jackson.databind.node.ObjectNode u = sg.putArray("updates").addObject().put("module", "H");
            u.set("prediction", JSON.valueToTree(mazeTokens(pred)));
            u.set("confidence", JSON.valueToTree(java.util.Collections.nCopies(16, 0.5)));
            u.putArray("changed");
            u.put("violations", pred.equals(path));
        }
        Path mazeTrace = tmp.resolve("kinds/trace.json"), arc = tmp.resolve("kinds/arc-eval"), out = tmp.resolve("kinds/report.html");
        Files.createDirectories(arc);
        JSON.writeValue(mazeTrace.toFile(), t);
        // two ARC examples: a 3x4 input, a 2x2 answer (the rest of the label ignored); the second predicted wrong at cell (1, 0)
        int[] in = new int[1800], label = new int[1800], pred = new int[1800];
        java.util.Arrays.fill(label, EvalOutputs.SetOutputs.IGNORED);
        for (int e = 0; e < 2; e++) {
            for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) in[e * 900 + r * 30 + c] = 2 + (r + c) % 10;
            for (int r = 0; r < 2; r++) for (int c = 0; c < 2; c++) label[e * 900 + r * 30 + c] = pred[e * 900 + r * 30 + c] = 2 + 3 * r + c;
        }
        pred[900 + 30] = 11;
        Npy.writeInts(arc.resolve("all__inputs.npy"), in, 2, 900);
        Npy.writeInts(arc.resolve("all__labels.npy"), label, 2, 900);
        Npy.writeInts(arc.resolve("all__predictions.npy"), pred, 2, 900);
        Npy.writeInts(arc.resolve("all__puzzle_identifiers.npy"), new int[] {1, 2}, 2);
        Npy.writeFloats(arc.resolve("all__q_halt.npy"), new float[] {0.5f, -0.5f}, 2);
        Files.writeString(arc.resolve("metrics.json"), "{\"data_path\": \"" + tmp.resolve("no-arc-data") + "\", \"all\": {\"exact_accuracy\": 0.5}}");
        TinySudokuModel.Run r = cli("view", "--output", out.toString(), mazeTrace.toString(), arc.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("arc (from the tokens"), r.out());

        browser.severe(); // what the other test's page logged is its own
        browser.open(out.toUri().toString());
        browser.waitFor("the maze's answer", List.of(path.split("")), () -> browser.board("#s0-board"));
        assertTrue(browser.text("s0-halts").contains("ACT halts after segment 2"), browser.text("s0-halts"));
        assertEquals(List.of("0", "1", "3", "4"), browser.board("#s1-label"), "the answer's 2x2 colours (token - 2)");
        assertEquals(List.of("0", "1", "9", "4"), browser.board("#s1-prediction"), "the wrong example first");
        assertEquals(1, browser.driver.findElements(By.cssSelector("#s1-prediction .cell.bad")).size());
        assertEquals(12, browser.board("#s1-input").size(), "the input cut to its 3x4 colours");
        assertEquals(List.of(), browser.severe(), "the browser logged errors");
    }

    /** A maze's characters as its tokens (board.js's MAZE: a character's place + 1). */
    static int[] mazeTokens(String cells) {
        return cells.chars().map(ch -> "# SGo".indexOf(ch) + 1).toArray();
    }
}
