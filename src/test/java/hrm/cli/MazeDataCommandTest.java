package hrm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.data.maze.Maze;
import hrm.data.maze.MazeCsv;
import hrm.data.maze.MazeGenerator;
import hrm.data.maze.MazePathChecker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MazeDataCommandTest {
    static final Path CSV_DIR = Path.of("testdata/reference-datasets/maze-csv");

    @TempDir
    Path tmp;

    @Test
    void commandGeneratesAHardDatasetAndItsCsv() {
        Path out = tmp.resolve("gen"), csv = tmp.resolve("csv");
        int rc = run("data", "maze", "--generate", "12", "--test-count", "5", "--seed", "3", "--aug",
                "--output-dir", out.toString(), "--write-csv", csv.toString());
        assertEquals(0, rc);
        List<Maze> genTrain = MazeCsv.read(csv.resolve("train.csv")), genTest = MazeCsv.read(csv.resolve("test.csv"));
        assertEquals(12, genTrain.size());
        assertEquals(5, genTest.size());
        Set<String> keys = new HashSet<>();
        for (Maze m : genTrain) keys.add(MazeGenerator.key(m));
        for (Maze m : genTest) assertTrue(keys.add(MazeGenerator.key(m)), "a test maze is also a training maze");
        MazePathChecker checker = new MazePathChecker(30);
        PuzzleSet tr = PuzzleDataset.open(out, "train").sets().get(0);
        PuzzleSet te = PuzzleDataset.open(out, "test").sets().get(0);
        assertEquals(96, tr.examples());
        assertEquals(12, tr.groups());
        assertEquals(5, te.examples());
        int[] in = new int[900], lab = new int[900];
        for (int i = 0; i < 5; i++) {
            te.input(i, in, 0);
            te.label(i, lab, 0);
            assertArrayEquals(genTest.get(i).input(), in);
            assertArrayEquals(genTest.get(i).label(), lab);
            assertTrue(genTest.get(i).rating() > 110, "Maze-Hard: longer than 110");
            assertEquals(MazePathChecker.Verdict.SHORTEST_PATH, checker.check(in, lab));
        }
        // The same seed makes the same mazes.
        Path csv2 = tmp.resolve("csv2");
        assertEquals(0, run("data", "maze", "--generate", "12", "--test-count", "5", "--seed", "3",
                "--output-dir", tmp.resolve("gen2").toString(), "--write-csv", csv2.toString()));
        assertEquals(genTest.stream().map(MazeGenerator::key).toList(),
                MazeCsv.read(csv2.resolve("test.csv")).stream().map(MazeGenerator::key).toList());
    }

    @Test
    void commandBuildsFromCsvAndTakesOneSource() {
        Path out = tmp.resolve("fromcsv");
        assertEquals(0, run("data", "maze", "--source-csv", CSV_DIR.toString(), "--subsample-size", "4",
                "--output-dir", out.toString()));
        assertEquals(4, PuzzleDataset.open(out, "train").examples());
        assertEquals(10, PuzzleDataset.open(out, "test").examples());
        assertEquals(2, run("data", "maze", "--generate", "3", "--source-csv", "x", "--output-dir", tmp.resolve("both").toString()));
        assertEquals(2, run("data", "maze", "--source-csv", CSV_DIR.toString(), "--size", "20",
                "--output-dir", tmp.resolve("sized").toString()));
        assertTrue(Files.notExists(tmp.resolve("sized")));
    }

    @Test
    void commandReportsBadInputInOneLine() throws java.io.IOException {
        Path dir = tmp.resolve("bad");
        Files.createDirectories(dir);
        Files.copy(CSV_DIR.resolve("test.csv"), dir.resolve("test.csv"));
        List<String> lines = Files.readAllLines(CSV_DIR.resolve("train.csv"));
        lines.set(3, lines.get(3).replace("G", " ")); // in the question and the answer
        Files.write(dir.resolve("train.csv"), lines);
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "data", "maze", "--source-csv", dir.toString(), "--output-dir", tmp.resolve("o").toString()));
        assertEquals("hrm data maze: " + dir.resolve("train.csv") + ": line 4: question has 1 S and 0 G cells, expected exactly one of each",
                err.toString().strip());
        assertTrue(Files.notExists(tmp.resolve("o")));
    }

    private static int run(String... args) {
        return run(new StringWriter(), args);
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Main.commandLine(); // as ./hrm runs it: the one-line error policy is Main's
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void withoutASourceItDownloadsTheReferenceRepositoryIntoTheCache() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/datasets/" + MazeDataCommand.DEFAULT_REPO + "/resolve/main/", ex -> {
            try (ex) {
                requests.incrementAndGet();
                byte[] body = Files.readAllBytes(CSV_DIR.resolve(ex.getRequestURI().getPath().replaceAll(".*/", "")));
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        Path cache = tmp.resolve("cache");
        StringWriter err = new StringWriter();
        try {
            assertEquals(0, run(err, "data", "maze", "--hub-endpoint", endpoint, "--cache-dir", cache.toString(), "--aug",
                    "--output-dir", tmp.resolve("hub").toString()), err.toString());
            assertEquals(2, requests.get());
            assertEquals(160, PuzzleDataset.open(tmp.resolve("hub"), "train").examples());
            assertEquals(10, PuzzleDataset.open(tmp.resolve("hub"), "test").examples());
            assertArrayEquals(Files.readAllBytes(CSV_DIR.resolve("train.csv")),
                    Files.readAllBytes(cache.resolve("datasets/sapientinc/maze-30x30-hard-1k/train.csv")));
            StringWriter missing = new StringWriter();
            assertEquals(2, run(missing, "data", "maze", "--source-repo", "someone/absent", "--hub-endpoint", endpoint,
                    "--cache-dir", cache.toString(), "--output-dir", tmp.resolve("absent").toString()));
            assertTrue(missing.toString().startsWith("hrm data maze: "), missing.toString());
            assertTrue(Files.notExists(tmp.resolve("absent")));
        } finally {
            server.stop(0);
        }
        // A second build reads the cache: the server is gone.
        assertEquals(0, run(err, "data", "maze", "--source-repo", MazeDataCommand.DEFAULT_REPO, "--hub-endpoint", endpoint,
                "--cache-dir", cache.toString(), "--output-dir", tmp.resolve("cached").toString()), err.toString());
        assertEquals(20, PuzzleDataset.open(tmp.resolve("cached"), "train").examples());
    }
}
