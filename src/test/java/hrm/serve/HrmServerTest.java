package hrm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.api.AnswerJson;
import hrm.api.HrmModel;
import hrm.api.OpenOptions;
import hrm.api.Puzzle;
import hrm.api.TinySudokuModel;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.data.sudoku.MiniSudoku;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * hrm serve's API on the tiny 6x6 model trained here: answers equal to hrm solve --json's, under
 * concurrency too, bad input refused naming the field, bounded work, nothing served outside the page.
 */
class HrmServerTest {
    static final String PUZZLE = TinySudokuModel.PUZZLE;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path tmp;
    static Path run;
    static HrmModel model;
    static HrmServer server;

    record Reply(int status, JsonNode body, String text) {}

    @BeforeAll
    static void start() {
        run = TinySudokuModel.train(tmp);
        model = HrmModel.open(run, OpenOptions.defaults().withThreads(1));
        server = HrmServer.start(model, tmp.resolve("data"), null, 0);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
    }

    static Reply post(HrmServer s, String path, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.url()).resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), parse(r.body()), r.body());
    }

    static Reply get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()).resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), parse(r.body()), r.body());
    }

    static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            return null; // the page's HTML, or a refusal that is not JSON (reported by the assertion that reads it)
        }
    }

    static String sudoku(String cells) {
        return "{\"kind\": \"sudoku\", \"puzzle\": \"" + cells + "\"}";
    }

    @Test
    void solveAnswersWhatSolveJsonPrints() throws Exception {
        TinySudokuModel.Run cli = TinySudokuModel.cli("solve", "--checkpoint", run.toString(), "--threads", "1", "--json", "sudoku", PUZZLE);
        assertNotEquals(2, cli.code(), cli.err()); // 0 or 1: the tiny model's answer may be wrong, what matters is that both say the same
        Reply r = post(server, "/api/solve", sudoku(PUZZLE));
        assertEquals(200, r.status(), r.text());
        assertEquals(JSON.readTree(cli.out()), r.body());
        // the same puzzle given as rows of digits is the same puzzle
        StringBuilder rows = new StringBuilder("[");
        for (int i = 0; i < 6; i++) rows.append(i > 0 ? "," : "").append('"').append(PUZZLE, 6 * i, 6 * i + 6).append('"');
        assertEquals(r.body(), post(server, "/api/solve", "{\"kind\": \"sudoku\", \"puzzle\": " + rows + "]}").body());
    }

    @Test
    void viewsAnswerWhatSolveViewsJsonPrints() throws Exception {
        for (String[] kn : new String[][]{{"6", "0"}, {"9", "-4"}}) {
            TinySudokuModel.Run cli = TinySudokuModel.cli("solve", "--checkpoint", run.toString(), "--threads", "1", "--json", "--views", kn[0],
                    "--views-seed", kn[1], "sudoku", PUZZLE);
            assertNotEquals(2, cli.code(), cli.err());
            Reply r = post(server, "/api/solve", "{\"kind\": \"sudoku\", \"puzzle\": \"" + PUZZLE + "\", \"views\": " + kn[0]
                    + ", \"views_seed\": " + kn[1] + "}");
            assertEquals(200, r.status(), r.text());
            assertEquals(JSON.readTree(cli.out()), r.body());
            assertEquals(Integer.parseInt(kn[0]), r.body().get("views").get("views").asInt());
        }
        // one view is the plain answer, and views_seed alone changes nothing
        Reply plain = post(server, "/api/solve", sudoku(PUZZLE));
        assertEquals(plain.body(), post(server, "/api/solve", "{\"kind\": \"sudoku\", \"puzzle\": \"" + PUZZLE + "\", \"views\": 1}").body());
        assertEquals(plain.body(), post(server, "/api/solve", "{\"kind\": \"sudoku\", \"puzzle\": \"" + PUZZLE + "\", \"views_seed\": 5}").body());
    }

    @Test
    void badViewsAre400NamingTheField() throws Exception {
        String sudoku = "{\"kind\": \"sudoku\", \"puzzle\": \"" + PUZZLE + "\", ";
        for (String views : List.of("0", "-2", "2.5", "\"3\"", "true", "null", "[2]", "99999999999"))
            assertError(post(server, "/api/solve", sudoku + "\"views\": " + views + "}"), 400, "views: ");
        assertEquals("views: 0, expected a positive integer", post(server, "/api/solve", sudoku + "\"views\": 0}").body().get("error").asText());
        assertEquals("views: 2.5, expected a positive integer", post(server, "/api/solve", sudoku + "\"views\": 2.5}").body().get("error").asText());
        assertError(post(server, "/api/solve", sudoku + "\"views\": 100000000}"), 400, "views: 100000000, a 6x6 Sudoku with 2x3 boxes has only ");
        assertEquals("views: 2, test-time views exist for sudoku and maze only",
                post(server, "/api/solve", "{\"kind\": \"arc\", \"puzzle\": [[1, 2]], \"views\": 2}").body().get("error").asText());
        for (String seed : List.of("\"x\"", "1.5", "18446744073709551616"))
            assertError(post(server, "/api/solve", sudoku + "\"views\": 2, \"views_seed\": " + seed + "}"), 400, "views_seed: ");
        // the CLI refuses the same counts, in its option's words
        TinySudokuModel.Run cli = TinySudokuModel.cli("solve", "--checkpoint", run.toString(), "--views", "100000000", "sudoku", PUZZLE);
        assertEquals(2, cli.code(), cli.err());
        String api = post(server, "/api/solve", sudoku + "\"views\": 100000000}").body().get("error").asText();
        assertEquals("hrm solve: " + api.replaceFirst("^views: 100000000, ", "--views 100000000: "), cli.err().strip());
    }

    /** 16 different puzzles: blanking one more given keeps a puzzle solvable, and makes another one. */
    static List<String> sixteenPuzzles() {
        List<String> puzzles = new ArrayList<>();
        for (int i = 0; puzzles.size() < 16; i++)
            if (PUZZLE.charAt(i) != '.') puzzles.add(PUZZLE.substring(0, i) + "." + PUZZLE.substring(i + 1));
        return puzzles;
    }

    @Test
    void sixteenConcurrentRequestsAreEachAnsweredAsAlone() throws Exception {
        List<String> puzzles = sixteenPuzzles();
        List<JsonNode> alone = new ArrayList<>();
        for (String p : puzzles) alone.add(post(server, "/api/solve", sudoku(p)).body());
        List<CompletableFuture<Reply>> together = new ArrayList<>();
        for (String p : puzzles) together.add(CompletableFuture.supplyAsync(() -> {
            try {
                return post(server, "/api/solve", sudoku(p));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }));
        for (int i = 0; i < puzzles.size(); i++) {
            Reply r = together.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(200, r.status(), r.text());
            assertEquals(alone.get(i), r.body(), puzzles.get(i));
            assertEquals(puzzles.get(i), MiniSudokuText.of(r.body().get("puzzle")));
        }
    }

    @Test
    void badInputIs400NamingTheField() throws Exception {
        assertError(post(server, "/api/solve", "{\"kind\": \"sudoku\", \"puzzle\": "), 400, "body: not JSON");
        assertError(post(server, "/api/solve", "[1, 2]"), 400, "body: expected a JSON object");
        assertError(post(server, "/api/solve", "{\"puzzle\": \"" + PUZZLE + "\"}"), 400, "kind: missing");
        assertError(post(server, "/api/solve", "{\"kind\": \"sudoko\", \"puzzle\": \"" + PUZZLE + "\"}"), 400, "kind: unknown puzzle kind 'sudoko'");
        assertError(post(server, "/api/solve", "{\"kind\": \"sudoku\"}"), 400, "puzzle: missing");
        assertError(post(server, "/api/trace", sudoku("631..44521....54..2...36543.12.26.4x")), 400, "puzzle: row 6 column 6: 'x' is not a digit 1-6");
        assertError(post(server, "/api/solve", sudoku("631")), 400, "puzzle: ");
        assertError(post(server, "/api/solve", "{\"kind\": \"arc\", \"puzzle\": [[1, 2], [3]]}"), 400, "puzzle: row 2 is not a list of 2 colours");
        // givens that break a rule, or that no grid completes: hrm solve's own words after "puzzle: "
        for (String bad : List.of("11..............", "12....3...4.....")) {
            TinySudokuModel.Run cli = TinySudokuModel.cli("solve", "--checkpoint", run.toString(), "--json", "sudoku", bad);
            assertEquals(2, cli.code(), cli.err());
            String said = cli.err().strip().replaceFirst("^hrm solve: ", "");
            Reply r = post(server, "/api/solve", sudoku(bad));
            assertEquals(400, r.status(), r.text());
            assertEquals("puzzle: " + said, r.body().get("error").asText());
        }
        assertTrue(post(server, "/api/solve", sudoku("12....3...4.....")).body().get("error").asText().contains(Puzzle.Sudoku.NO_SOLUTION));
    }

    @Test
    void aBodyOverOneMebibyteIs413() throws Exception {
        String big = "{\"kind\": \"sudoku\", \"puzzle\": \"" + ".".repeat(2 << 20) + "\"}";
        // Expect: 100-continue, as curl sends for large bodies: the server answers 413 from the headers, and the
        // client does not race the server's close while still sending 2 MiB (which failed as "no bytes" in CI)
        HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create(server.url()).resolve("/api/solve")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(big)).header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        Reply r = new Reply(sent.statusCode(), parse(sent.body()), sent.body());
        assertEquals(413, r.status(), r.text());
        assertTrue(r.body().get("error").asText().startsWith("body: "), r.text());
    }

    /** What runs before a batch of plain solves reaches the model: a latch, a delay. */
    interface Gate {
        void pass() throws InterruptedException;
    }

    /** The model behind {@code real}, each batch of plain solves ({@link Solver#solveAll}) first passing {@code gate}. */
    static Solver gated(Solver real, Gate gate) {
        return (Solver) Proxy.newProxyInstance(Solver.class.getClassLoader(), new Class<?>[]{Solver.class}, (proxy, method, args) -> {
            if (method.getName().equals("solveAll")) gate.pass();
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /** A model whose first batch holds it until released. */
    static final class Latched {
        final CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
        final Solver solver = gated(Solver.of(model), () -> {
            started.countDown();
            release.await();
        });
    }

    @Test
    void aFullQueueIs503AndTheQueuedWorkStillAnswers() throws Exception {
        Latched blocked = new Latched();
        try (HrmServer small = new HrmServer(blocked.solver, null, "127.0.0.1", 0, 1, Duration.ofSeconds(60))) {
            CompletableFuture<Reply> running = CompletableFuture.supplyAsync(() -> call(small));
            assertTrue(blocked.started.await(30, TimeUnit.SECONDS));
            CompletableFuture<Reply> waiting = CompletableFuture.supplyAsync(() -> call(small));
            awaitWaiting(small, 1);
            Reply refused = post(small, "/api/solve", sudoku(PUZZLE));
            assertEquals(503, refused.status(), refused.text());
            assertTrue(refused.body().get("error").asText().startsWith("busy: "), refused.text());
            blocked.release.countDown();
            Reply want = post(server, "/api/solve", sudoku(PUZZLE));
            assertEquals(want.body(), running.get(60, TimeUnit.SECONDS).body());
            assertEquals(want.body(), waiting.get(60, TimeUnit.SECONDS).body());
        } finally {
            blocked.release.countDown();
        }
    }

    /**
     * Requests that wait while the model is busy share its next forwards: 16 different puzzles, the
     * first holding the model until the other 15 wait, take 3 model calls (1, then 8 and 7 with the
     * default batch of 8), and each is answered exactly as it is alone.
     */
    @Test
    void waitingRequestsAreBatchedAndEachAnsweredAsAlone() throws Exception {
        List<String> puzzles = sixteenPuzzles();
        List<JsonNode> alone = new ArrayList<>();
        for (String p : puzzles) alone.add(JSON.valueToTree(AnswerJson.of(model.solve(Puzzle.sudoku(p)), null)));
        Latched latched = new Latched();
        try (HrmServer s = new HrmServer(latched.solver, null, "127.0.0.1", 0, HrmServer.QUEUE_LENGTH, Duration.ofSeconds(60))) {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            replies.add(CompletableFuture.supplyAsync(() -> solve(s, puzzles.get(0)), POOL));
            assertTrue(latched.started.await(30, TimeUnit.SECONDS));
            for (String p : puzzles.subList(1, puzzles.size())) replies.add(CompletableFuture.supplyAsync(() -> solve(s, p), POOL));
            awaitWaiting(s, puzzles.size() - 1);
            latched.release.countDown();
            for (int i = 0; i < puzzles.size(); i++) {
                Reply r = replies.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(200, r.status(), r.text());
                assertEquals(alone.get(i), r.body(), puzzles.get(i));
            }
            assertEquals(3, s.modelCalls(), "16 requests: one alone, then the 15 that waited in batches of 8 and 7");
        } finally {
            latched.release.countDown();
        }
    }

    /** Enough threads for every concurrent request of a test to be sent at once (the common pool has one per core). */
    static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-client");
        t.setDaemon(true);
        return t;
    });

    static Reply solve(HrmServer s, String puzzle) {
        try {
            return post(s, "/api/solve", sudoku(puzzle));
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    static void awaitWaiting(HrmServer s, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.waiting() < n && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(n, s.waiting(), "requests waiting for the model");
    }

    @Test
    void aRequestPastTheTimeLimitIs504() throws Exception {
        Solver slow = gated(Solver.of(model), () -> Thread.sleep(2000));
        try (HrmServer s = new HrmServer(slow, null, "127.0.0.1", 0, 4, Duration.ofMillis(200))) {
            Reply r = post(s, "/api/solve", sudoku(PUZZLE));
            assertEquals(504, r.status(), r.text());
            assertTrue(r.body().get("error").asText().startsWith("timeout: "), r.text());
        }
    }

    static Reply call(HrmServer s) {
        try {
            return post(s, "/api/solve", sudoku(PUZZLE));
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void onlyThePageIsServedNeverAFileOutsideIt() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<artifactId>hrm-java</artifactId>"));
        String abs = Path.of("pom.xml").toAbsolutePath().toString();
        for (String path : List.of("/..%2f..%2fpom.xml", "/%2e%2e/", "/%2e%2e/pom.xml", "/../pom.xml", "/..%5c..%5cpom.xml", "/%2e%2e%2f%2e%2e%2fpom.xml",
                "//" + abs, abs, "/hrm/serve/index.html", "/index.html/../../pom.xml", "/app.js/..%2f..%2fpom.xml", "/pom.xml", "/etc/passwd")) {
            String raw = rawGet(path);
            int status = Integer.parseInt(raw.substring(9, 12));
            // 404 from the fixed list of files; Jetty itself answers 400 to a path that climbs above the root (/../, /%2e%2e/)
            assertTrue(status == 404 || status == 400, path + " -> " + raw.lines().findFirst().orElse(""));
            assertFalse(raw.contains("<artifactId>") || raw.contains("root:x:0"), path + " served a file outside the page");
        }
        Reply page = get("/");
        assertEquals(200, page.status());
        assertTrue(page.text().contains("id=\"board\""), page.text());
        assertEquals(200, get("/app.js").status());
        assertEquals(200, get("/style.css").status());
    }

    /** The request line exactly as written: an HTTP client would normalise the dots away. */
    static String rawGet(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream o = s.getOutputStream();
            o.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void bindsTheLoopbackAddressByDefault() {
        assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
        assertTrue(server.url().startsWith("http://127.0.0.1:" + server.port() + "/"), server.url());
    }

    @Test
    void theCommandRefusesBadOptionsInOneLine() {
        TinySudokuModel.Run r = TinySudokuModel.cli("serve", "--checkpoint", run.toString(), "--data", tmp.resolve("nowhere").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("hrm serve: --data " + tmp.resolve("nowhere") + ": not a directory", r.err().strip());
        r = TinySudokuModel.cli("serve", "--checkpoint", run.toString(), "--port", "70000");
        assertEquals(2, r.code(), r.err());
        assertEquals("hrm serve: --port 70000: expected 0 to 65535", r.err().strip());
    }

    @Test
    void theTracesLastStepIsTheAnswer() throws Exception {
        Reply solved = post(server, "/api/solve", sudoku(PUZZLE));
        Reply traced = post(server, "/api/trace", sudoku(PUZZLE));
        assertEquals(200, traced.status(), traced.text());
        assertEquals("sudoku", traced.body().get("task").asText());
        JsonNode ex = traced.body().get("examples").get(0);
        JsonNode segs = ex.get("segments");
        assertEquals(solved.body().get("segments").asInt(), segs.size());
        JsonNode last = segs.get(segs.size() - 1).get("prediction");
        int[] tokens = new int[last.size()];
        for (int i = 0; i < tokens.length; i++) tokens[i] = last.get(i).asInt();
        assertEquals(MiniSudokuText.of(solved.body().get("answer")), new Puzzle.Sudoku(MiniSudoku.fromTokens(tokens)).text());
        // the input is the puzzle's tokens, and every segment has its updates, each a prediction of every cell
        assertEquals(JSON.valueToTree(Puzzle.sudoku(PUZZLE).tokens()), ex.get("input"));
        for (JsonNode s : segs) {
            assertFalse(s.get("updates").isEmpty());
            for (JsonNode u : s.get("updates")) assertEquals(36, u.get("prediction").size());
        }
    }

    @Test
    void modelSaysWhatTheCheckpointWasTrainedOn() throws Exception {
        Reply r = get("/api/model");
        assertEquals(200, r.status(), r.text());
        assertEquals("sudoku", r.body().get("trained_on").asText(), r.text());
        assertEquals(36, r.body().get("cells").asInt(), r.text());
        assertEquals(model.checkpoint().path().toString(), r.body().get("checkpoint").asText());
    }

    @Test
    void anArcPuzzlesTaskTestAndExpectedOutputAreCheckedNamingTheField() throws Exception {
        String grid = "\"puzzle\": [[1, 2]]";
        assertError(post(server, "/api/solve", "{\"kind\": \"arc\", " + grid + ", \"task\": 5}"), 400, "task: ");
        assertError(post(server, "/api/solve", "{\"kind\": \"arc\", " + grid + ", \"test\": 0}"), 400, "test: ");
        assertError(post(server, "/api/solve", "{\"kind\": \"arc\", " + grid + ", \"expected\": [[1], [2, 3]]}"), 400,
                "expected: row 2 is not a list of 1 colours");
        // well formed, it reaches the model, which refuses a puzzle of another kind than its own
        assertError(post(server, "/api/solve", "{\"kind\": \"arc\", " + grid + ", \"task\": \"t\", \"test\": 2, \"expected\": [[2, 1]]}"), 400,
                "puzzle: ");
    }

    @Test
    void datasetsListTheExamplesOfTheDataDirectory() throws Exception {
        PuzzleDataset test = PuzzleDataset.open(tmp.resolve("data"), "test");
        PuzzleSet set = test.sets().getFirst();
        Reply r = get("/api/datasets?split=test&offset=1&limit=2");
        assertEquals(200, r.status(), r.text());
        assertEquals(set.examples(), r.body().get("total").asInt());
        assertEquals(2, r.body().get("examples").size());
        int[] input = new int[test.metadata().seqLen()], label = new int[input.length];
        set.input(2, input, 0);
        set.label(2, label, 0);
        JsonNode second = r.body().get("examples").get(1);
        assertEquals(2, second.get("index").asInt());
        assertEquals(JSON.valueToTree(input), second.get("input"));
        assertEquals(JSON.valueToTree(label), second.get("label"));
        assertError(get("/api/datasets?limit=-1"), 400, "limit: ");
        assertError(get("/api/datasets?set=nope"), 400, "set: no set 'nope'");
        assertError(get("/api/datasets?split=../../etc"), 400, "split: ");
    }

    static void assertError(Reply r, int status, String start) {
        assertEquals(status, r.status(), r.text());
        assertNotNull(r.body(), r.text());
        assertTrue(r.body().get("error").asText().startsWith(start), r.text());
        assertFalse(r.body().get("error").asText().contains("\n"), "one line: " + r.text());
    }

    /** A Sudoku's rows of digits (the JSON's grids) back to its one-line text. */
    static final class MiniSudokuText {
        static String of(JsonNode rows) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode row : rows) for (JsonNode c : row) sb.append(c.asInt() == 0 ? '.' : (char) ('0' + c.asInt()));
            return sb.toString();
        }
    }
}
