package hrm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.api.HrmModel;
import hrm.api.OpenOptions;
import hrm.api.TinySudokuModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * hrm serve's page in a real browser (headless Chromium through Selenium and the machine's chromedriver) on
 * the tiny 6x6 model: a puzzle opened by its link shows /api/solve's answer, the slider shows the trace's
 * predictions step by step, an example picked is solved (only those of the model's size offered), a puzzle
 * that breaks a rule shows the server's message, and nothing is logged as
 * an error. Without chromium or chromedriver it is skipped, or fails where CI is set (CI installs both: .ci/run).
 * The solved page's screenshot is left at target/serve-page.png.
 */
class BrowserPageTest {
    static final String PUZZLE = TinySudokuModel.PUZZLE;
    /** Two 1s in the first row: givens that break a rule. */
    static final String BROKEN = "11" + ".".repeat(34);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path tmp;
    static HrmModel model;
    static HrmServer server;
    @RegisterExtension
    static final HeadlessBrowser.Session page = new HeadlessBrowser.Session();
    static HeadlessBrowser browser;

    @BeforeAll
    static void start() {
        browser = page.browser;
        if (browser == null) return; // no browser here: each test is skipped
        model = HrmModel.open(TinySudokuModel.train(tmp), OpenOptions.defaults().withThreads(1));
        server = HrmServer.start(model, null, null, 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
    }

    static JsonNode post(String path, String puzzle, int status) throws Exception {
        String body = "{\"kind\": \"sudoku\", \"puzzle\": \"" + puzzle + "\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static void open(String puzzle) {
        browser.open(server.url() + "?kind=sudoku&puzzle=" + URLEncoder.encode(puzzle, StandardCharsets.UTF_8));
    }

    static List<String> board() {
        return browser.board("#board");
    }

    /** An answer's rows of digits as the board's data-values. */
    static List<String> cells(JsonNode rows) {
        List<String> out = new ArrayList<>();
        for (JsonNode row : rows) for (JsonNode c : row) out.add(c.asText());
        return out;
    }

    /** A trace prediction's tokens as the board's data-values: a Sudoku token is its digit + 1 (0 padding, 1 blank). */
    static List<String> digits(JsonNode tokens) {
        return HeadlessBrowser.sudokuValues(tokens);
    }

    @Test
    void theLinkShowsTheAnswerAndTheSliderStepsThroughTheTrace() throws Exception {
        JsonNode solved = post("/api/solve", PUZZLE, 200);
        JsonNode segments = post("/api/trace", PUZZLE, 200).get("examples").get(0).get("segments");
        List<String> answer = cells(solved.get("answer"));
        assertEquals(36, answer.size());

        open(PUZZLE);
        browser.waitFor("the board showing /api/solve's answer", answer, BrowserPageTest::board);
        WebElement slider = browser.driver.findElement(By.id("step"));
        new WebDriverWait(browser.driver, HeadlessBrowser.WAIT).until(d -> slider.isDisplayed());
        assertEquals("", browser.text("error"));
        // app.js: one slider position per update of every segment in order, then the answer; it opens on the answer
        List<JsonNode> updates = new ArrayList<>();
        for (JsonNode s : segments) s.get("updates").forEach(updates::add);
        int positions = updates.size() + 1;
        assertEquals(String.valueOf(positions - 1), slider.getDomProperty("max"));
        assertEquals(String.valueOf(positions - 1), slider.getDomProperty("value"));
        assertEquals(answer, board());
        assertTrue(browser.text("stepLabel").startsWith("step " + positions + " of " + positions + ": answer"),
                browser.text("stepLabel"));

        browser.screenshot(Path.of("target/serve-page.png"));

        // every earlier position shows its update's prediction, the first one included
        for (int i : List.of(0, positions / 2, positions - 2)) {
            browser.slide("step", i);
            List<String> want = digits(updates.get(i).get("prediction"));
            browser.waitFor("the board at slider position " + i, want, BrowserPageTest::board);
            assertTrue(browser.text("stepLabel").startsWith("step " + (i + 1) + " of " + positions + ": segment "),
                    browser.text("stepLabel"));
        }
        browser.slide("step", positions - 1);
        browser.waitFor("the board back at the answer", answer, BrowserPageTest::board);

        assertEquals(List.of(), browser.severe(), "the browser logged errors");
        browser.script("console.error('browser-log-probe')");
        assertEquals(1, browser.severe().stream().filter(m -> m.contains("browser-log-probe")).count(), "the browser's log is not read");
    }

    @Test
    void anExamplePickedIsSolvedAndOnlyExamplesOfTheModelsSizeAreOffered() throws Exception {
        browser.severe();
        browser.open(server.url());
        org.openqa.selenium.support.ui.Select examples = new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("examples")));
        List<String> offered = new ArrayList<>();
        // the page reads /api/model (a 6x6 model) and hides the other sizes' examples
        new WebDriverWait(browser.driver, HeadlessBrowser.WAIT).until(d -> !browser.text("modelNote").isEmpty());
        for (WebElement o : examples.getOptions()) if (!o.getDomProperty("value").isEmpty() && !Boolean.parseBoolean(o.getDomProperty("hidden"))) offered.add(o.getDomProperty("value"));
        assertFalse(offered.isEmpty());
        for (String p : offered) assertEquals(36, p.length(), p);
        examples.selectByValue(offered.get(offered.size() - 1));
        List<String> answer = cells(post("/api/solve", offered.get(offered.size() - 1), 200).get("answer"));
        browser.waitFor("the picked example's answer", answer, BrowserPageTest::board);
        assertEquals(offered.get(offered.size() - 1), browser.driver.findElement(By.id("puzzle")).getDomProperty("value"));
        assertEquals(List.of(), browser.severe(), "the browser logged errors");
    }

    @Test
    void givensThatBreakARuleShowTheServersMessage() throws Exception {
        String message = post("/api/solve", BROKEN, 400).get("error").asText();
        assertTrue(message.startsWith("puzzle: "), message);
        browser.severe(); // what earlier pages logged is theirs
        open(BROKEN);
        browser.waitFor("#error showing the server's message", message, () -> browser.text("error"));
        assertEquals(List.of(), board());
        // the refused request itself is logged by the browser (a 400 from /api/solve); nothing else may be
        assertEquals(List.of(), browser.severe("api/solve - Failed to load resource: the server responded with a status of 400"), "the browser logged errors");
    }
}
