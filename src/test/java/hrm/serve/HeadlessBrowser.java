package hrm.serve;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The browser of the page tests: Debian's headless Chromium driven by Selenium through the machine's
 * chromedriver (named here, so Selenium Manager never downloads one), and what the tests read from a
 * page: the board's data-values, the error line, the browser's log. {@link #missing()} says why it
 * cannot run (under CI that fails the test: .ci/run installs both).
 */
final class HeadlessBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium"), CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Selenium's warning that it has no CDP of Chromium's version: nothing here uses CDP (held: a logger's level lives while it does). */
    private static final java.util.logging.Logger CDP = java.util.logging.Logger.getLogger("org.openqa.selenium.devtools");

    final ChromeDriver driver;

    private HeadlessBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Why the browser cannot run here, null where it can; under CI a missing browser fails the calling test. */
    static String missing() {
        List<String> absent = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) absent.add(CHROMIUM + " (Debian: apt-get install chromium)");
        if (!Files.isExecutable(CHROMEDRIVER)) absent.add(CHROMEDRIVER + " (Debian: apt-get install chromium-driver)");
        if (absent.isEmpty()) return null;
        String why = "the browser test needs " + String.join(" and ", absent);
        if (System.getenv("CI") != null) fail(why);
        return why;
    }

    /** A Sudoku's tokens as board.js shows them, as the cells' data-values: a digit is its token - 1 (0 padding, 1 blank). */
    static List<String> sudokuValues(Iterable<? extends com.fasterxml.jackson.databind.JsonNode> tokens) {
        List<String> out = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode t : tokens) out.add(String.valueOf(Math.max(0, t.asInt() - 1)));
        return out;
    }

    /**
     * The page tests' browser as a JUnit extension (a static {@code @RegisterExtension} field): started
     * before the class's {@code @BeforeAll} where it can run ({@link #browser} null otherwise: the
     * class then sets nothing up), each test skipped where it cannot (an assumption failed in
     * {@code @BeforeAll} would show in surefire as no tests at all; under CI {@link #missing()} fails),
     * closed after the class's {@code @AfterAll}.
     */
    static final class Session implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
        private String missing;
        HeadlessBrowser browser;

        @Override
        public void beforeAll(ExtensionContext context) {
            missing = missing();
            if (missing == null) browser = start();
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            assumeTrue(missing == null, () -> missing + "; skipped (under CI it fails)");
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (browser != null) browser.close();
        }
    }

    /** A headless Chromium with its console log kept at every level. */
    static HeadlessBrowser start() {
        CDP.setLevel(Level.SEVERE);
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new HeadlessBrowser(new ChromeDriver(service, options));
    }

    void open(String url) {
        driver.get(url);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** The data-values of the cells of the board {@code selector} (e.g. "#board"), in order, read in one script (boards are redrawn whole). */
    @SuppressWarnings("unchecked")
    List<String> board(String selector) {
        return (List<String>) script("return [...document.querySelectorAll(arguments[0] + ' .cell')].map(c => c.dataset.value);", selector);
    }

    /** The text of the element with this id. */
    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** Waits (bounded) until {@code got} equals {@code want}; on timeout fails showing both and the page's #error. */
    <T> void waitFor(String what, T want, Supplier<T> got) {
        try {
            new WebDriverWait(driver, WAIT).until(d -> want.equals(got.get()));
        } catch (TimeoutException e) {
            List<String> errors = driver.findElements(By.id("error")).stream().map(org.openqa.selenium.WebElement::getText).toList();
            fail(what + " within " + WAIT.toSeconds() + " s: expected " + want + ", the page shows " + got.get() + " (#error: " + errors + ")");
        }
    }

    /** Moves a range input as a user would: its value set, then the 'input' and 'change' events. */
    void slide(String id, int position) {
        script("const s = document.getElementById(arguments[0]); s.value = String(arguments[1]);"
                + "s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true}));", id, position);
    }

    /** The warnings and errors in the browser's log since it was last read, less those containing one of {@code expected}. */
    List<String> severe(String... expected) {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() < Level.WARNING.intValue()) continue;
            boolean allowed = false;
            for (String x : expected) allowed |= e.getMessage().contains(x);
            if (!allowed) out.add(e.getLevel() + " " + e.getMessage());
        }
        return out;
    }

    /** Saves what the browser shows as a PNG (under target/, for people to look at). */
    void screenshot(Path png) throws IOException {
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        if (png.getParent() != null) Files.createDirectories(png.getParent());
        Files.copy(shot, png, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(png) > 1000, "the screenshot " + png + " is " + Files.size(png) + " bytes");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
