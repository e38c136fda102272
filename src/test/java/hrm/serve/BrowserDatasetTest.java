package hrm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.api.HrmModel;
import hrm.api.OpenOptions;
import hrm.api.TinySudokuModel;
import hrm.data.DatasetWriter;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.data.PuzzleSetBuilder;
import hrm.eval.EvalOutputs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The page's dataset browser in a real browser (headless Chromium, {@link HeadlessBrowser}) on the tiny 6x6
 * model: its data regrouped into groups of several puzzles of several examples, evaluated by {@code hrm eval},
 * served with --data and --eval. Jumping to example N shows example N's tokens (the dataset's own arrays, as
 * /api/datasets lists them) with its label and prediction; the group stepper lands on the next group's first
 * example; "failures only" lists exactly the examples {@link EvalOutputs} says are wrong; nothing is logged as
 * an error. Skipped without chromium or chromedriver (failed under CI). The screenshot: target/serve-dataset.png.
 */
class BrowserDatasetTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Puzzles per group and examples per puzzle, cycled over the 30 examples (two pages of the page's list of 20). */
    static final int[] PUZZLES_PER_GROUP = {2, 1, 3}, EXAMPLES_PER_PUZZLE = {2, 1, 3, 1};
    static final int EXAMPLES = 30;
    @TempDir
    static Path tmp;
    static Path data, eval;
    static HrmModel model;
    static HrmServer server;
    @RegisterExtension
    static final HeadlessBrowser.Session page = new HeadlessBrowser.Session();
    static HeadlessBrowser browser;

    @BeforeAll
    static void start() {
        browser = page.browser;
        if (browser == null) return; // no browser here: each test is skipped
        Path run = TinySudokuModel.train(tmp);
        // the tiny model gets (nearly) every puzzle wrong: a first evaluation's predictions become every fourth example's label,
        // so that the second (served) one has right examples too and "failures only" leaves some out
        Path first = tmp.resolve("browse-first"), firstEval = tmp.resolve("eval-first");
        regroup(tmp.resolve("data"), first, null);
        evaluate(run, first, firstEval);
        data = tmp.resolve("browse");
        eval = tmp.resolve("eval");
        regroup(tmp.resolve("data"), data, EvalOutputs.open(firstEval).set("all"));
        evaluate(run, data, eval);
        model = HrmModel.open(run, OpenOptions.defaults().withThreads(1));
        server = HrmServer.start(model, data, DatasetEvaluation.open(data, eval), null, 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
    }

    static void evaluate(Path run, Path dataset, Path output) {
        TinySudokuModel.Run r = TinySudokuModel.cli("eval", "--checkpoint", run.toString(), "--output", output.toString(),
                "data_path=" + dataset, "threads=1");
        assertEquals(0, r.code(), r.err());
    }

    /** The examples whose label is an earlier evaluation's prediction, so the model gets them right. */
    static boolean agreed(int example) {
        return example % 4 == 0;
    }

    /**
     * The tiny model's test examples then its training examples, 30 in all, as the test split of {@code out}, in
     * groups of PUZZLES_PER_GROUP puzzles of EXAMPLES_PER_PUZZLE examples; with {@code predicted}, the
     * {@link #agreed} examples labelled with its predictions.
     */
    static void regroup(Path tiny, Path out, EvalOutputs.SetOutputs predicted) {
        List<int[][]> examples = new ArrayList<>();
        for (String split : List.of("test", "train")) {
            PuzzleSet set = PuzzleDataset.open(tiny, split).sets().getFirst();
            int seq = PuzzleDataset.open(tiny, split).metadata().seqLen();
            for (int e = 0; e < set.examples() && examples.size() < EXAMPLES; e++) {
                int[] in = new int[seq], label = new int[seq];
                set.input(e, in, 0);
                set.label(e, label, 0);
                examples.add(new int[][] {in, label});
            }
        }
        PuzzleDataset tinyTest = PuzzleDataset.open(tiny, "test");
        try (DatasetWriter w = new DatasetWriter(out, tinyTest.metadata().vocabSize(), tinyTest.metadata().seqLen())) {
            PuzzleSetBuilder b = w.set("test", "all");
            int e = 0, puzzle = 0;
            for (int group = 0; e < EXAMPLES; group++) {
                for (int p = 0; p < PUZZLES_PER_GROUP[group % PUZZLES_PER_GROUP.length] && e < EXAMPLES; p++, puzzle++) {
                    for (int k = 0; k < EXAMPLES_PER_PUZZLE[puzzle % EXAMPLES_PER_PUZZLE.length] && e < EXAMPLES; k++, e++)
                        b.addExample(examples.get(e)[0], predicted != null && agreed(e) ? predicted.prediction(e) : examples.get(e)[1]);
                    b.endPuzzle(0);
                }
                b.endGroup();
            }
            w.commit(List.of(DatasetWriter.BLANK_IDENTIFIER));
        }
    }

    static JsonNode api(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** Sudoku tokens as the board's data-values. */
    static List<String> digits(int[] tokens) {
        return HeadlessBrowser.sudokuValues(JSON.valueToTree(tokens));
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    /** Sets a number input as a user does: its value typed, then 'change'. */
    static void type(String id, int value) {
        browser.script("const i = document.getElementById(arguments[0]); i.value = String(arguments[1]);"
                + "i.dispatchEvent(new Event('change', {bubbles: true}));", id, value);
    }

    static void click(String selector) {
        browser.driver.findElement(By.cssSelector(selector)).click();
    }

    static void openPage() {
        browser.open(server.url());
        WebElement section = browser.driver.findElement(By.id("dataset"));
        new WebDriverWait(browser.driver, HeadlessBrowser.WAIT).until(d -> section.isDisplayed());
    }

    @Test
    void jumpingToExampleNShowsItsTokensAndTheGroupStepperTheNextGroup() throws Exception {
        PuzzleSet set = PuzzleDataset.open(data, "test").sets().getFirst();
        EvalOutputs.SetOutputs out = EvalOutputs.open(eval).set("all");
        openPage();
        int[] first = new int[36];
        set.input(0, first, 0);
        browser.waitFor("example 0 on #dataset-input", digits(first), () -> browser.board("#dataset-input"));

        for (int n : List.of(13, 27)) {
            type("dataset-at", n);
            JsonNode listed = api("/api/datasets?set=all&offset=" + n + "&limit=1").get("examples").get(0);
            int[] input = new int[36], label = new int[36];
            set.input(n, input, 0);
            set.label(n, label, 0);
            assertArrayEquals(input, ints(listed.get("input")), "/api/datasets lists the dataset's own tokens");
            browser.waitFor("example " + n + " on #dataset-input", digits(input), () -> browser.board("#dataset-input"));
            assertEquals(digits(label), browser.board("#dataset-label"));
            assertEquals(digits(out.prediction(n)), browser.board("#dataset-prediction"));
            assertTrue(browser.text("dataset-where").startsWith("example #" + n + ","), browser.text("dataset-where"));
            assertEquals(out.correct(n) ? "right" : "wrong", browser.text("dataset-verdict").replaceFirst(":.*|,.*", ""));
            int marked = ((Number) browser.script("return document.querySelectorAll('#dataset-prediction .cell.bad').length;")).intValue();
            assertEquals(out.wrongCells(n).length, marked, "the wrong cells are marked");
        }

        // from the last example of a group, the group stepper's next: the next group's first example
        int group = api("/api/datasets?set=all&offset=27&limit=1").get("examples").get(0).get("group").asInt();
        int start = set.puzzleStart(set.groupStart(group));
        assertEquals(start, api("/api/datasets/groups?set=all&offset=" + group + "&limit=1").get("groups").get(0).get("first_example").asInt());
        type("dataset-at", start - 1);
        browser.waitFor("the group before on #dataset-group", String.valueOf(group - 1),
                () -> browser.driver.findElement(By.id("dataset-group")).getDomProperty("value"));
        click("button[data-level='group'][data-step='1']");
        int[] want = new int[36];
        set.input(start, want, 0);
        browser.waitFor("group " + group + "'s first example", digits(want), () -> browser.board("#dataset-input"));
        assertEquals(String.valueOf(group), browser.driver.findElement(By.id("dataset-group")).getDomProperty("value"));
        assertEquals("0", browser.driver.findElement(By.id("dataset-puzzle")).getDomProperty("value"));
        assertEquals("0", browser.driver.findElement(By.id("dataset-example")).getDomProperty("value"));

        assertEquals(List.of(), browser.severe(), "the browser logged errors");
    }

    @Test
    void failuresOnlyListsExactlyTheWrongExamples() throws Exception {
        EvalOutputs.SetOutputs out = EvalOutputs.open(eval).set("all");
        List<String> wrong = IntStream.range(0, out.examples()).filter(e -> !out.correct(e)).mapToObj(String::valueOf).toList();
        IntStream.range(0, EXAMPLES).filter(BrowserDatasetTest::agreed)
                .forEach(e -> assertTrue(out.correct(e), "example " + e + " is labelled with the model's own prediction"));
        assertFalse(wrong.isEmpty(), "the tiny model gets some example wrong");
        openPage();
        browser.waitFor("the list of all examples", 20, () -> browser.driver.findElements(By.cssSelector("#dataset-list button")).size());
        click("#dataset-only");
        List<String> listed = new ArrayList<>();
        while (true) {
            int page = listed.size();
            browser.waitFor("the failures' page from " + page, true, () -> {
                List<String> shown = indices();
                return !shown.isEmpty() && !listed.contains(shown.getFirst());
            });
            listed.addAll(indices());
            if (!browser.driver.findElement(By.id("dataset-next-page")).isEnabled()) break;
            click("#dataset-next-page");
        }
        assertEquals(wrong, listed);
        assertEquals(List.of(), browser.script("return [...document.querySelectorAll('#dataset-list button:not(.wrong)')].map(b => b.dataset.index);"));
        // the first failure, drawn with its prediction and wrong cells: the screenshot
        click("#dataset-list button");
        int shown = Integer.parseInt(indices().getFirst());
        int[] input = out.input(shown);
        browser.waitFor("failure #" + shown + " on #dataset-input", digits(input), () -> browser.board("#dataset-input"));
        assertTrue(browser.text("dataset-verdict").startsWith("wrong: "), browser.text("dataset-verdict"));
        browser.script("document.getElementById('dataset').scrollIntoView();");
        browser.screenshot(Path.of("target/serve-dataset.png"));
        assertEquals(List.of(), browser.severe(), "the browser logged errors");
    }

    static List<String> indices() {
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) browser.script("return [...document.querySelectorAll('#dataset-list button')].map(b => b.dataset.index);");
        return out;
    }
}
