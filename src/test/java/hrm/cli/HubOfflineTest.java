package hrm.cli;

import hrm.data.hub.HubDownloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hrm data sudoku|maze} without a network (issue 18: it ended in "nothing kept: null" and left
 * empty cache folders). The hub is a local port with nothing listening, never an outside address.
 */
class HubOfflineTest {
    @TempDir
    Path tmp;

    /** A local address that refuses connections: a port that was free a moment ago. */
    static String closedEndpoint() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void anUnreachableHubIsNamedWithTheWayOutAndLeavesNoFoldersItMade() throws Exception {
        String hub = closedEndpoint();
        for (String kind : List.of("sudoku", "maze")) {
            Path cache = tmp.resolve(kind + "-cache"), out = tmp.resolve(kind + "-out");
            SingleProcessTest.Run r = SingleProcessTest.run(Map.of(), "data", kind, "--hub-endpoint", hub, "--cache-dir", cache.toString(), "--output-dir", out.toString());
            assertEquals(2, r.code(), r.err());
            String err = r.err().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("no connection to " + hub.substring("http://".length()) + " (ConnectException"), err);
            assertTrue(err.contains("no network?") && err.contains("--source-csv DIR") && err.contains("--generate N"), err);
            assertFalse(err.contains("null"), err);
            assertFalse(Files.exists(cache), "the cache folders it made are gone");
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void aCacheThatExistedIsKeptWithWhatItHeld() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Files.writeString(cache.resolve("mine.txt"), "a user's file");
        Files.createDirectories(cache.resolve("datasets/sapientinc"));
        SingleProcessTest.Run r = SingleProcessTest.run(Map.of(), "data", "sudoku", "--hub-endpoint", closedEndpoint(), "--cache-dir", cache.toString(),
                "--output-dir", tmp.resolve("out").toString());
        assertEquals(2, r.code(), r.err());
        try (var s = Files.walk(cache)) {
            assertEquals(List.of("", "datasets", "datasets/sapientinc", "mine.txt"), s.map(p -> cache.relativize(p).toString().replace('\\', '/')).sorted().toList(),
                    "only the folder this run created (sudoku-extreme) is removed");
        }
    }

    @Test
    void hrmDebugShowsTheTrace() throws Exception {
        SingleProcessTest.Run r = SingleProcessTest.run(Map.of("HRM_DEBUG", "1"), "data", "sudoku", "--hub-endpoint", closedEndpoint(),
                "--cache-dir", tmp.resolve("c").toString(), "--output-dir", tmp.resolve("o").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("\tat hrm.data.hub.HubDownloader.datasetFile") && r.err().contains("Caused by: java.net.ConnectException"), r.err());
    }

    @Test
    void anUnknownHostIsNamed() {
        var e = new java.net.ConnectException();
        e.initCause(new java.nio.channels.UnresolvedAddressException());
        assertEquals("host hub.invalid not found (ConnectException <- UnresolvedAddressException)",
                HubDownloader.describe(e, java.net.URI.create("https://hub.invalid/datasets/a/b/resolve/main/train.csv")));
    }
}
