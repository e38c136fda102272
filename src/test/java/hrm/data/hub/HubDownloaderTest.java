package hrm.data.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** Against a local hub stand-in: Range support, a first response cut short, a server that ignores Range. */
class HubDownloaderTest {
    static final String PATH = "/datasets/owner/sudoku-x/resolve/main/train.csv";
    static final String REDIRECTED = "/datasets/owner/redirected/resolve/main/train.csv";
    final byte[] content = new byte[300_000];
    final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger truncateNext = new AtomicInteger(); // bytes to send before dropping the connection, 0: whole
    volatile boolean honourRange = true;
    HttpServer server;
    URI endpoint;
    @TempDir
    Path cache;

    @BeforeEach
    void start() throws IOException {
        new Random(7).nextBytes(content);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex.getRequestURI().getPath().equals(REDIRECTED)) { // the hub sends large files to a CDN this way
                ex.getResponseHeaders().add("Location", PATH);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            if (!ex.getRequestURI().getPath().equals(PATH)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            ranges.add(range == null ? "none" : range);
            int from = 0;
            if (range != null && honourRange) {
                from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                if (from >= content.length) {
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
                ex.sendResponseHeaders(206, content.length - from);
            } else {
                ex.sendResponseHeaders(200, content.length);
            }
            int cut = truncateNext.getAndSet(0);
            OutputStream out = ex.getResponseBody();
            out.write(content, from, cut > 0 ? cut : content.length - from);
            out.flush();
            if (cut > 0) throw new IOException("dropping the connection on purpose"); // closes it mid-body
        }
    }

    private HubDownloader downloader(int retries, PrintStream progress) {
        return new HubDownloader(endpoint, cache, progress, retries);
    }

    @Test
    void downloadsIntoTheCacheWithAProgressBarAndReusesIt() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path f = downloader(0, new PrintStream(err, true)).datasetFile("owner/sudoku-x", "train.csv");
        assertEquals(cache.resolve("datasets/owner/sudoku-x/train.csv"), f);
        assertArrayEquals(content, Files.readAllBytes(f));
        assertFalse(Files.exists(f.resolveSibling("train.csv.part")));
        assertTrue(err.toString().contains("train.csv [") && err.toString().contains("100%"), err.toString());
        assertEquals(List.of("none"), ranges);
        downloader(0, null).datasetFile("owner/sudoku-x", "train.csv");
        assertEquals(1, ranges.size(), "a cached file is not fetched again");
    }

    @Test
    void resumesWithinOneCallAfterATruncatedTransfer() throws IOException {
        truncateNext.set(100_000);
        Path f = downloader(2, null).datasetFile("owner/sudoku-x", "train.csv");
        assertArrayEquals(content, Files.readAllBytes(f));
        assertEquals("none", ranges.get(0));
        assertTrue(ranges.get(1).matches("bytes=\\d+-"), ranges.toString());
        long resumedAt = Long.parseLong(ranges.get(1).replaceAll("\\D", ""));
        assertTrue(resumedAt > 0 && resumedAt <= 100_000, ranges.toString());
    }

    @Test
    void keepsThePartialFileAndResumesOnTheNextCall() throws IOException {
        truncateNext.set(120_000);
        IOException e = assertThrows(IOException.class, () -> downloader(0, null).datasetFile("owner/sudoku-x", "train.csv"));
        assertTrue(e.getMessage().contains(PATH), e.getMessage());
        Path part = cache.resolve("datasets/owner/sudoku-x/train.csv.part");
        Path target = cache.resolve("datasets/owner/sudoku-x/train.csv");
        assertFalse(Files.exists(target), "no final file before the transfer completes");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept <= 120_000, "kept " + kept);
        Path f = downloader(0, null).datasetFile("owner/sudoku-x", "train.csv");
        assertArrayEquals(content, Files.readAllBytes(f));
        assertEquals("bytes=" + kept + "-", ranges.get(1));
        assertFalse(Files.exists(part));
    }

    @Test
    void followsRedirectsAndResumesThroughThem() throws IOException {
        truncateNext.set(70_000);
        Path f = downloader(1, null).datasetFile("owner/redirected", "train.csv");
        assertArrayEquals(content, Files.readAllBytes(f));
        assertEquals(2, ranges.size());
        assertTrue(ranges.get(1).startsWith("bytes="), "the Range header survives the redirect: " + ranges);
    }

    @Test
    void startsOverWhenTheServerIgnoresRange() throws IOException {
        truncateNext.set(50_000);
        honourRange = false;
        Path f = downloader(1, null).datasetFile("owner/sudoku-x", "train.csv");
        assertArrayEquals(content, Files.readAllBytes(f));
        assertEquals(2, ranges.size());
    }

    @Test
    void completePartIsFinishedWhenTheServerSaysTheRangeIsPastTheEnd() throws IOException {
        Path part = cache.resolve("datasets/owner/sudoku-x/train.csv.part");
        Files.createDirectories(part.getParent());
        Files.write(part, content);
        Path f = downloader(0, null).datasetFile("owner/sudoku-x", "train.csv");
        assertArrayEquals(content, Files.readAllBytes(f));
        assertEquals(List.of("bytes=" + content.length + "-"), ranges);
    }

    @Test
    void missingFileIsAnErrorNamingTheUrlWithoutRetrying() {
        IOException e = assertThrows(IOException.class, () -> downloader(3, null).datasetFile("owner/sudoku-x", "nope.csv"));
        assertTrue(e.getMessage().contains("/datasets/owner/sudoku-x/resolve/main/nope.csv") && e.getMessage().contains("404"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> downloader(0, null).datasetFile("../etc", "x.csv"));
        assertThrows(IllegalArgumentException.class, () -> downloader(0, null).datasetFile("owner/x", "../x.csv"));
    }
}
