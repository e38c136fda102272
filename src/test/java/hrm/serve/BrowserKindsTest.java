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
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * hrm serve's page in headless Chromium with a maze and an ARC model, each trained here in seconds
 * (7x7 mazes; two small ARC tasks on the 30x30 canvas): a maze link shows /api/solve's answer and
 * the slider the trace's predictions; a maze drawn on the editor or uploaded as a file is the one
 * solved, and the page stays live (inputs disabled, "solving…") while it runs; an uploaded ARC task's
 * chosen test input is solved as {@code hrm solve --json arc TASK.json} solves it; a puzzle of
 * another kind than the model's shows the server's message. Screenshots: target/serve-maze.png and
 * target/serve-arc.png.
 */
class BrowserKindsTest {
    static final List<String> MAZE = List.of("#######", "#S    #", "# ### #", "#   # #", "# #   #", "#    G#", "#######");
    static final String MAZE_CHARS = "# SGo"; // a maze token is its character's place + 1
    /** Two ARC tasks (mirror the grid): "flip" has two test inputs, the second without an expected output. */
    static final String FLIP = """
            {"train": [{"input": [[1, 2, 0], [0, 3, 0]], "output": [[0, 2, 1], [0, 3, 0]]},
                       {"input": [[4, 0], [5, 6]], "output": [[0, 4], [6, 5]]}],
             "test": [{"input": [[7, 8, 0], [0, 0, 9]], "output": [[0, 8, 7], [9, 0, 0]]},
                      {"input": [[1, 0, 0, 2], [0, 3, 3, 0]], "output": [[2, 0, 0, 1], [0, 3, 3, 0]]}]}""";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Keeps the /api/solve requests the page sends, and holds each until window.release() while window.hold is set. */
    static final String RECORD_REQUESTS = """
            window.sent = []; window.hold = false;
            const fetched = window.fetch;
            window.fetch = (url, opts) => {
              if (url !== '/api/solve') return fetched(url, opts);
              window.sent.push(JSON.parse(opts.body));
              if (!window.hold) return fetched(url, opts);
              return new Promise(go => { window.release = () => go(fetched(url, opts)); });
            };""";
    @TempDir
    static Path tmp;
    static HrmModel mazeModel, arcModel;
    static HrmServer mazeServer, arcServer;
    static Path arcRun, flip;
    @RegisterExtension
    static final HeadlessBrowser.Session page = new HeadlessBrowser.Session();
    static HeadlessBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = page.browser;
        if (browser == null) return; // no browser here: each test is skipped
        mazeModel = HrmModel.open(trainMazeModel(tmp.resolve("maze")), OpenOptions.defaults().withThreads(1));
        arcRun = trainArcModel(tmp.resolve("arc"));
        arcModel = HrmModel.open(arcRun, OpenOptions.defaults().withThreads(1));
        mazeServer = HrmServer.start(mazeModel, null, null, 0);
        arcServer = HrmServer.start(arcModel, null, null, 0);
    }

    @AfterAll
    static void stop() {
        for (HrmServer s : new HrmServer[]{mazeServer, arcServer}) if (s != null) s.close();
        for (HrmModel m : new HrmModel[]{mazeModel, arcModel}) if (m != null) m.close();
    }

    /** The CLI in-process; fails showing its stderr unless it exits 0. */
    static void cli(String... args) {
        TinySudokuModel.Run r = TinySudokuModel.cli(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    }

    /** 16 mazes of 7x7 (as SolveInputTest's), two epochs. */
    static Path trainMazeModel(Path dir) {
        cli("data", "maze", "--generate", "16", "--size", "7", "--min-path-length", "4", "--test-count", "4", "--output-dir", dir.resolve("data").toString());
        return TinySudokuModel.train(dir.resolve("data"), dir.resolve("run"), "global_batch_size=8", "epochs=2", "eval_interval=2", "arch.puzzle_emb_ndim=0");
    }

    /** Two ARC tasks, two augmented versions each, with a puzzle embedding (so a task's name matters), two epochs. */
    static Path trainArcModel(Path dir) throws Exception {
        Path in = dir.resolve("tasks");
        flip = Files.writeString(Files.createDirectories(in.resolve("training")).resolve("flip.json"), FLIP);
        Files.writeString(Files.createDirectories(in.resolve("evaluation")).resolve("flop.json"), FLIP);
        cli("data", "arc", "--dataset-dirs", in.toString(), "--output-dir", dir.resolve("data").toString(), "--num-aug", "2", "--seed", "1");
        return TinySudokuModel.train(dir.resolve("data"), dir.resolve("run"), "global_batch_size=4", "epochs=2", "eval_interval=2", "arch.puzzle_emb_ndim=16");
    }

    static JsonNode post(HrmServer server, String path, Object body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static List<String> board() {
        return browser.board("#board");
    }

    /** A maze answer's rows as the board's data-values: one character a cell. */
    static List<String> mazeCells(JsonNode rows) {
        List<String> out = new ArrayList<>();
        for (JsonNode row : rows) row.asText().chars().forEach(c -> out.add(String.valueOf((char) c)));
        return out;
    }

    /** A maze trace prediction's tokens as data-values ('?': padding). */
    static List<String> mazeTokens(JsonNode tokens) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : tokens) out.add(t.asInt() >= 1 && t.asInt() <= 5 ? String.valueOf(MAZE_CHARS.charAt(t.asInt() - 1)) : "?");
        return out;
    }

    /** An ARC answer's colours as data-values. */
    static List<String> colours(JsonNode rows) {
        List<String> out = new ArrayList<>();
        for (JsonNode row : rows) for (JsonNode c : row) out.add(c.asText());
        return out;
    }

    /** An ARC trace prediction (a 30x30 canvas, colour c as token c + 2) cut to rows x cols, as data-values ("": no colour). */
    static List<String> canvas(JsonNode tokens, int rows, int cols) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) {
                int t = tokens.get(r * 30 + c).asInt();
                out.add(t >= 2 ? String.valueOf(t - 2) : "");
            }
        return out;
    }

    /** Every z update of a trace example, in the slider's order. */
    static List<JsonNode> updates(JsonNode trace) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : trace.get("examples").get(0).get("segments")) s.get("updates").forEach(out::add);
        return out;
    }

    static WebElement slider() {
        WebElement slider = browser.driver.findElement(By.id("step"));
        new WebDriverWait(browser.driver, HeadlessBrowser.WAIT).until(d -> slider.isDisplayed());
        return slider;
    }

    /** Opens the page and waits until it has read /api/model (the maze editor drawn). */
    static void openPage(HrmServer server, String query) {
        browser.open(server.url() + query);
        new WebDriverWait(browser.driver, HeadlessBrowser.WAIT).until(d -> !browser.board("#mazeEditor").isEmpty());
    }

    @Test
    void aMazeLinkShowsTheAnswerAndTheSliderStepsThroughTheTrace() throws Exception {
        Map<String, Object> body = Map.of("kind", "maze", "puzzle", MAZE);
        JsonNode solved = post(mazeServer, "/api/solve", body), trace = post(mazeServer, "/api/trace", body);
        List<String> answer = mazeCells(solved.get("answer"));
        assertEquals(49, answer.size());
        browser.severe(); // what earlier pages logged is theirs
        browser.open(mazeServer.url() + "?kind=maze&puzzle=" + URLEncoder.encode(String.join("\n", MAZE), StandardCharsets.UTF_8));
        browser.waitFor("the board showing /api/solve's answer", answer, BrowserKindsTest::board);
        WebElement slider = slider();
        List<JsonNode> updates = updates(trace);
        int positions = updates.size() + 1;
        assertEquals(String.valueOf(positions - 1), slider.getDomProperty("value"));
        assertEquals("", browser.text("error"));
        assertEquals(mazeCells(JSON.valueToTree(MAZE)), browser.board("#mazeEditor"), "the editor holds the link's maze");
        browser.screenshot(Path.of("target/serve-maze.png"));

        int middle = positions / 2;
        browser.slide("step", middle);
        browser.waitFor("the board at slider position " + middle, mazeTokens(updates.get(middle).get("prediction")), BrowserKindsTest::board);
        assertTrue(browser.text("stepLabel").startsWith("step " + (middle + 1) + " of " + positions + ": segment "), browser.text("stepLabel"));
        browser.slide("step", positions - 1);
        browser.waitFor("the board back at the answer", answer, BrowserKindsTest::board);
        assertEquals(List.of(), browser.severe(), "the browser logged errors");
    }

    @Test
    void aMazeDrawnOrUploadedIsTheOneSolvedAndThePageStaysLiveMeanwhile() throws Exception {
        browser.severe();
        openPage(mazeServer, "");
        assertEquals("maze", new Select(browser.driver.findElement(By.id("kind"))).getFirstSelectedOption().getDomProperty("value"),
                "the page opens on the model's kind");
        List<String> drawn = new ArrayList<>(List.of("#######", "#S    #", "#     #", "#     #", "#     #", "#    G#", "#######"));
        assertEquals(mazeCells(JSON.valueToTree(drawn)), browser.board("#mazeEditor"), "an empty maze of the model's size");

        // a click makes a wall, a drag walls the cells it crosses, the S tool moves the start
        List<WebElement> cells = browser.driver.findElements(By.cssSelector("#mazeEditor .cell"));
        cells.get(2 * 7 + 2).click();
        cells = browser.driver.findElements(By.cssSelector("#mazeEditor .cell")); // redrawn: the editor draws every change whole
        int step = cells.get(3 * 7 + 3).getRect().getX() - cells.get(3 * 7 + 2).getRect().getX();
        new Actions(browser.driver).clickAndHold(cells.get(3 * 7 + 2)).moveByOffset(step, 0).moveByOffset(step, 0).release().perform();
        browser.driver.findElement(By.cssSelector("input[name=mazeTool][value=S]")).click();
        browser.driver.findElements(By.cssSelector("#mazeEditor .cell")).get(4 * 7 + 1).click();
        drawn.set(1, "#     #");
        drawn.set(2, "# #   #");
        drawn.set(3, "# ### #");
        drawn.set(4, "#S    #");
        assertEquals(mazeCells(JSON.valueToTree(drawn)), browser.board("#mazeEditor"));

        // while /api/solve is held: the button disabled and "solving…" shown; the page still answers
        browser.script(RECORD_REQUESTS + "window.hold = true;");
        browser.driver.findElement(By.id("solve")).click();
        new WebDriverWait(browser.driver, HeadlessBrowser.WAIT).until(d -> browser.script("return typeof window.release") .equals("function"));
        assertFalse(browser.driver.findElement(By.id("solve")).isEnabled(), "the button is disabled while a solve runs");
        assertEquals("solving\u2026", browser.text("busy"));
        browser.script("window.hold = false; window.release()");
        JsonNode want = post(mazeServer, "/api/solve", Map.of("kind", "maze", "puzzle", drawn));
        browser.waitFor("the drawn maze's answer", mazeCells(want.get("answer")), BrowserKindsTest::board);
        assertEquals(JSON.valueToTree(List.of(Map.of("kind", "maze", "puzzle", drawn))), JSON.valueToTree(browser.script("return window.sent")));
        new WebDriverWait(browser.driver, HeadlessBrowser.WAIT).until(d -> browser.driver.findElement(By.id("solve")).isEnabled());
        assertEquals("", browser.text("busy"));

        // a file of rows, CRLF and a line that lost its trailing spaces (open cells), is read as hrm solve reads it
        Path file = Files.writeString(tmp.resolve("maze.txt"), "#######\r\n#S\r\n# ### #\r\n#   # #\r\n# #   #\r\n#    G#\r\n#######\r\n");
        List<String> read = new ArrayList<>(MAZE);
        read.set(1, "#S     ");
        browser.driver.findElement(By.id("mazeFile")).sendKeys(file.toString());
        browser.waitFor("the editor showing the file's maze", mazeCells(JSON.valueToTree(read)), () -> browser.board("#mazeEditor"));
        browser.driver.findElement(By.id("solve")).click();
        browser.waitFor("the file's answer", mazeCells(post(mazeServer, "/api/solve", Map.of("kind", "maze", "puzzle", read)).get("answer")),
                BrowserKindsTest::board);
        assertEquals(List.of(), browser.severe(), "the browser logged errors");
    }

    @Test
    void anUploadedArcTasksTestInputIsSolvedAsHrmSolveSolvesIt() throws Exception {
        TinySudokuModel.Run solved = TinySudokuModel.cli("solve", "--checkpoint", arcRun.toString(), "--threads", "1", "--json", "arc", flip.toString());
        assertNotEquals(2, solved.code(), solved.err()); // 1: an answer differs from the task's output, as the tiny model's may
        List<String> cliLines = solved.out().lines().toList();
        assertEquals(2, cliLines.size(), "one line a test input");
        JsonNode second = JSON.readTree(cliLines.get(1));
        browser.severe();
        openPage(arcServer, "");
        browser.script(RECORD_REQUESTS);
        browser.driver.findElement(By.id("arcFile")).sendKeys(flip.toString());
        Select test = new Select(browser.driver.findElement(By.id("arcTest")));
        new WebDriverWait(browser.driver, HeadlessBrowser.WAIT).until(d -> test.getOptions().size() == 2);
        test.selectByIndex(1);
        // the two train pairs and the chosen test input, drawn small
        assertEquals(List.of("1", "2", "0", "0", "3", "0", "0", "2", "1", "0", "3", "0"), browser.board("#arcTrain figure:nth-child(1)"));
        assertEquals(List.of("1", "0", "0", "2", "0", "3", "3", "0"), browser.board("#arcTrain figure:nth-child(3)"));
        browser.driver.findElement(By.id("solve")).click();
        browser.waitFor("the board showing hrm solve --json's answer", colours(second.get("answer")), BrowserKindsTest::board);
        // the page asked for test input 2 of task "flip" (its puzzle embedding) with its expected output: hrm solve's very answer
        JsonNode sent = JSON.valueToTree(browser.script("return window.sent[0]"));
        assertEquals("flip", sent.get("task").asText(), sent.toString());
        assertEquals(2, sent.get("test").asInt(), sent.toString());
        assertTrue(arcModel.arcIdentifier("flip").isPresent(), "the task has a puzzle embedding of its own");
        assertEquals(second, post(arcServer, "/api/solve", sent));
        assertEquals(second.get("valid").asBoolean() ? "matches the task's expected output" : "differs from the task's expected output", browser.text("verdict"));

        // the slider's middle step shows that update's prediction, cut to the answer's area
        JsonNode trace = post(arcServer, "/api/trace", sent);
        List<JsonNode> updates = updates(trace);
        int middle = (updates.size() + 1) / 2, rows = second.get("answer").size(), cols = second.get("answer").get(0).size();
        slider();
        browser.screenshot(Path.of("target/serve-arc.png"));
        browser.slide("step", middle);
        browser.waitFor("the board at slider position " + middle, canvas(updates.get(middle).get("prediction"), rows, cols), BrowserKindsTest::board);

        // the page's link to this puzzle (the grid as JSON and the task's name) opens it and solves it again
        String link = browser.driver.findElement(By.id("link")).getDomProperty("href");
        assertTrue(link.contains("kind=arc") && link.contains("task=flip"), link);
        browser.open(link);
        JsonNode linked = post(arcServer, "/api/solve", Map.of("kind", "arc", "puzzle", sent.get("puzzle"), "task", "flip"));
        browser.waitFor("the linked puzzle's answer", colours(linked.get("answer")), BrowserKindsTest::board);
        assertEquals(List.of(), browser.severe(), "the browser logged errors");
    }

    @Test
    void aPuzzleOfAnotherKindThanTheModelsShowsTheServersMessage() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(mazeServer.url()).resolve("/api/solve"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\": \"sudoku\", \"puzzle\": \"" + TinySudokuModel.PUZZLE + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        String message = JSON.readTree(r.body()).get("error").asText();
        browser.severe();
        browser.open(mazeServer.url() + "?kind=sudoku&puzzle=" + TinySudokuModel.PUZZLE);
        browser.waitFor("#error showing the server's message", message, () -> browser.text("error"));
        assertEquals(List.of(), board());
        assertEquals(List.of(), browser.severe("api/solve - Failed to load resource: the server responded with a status of 400"), "the browser logged errors");
    }
}
