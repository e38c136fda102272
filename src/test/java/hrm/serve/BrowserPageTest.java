package hrm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.api.HrmModel;
import hrm.api.OpenOptions;
import hrm.api.TinySudokuModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * hrm serve's page in a real browser (headless Chromium through Selenium and the machine's chromedriver) on
 * the tiny 6x6 model: a puzzle opened by its link shows /api/solve's answer, the slider shows the trace's
 * predictions step by step, a puzzle that breaks a rule shows the server's message, and nothing is logged as
 * an error. Without chromium or chromedriver it is skipped, or fails where CI is set (CI installs both: .ci/run).
 * The solved page's screenshot is left at target/serve-page.png.
 */
class BrowserPageTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String PUZZLE = TinySudokuModel.PUZZLE;
    /** Two 1s in the first row: givens that break a rule. */
    static final String BROKEN = "11" + ".".repeat(34);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path tmp;
    static HrmModel model;
    static HrmServer server;
    static ChromeDriver driver;
    /** Selenium's warning that it has no CDP of Chromium's version: nothing here uses CDP (held: a logger's level lives while it does). */
    static final java.util.logging.Logger CDP = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    /** Why the browser cannot run here (null: it can). */
    static String missing;

    @BeforeAll
    static void start() {
        List<String> absent = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) absent.add(CHROMIUM + " (Debian: apt-get install chromium)");
        if (!Files.isExecutable(CHROMEDRIVER)) absent.add(CHROMEDRIVER + " (Debian: apt-get install chromium-driver)");
        if (!absent.isEmpty()) {
            missing = "the browser test needs " + String.join(" and ", absent);
            if (System.getenv("CI") != null) fail(missing);
            return; // skipped, test by test (beforeEach): surefire shows an assumption failed here as no tests at all
        }

        Path run = TinySudokuModel.train(tmp);
        model = HrmModel.open(run, OpenOptions.defaults().withThreads(1));
        server = HrmServer.start(model, null, null, 0);

        // the machine's chromedriver and chromium, named here: Selenium Manager (which would download them) never runs
        CDP.setLevel(Level.SEVERE);
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
    }

    @BeforeEach
    void browserIsHere() {
        assumeTrue(missing == null, () -> missing + "; skipped (under CI it fails)");
    }

    @AfterAll
    static void stop() {
        if (driver != null) driver.quit();
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
        driver.get(server.url() + "?kind=sudoku&puzzle=" + URLEncoder.encode(puzzle, StandardCharsets.UTF_8));
    }

    /** The board's cells' data-values, in order: read in one script, as app.js redraws the board's cells at each step. */
    @SuppressWarnings("unchecked")
    static List<String> board() {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll('#board .cell')].map(c => c.dataset.value);");
    }

    /** An answer's rows of digits as the board's data-values. */
    static List<String> cells(JsonNode rows) {
        List<String> out = new ArrayList<>();
        for (JsonNode row : rows) for (JsonNode c : row) out.add(c.asText());
        return out;
    }

    /** A trace prediction's tokens as the board's data-values: a Sudoku token is its digit + 1 (0 padding, 1 blank). */
    static List<String> digits(JsonNode tokens) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : tokens) out.add(String.valueOf(Math.max(0, t.asInt() - 1)));
        return out;
    }

    /** Waits (bounded) until {@code got} equals {@code want}; on timeout fails showing both and the page's error. */
    static <T> void waitFor(String what, T want, Supplier<T> got) {
        try {
            new WebDriverWait(driver, WAIT).until(d -> want.equals(got.get()));
        } catch (TimeoutException e) {
            fail(what + " within " + WAIT.toSeconds() + " s: expected " + want + ", the page shows " + got.get()
                    + " (#error: '" + driver.findElement(By.id("error")).getText() + "')");
        }
    }

    /** Moves the slider as a user would: its value set, then the 'input' and 'change' events app.js listens for. */
    static void slide(int position) {
        ((JavascriptExecutor) driver).executeScript("const s = document.getElementById('step'); s.value = String(arguments[0]);"
                + "s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true}));", position);
    }

    /** The warnings and errors in the browser's log since it was last read, less those containing one of {@code expected}. */
    static List<String> severe(String... expected) {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() < Level.WARNING.intValue()) continue;
            boolean allowed = false;
            for (String x : expected) allowed |= e.getMessage().contains(x);
            if (!allowed) out.add(e.getLevel() + " " + e.getMessage());
        }
        return out;
    }

    @Test
    void theLinkShowsTheAnswerAndTheSliderStepsThroughTheTrace() throws Exception {
        JsonNode solved = post("/api/solve", PUZZLE, 200);
        JsonNode segments = post("/api/trace", PUZZLE, 200).get("examples").get(0).get("segments");
        List<String> answer = cells(solved.get("answer"));
        assertEquals(36, answer.size());

        open(PUZZLE);
        waitFor("the board showing /api/solve's answer", answer, BrowserPageTest::board);
        WebElement slider = driver.findElement(By.id("step"));
        new WebDriverWait(driver, WAIT).until(d -> slider.isDisplayed());
        assertEquals("", driver.findElement(By.id("error")).getText());
        // app.js: one slider position per update of every segment in order, then the answer; it opens on the answer
        List<JsonNode> updates = new ArrayList<>();
        for (JsonNode s : segments) s.get("updates").forEach(updates::add);
        int positions = updates.size() + 1;
        assertEquals(String.valueOf(positions - 1), slider.getDomProperty("max"));
        assertEquals(String.valueOf(positions - 1), slider.getDomProperty("value"));
        assertEquals(answer, board());
        assertTrue(driver.findElement(By.id("stepLabel")).getText().startsWith("step " + positions + " of " + positions + ": answer"),
                driver.findElement(By.id("stepLabel")).getText());

        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path png = Path.of("target/serve-page.png");
        Files.createDirectories(png.getParent());
        Files.copy(shot.toPath(), png, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(png) > 1000, "the screenshot " + png + " is " + Files.size(png) + " bytes");

        // every earlier position shows its update's prediction, the first one included
        for (int i : List.of(0, positions / 2, positions - 2)) {
            slide(i);
            List<String> want = digits(updates.get(i).get("prediction"));
            waitFor("the board at slider position " + i, want, BrowserPageTest::board);
            assertTrue(driver.findElement(By.id("stepLabel")).getText().startsWith("step " + (i + 1) + " of " + positions + ": segment "),
                    driver.findElement(By.id("stepLabel")).getText());
        }
        slide(positions - 1);
        waitFor("the board back at the answer", answer, BrowserPageTest::board);

        assertEquals(List.of(), severe(), "the browser logged errors");
        ((JavascriptExecutor) driver).executeScript("console.error('browser-log-probe')");
        assertEquals(1, severe().stream().filter(m -> m.contains("browser-log-probe")).count(), "the browser's log is not read");
    }

    @Test
    void givensThatBreakARuleShowTheServersMessage() throws Exception {
        String message = post("/api/solve", BROKEN, 400).get("error").asText();
        assertTrue(message.startsWith("puzzle: "), message);
        severe(); // what earlier pages logged is theirs
        open(BROKEN);
        waitFor("#error showing the server's message", message, () -> driver.findElement(By.id("error")).getText());
        assertEquals(List.of(), board());
        // the refused request itself is logged by the browser (a 400 from /api/solve); nothing else may be
        assertEquals(List.of(), severe("api/solve - Failed to load resource: the server responded with a status of 400"), "the browser logged errors");
    }
}
