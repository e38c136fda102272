package hrm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code hrm data sudoku} and {@code hrm data sudoku-bench} through picocli, as a user runs them. */
class SudokuDataCommandTest {
    static final Path CSV = Path.of("testdata/reference-datasets/sudoku-csv");
    static final Path MAGIC = Path.of("testdata/sudoku/puzzles3_magictour_top1465.txt");
    @TempDir
    Path tmp;
    final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine(); // as ./hrm runs it: the one-line error policy is Main's
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static PuzzleSet set(Path dir, String split) {
        return PuzzleDataset.open(dir, split).sets().get(0);
    }

    @Test
    void buildsFromACsvDirectory() {
        Path ds = tmp.resolve("ds");
        assertEquals(0, run("data", "sudoku", "--source-csv", CSV.toString(), "--num-aug", "3", "--output-dir", ds.toString()), err.toString());
        assertEquals(48, set(ds, "train").examples());
        assertEquals(12, set(ds, "train").groups());
        assertEquals(6, set(ds, "test").examples());
        assertTrue(out.toString().contains("\"train_examples\":48"), out.toString());
        assertEquals(2, run("data", "sudoku", "--source-csv", CSV.toString(), "--output-dir", ds.toString()), "an existing dataset is not replaced silently");
        assertTrue(err.toString().contains("output directory exists and is not empty"), err.toString());
        assertEquals(0, run("data", "sudoku", "--source-csv", CSV.toString(), "--output-dir", ds.toString(), "--overwrite"), err.toString());
        assertEquals(12, set(ds, "train").examples());
    }

    @Test
    void overwriteReplacesOnlyADatasetNeverAUsersFiles() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "precious");
        assertEquals(2, run("data", "sudoku", "--source-csv", CSV.toString(), "--output-dir", mine.toString(), "--overwrite"));
        assertTrue(err.toString().contains(mine.toString()) && err.toString().contains("does not look like a dataset directory"), err.toString());
        assertEquals("precious", Files.readString(mine.resolve("notes.txt")));
        assertEquals(List.of("notes.txt"), hrm.io.OutputDirectory.entries(mine));

        // a dataset with a file of the user's put inside is not only a dataset any more
        Path ds = tmp.resolve("ds");
        assertEquals(0, run("data", "sudoku", "--source-csv", CSV.toString(), "--output-dir", ds.toString()), err.toString());
        Files.writeString(ds.resolve("train/README.md"), "my notes on this data");
        assertEquals(2, run("data", "sudoku", "--source-csv", CSV.toString(), "--output-dir", ds.toString(), "--overwrite"));
        assertEquals("my notes on this data", Files.readString(ds.resolve("train/README.md")));
        Files.delete(ds.resolve("train/README.md"));
        assertEquals(0, run("data", "sudoku", "--source-csv", CSV.toString(), "--output-dir", ds.toString(), "--overwrite"), err.toString());
        // the same rule for the maze builder
        assertEquals(2, run("data", "maze", "--generate", "2", "--size", "9", "--min-path-length", "4", "--output-dir", mine.toString(), "--overwrite"));
        assertEquals("precious", Files.readString(mine.resolve("notes.txt")));
    }

    @Test
    void buildsFromPuzzleListsAndGeneratedPuzzles() throws IOException {
        Path ds = tmp.resolve("lists");
        assertEquals(0, run("data", "sudoku", "--puzzles", MAGIC.toString(), "--test-fraction", "0.2", "--seed", "3",
                "--subsample-size", "100", "--num-aug", "1", "--output-dir", ds.toString()), err.toString());
        assertEquals(100, set(ds, "train").groups());
        assertEquals(200, set(ds, "train").examples());
        assertEquals(293, set(ds, "test").examples());
        Path gen = tmp.resolve("gen");
        assertEquals(0, run("data", "sudoku", "--generate", "20", "--blanks", "50", "--seed", "1", "--test-fraction", "0.25",
                "--output-dir", gen.toString()), err.toString());
        assertEquals(15, set(gen, "train").examples());
        assertEquals(5, set(gen, "test").examples());
        int[] in = new int[81];
        set(gen, "test").input(0, in, 0);
        assertEquals(50, java.util.Arrays.stream(in).filter(t -> t == 1).count(), "blank token 1 in every blank cell");
    }

    @Test
    void badInputIsReportedWithFileAndLine() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.txt"), "# x\n" + ".".repeat(80) + "\n");
        assertEquals(2, run("data", "sudoku", "--puzzles", bad.toString(), "--output-dir", tmp.resolve("o").toString()));
        assertTrue(err.toString().contains(bad + ":2: puzzle: expected 81 characters, got 80"), err.toString());
        assertFalse(Files.exists(tmp.resolve("o")), "nothing written");
        try (var left = Files.list(tmp)) {
            assertEquals(java.util.List.of(bad), left.toList(), "no temporary build directory left behind");
        }
        assertNotEquals(0, run("data", "sudoku", "--puzzles", MAGIC.toString(), "--source-csv", CSV.toString(), "--output-dir", tmp.resolve("o").toString()));
        assertTrue(err.toString().contains("choose one source"), err.toString());
    }

    @Test
    void downloadsFromTheHubIntoTheCache() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/datasets/someone/sudoku-mini/resolve/main/", ex -> {
            try (ex) {
                String name = ex.getRequestURI().getPath().replaceAll(".*/", "");
                byte[] body = Files.readAllBytes(CSV.resolve(name));
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            Path ds = tmp.resolve("hub"), cache = tmp.resolve("cache");
            assertEquals(0, run("data", "sudoku", "--source-repo", "someone/sudoku-mini", "--hub-endpoint", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "--cache-dir", cache.toString(), "--subsample-size", "5", "--output-dir", ds.toString()), err.toString());
            assertEquals(5, set(ds, "train").examples());
            assertEquals(6, set(ds, "test").examples());
            assertArrayEquals(Files.readAllBytes(CSV.resolve("train.csv")), Files.readAllBytes(cache.resolve("datasets/someone/sudoku-mini/train.csv")));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void benchReportsCountsAndRates() throws IOException {
        assertEquals(0, run("data", "sudoku-bench", "testdata/sudoku/tdoku_test_puzzles.txt", "--threads", "2"), err.toString());
        JsonNode j = new ObjectMapper().readTree(out.toString());
        long lines = Files.readAllLines(Path.of("testdata/sudoku/tdoku_test_puzzles.txt")).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        assertEquals(lines, j.get("puzzles").asLong());
        assertEquals(lines, j.get("unique").asLong() + j.get("no_solution").asLong() + j.get("several_solutions").asLong());
        assertTrue(j.get("no_solution").asLong() > 0 && j.get("several_solutions").asLong() > 0);
        assertTrue(j.get("puzzles_per_sec").asDouble() > 0 && j.get("peak_rss_mb").asLong() > 0);
    }
}
