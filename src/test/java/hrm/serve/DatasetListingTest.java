package hrm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.analysis.ReasoningTrace;
import hrm.api.Answer;
import hrm.api.Puzzle;
import hrm.api.TinySudokuModel;
import hrm.data.DatasetWriter;
import hrm.data.Npy;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.data.PuzzleSetBuilder;
import hrm.eval.EvalOutputs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * GET /api/datasets... on a dataset made here with groups of several puzzles and puzzles of several
 * examples (4x4 Sudoku tokens), and an hrm eval output directory written beside it with known failures:
 * the group and puzzle navigation, each example's evaluation as {@link EvalOutputs} reads it, the
 * failures view, the refusals, and an evaluation of another dataset refused at start. No model: the
 * listing never asks for one.
 */
class DatasetListingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int SEQ = 16, VOCAB = 6;
    /** Set "all" of the test split: per group, per puzzle, its number of examples (10 examples, 6 puzzles, 3 groups). */
    static final int[][] LAYOUT = {{2, 1}, {3}, {1, 2, 1}};
    /** Each puzzle's identifier (1..3, named in identifiers.json). */
    static final int[] IDS = {1, 2, 1, 3, 2, 3};
    /** The examples the evaluation gets wrong: in puzzles 0 and 2, groups 0 and 1. */
    static final int[] WRONG = {1, 4, 5};
    @TempDir
    static Path tmp;
    static Path data, eval;
    static HrmServer server;

    record Reply(int status, JsonNode body) {}

    @BeforeAll
    static void start() throws Exception {
        data = tmp.resolve("data");
        eval = tmp.resolve("eval");
        writeDataset(data, LAYOUT);
        writeEvaluation(eval, data);
        server = new HrmServer(NO_MODEL, data, DatasetEvaluation.open(data, eval), "127.0.0.1", 0, 4, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static int[] input(int e) {
        int[] t = new int[SEQ];
        for (int i = 0; i < SEQ; i++) t[i] = 1 + (e + i) % 5;
        return t;
    }

    static int[] label(int e) {
        int[] t = new int[SEQ];
        for (int i = 0; i < SEQ; i++) t[i] = 2 + (3 * e + i) % 4;
        return t;
    }

    /** Test set "all" laid out as {@code layout}, a test set "extra" of two examples in one puzzle, a train set of one. */
    static void writeDataset(Path dir, int[][] layout) {
        try (DatasetWriter w = new DatasetWriter(dir, VOCAB, SEQ)) {
            PuzzleSetBuilder all = w.set("test", "all");
            int e = 0, p = 0;
            for (int[] group : layout) {
                for (int examples : group) {
                    for (int k = 0; k < examples; k++, e++) all.addExample(input(e), label(e));
                    all.endPuzzle(IDS[p++ % IDS.length]);
                }
                all.endGroup();
            }
            PuzzleSetBuilder extra = w.set("test", "extra");
            extra.addExample(input(20), label(20));
            extra.addExample(input(21), label(21));
            extra.endPuzzle(2);
            extra.endGroup();
            PuzzleSetBuilder train = w.set("train", "all");
            train.addExample(input(30), label(30));
            train.endPuzzle(1);
            train.endGroup();
            w.commit(List.of(DatasetWriter.BLANK_IDENTIFIER, "alpha", "beta", "gamma"));
        }
    }

    /**
     * What hrm eval writes for {@code data}'s test split: labels ignored (-100) at position 0, where example 0's
     * prediction differs without counting; predictions equal to the labels but for the {@link #WRONG} examples.
     */
    static void writeEvaluation(Path dir, Path data) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.json"), "{\"all\": {\"exact_accuracy\": 0.7}, \"extra\": {\"exact_accuracy\": 1.0}}");
        PuzzleDataset test = PuzzleDataset.open(data, "test");
        for (PuzzleSet set : test.sets()) {
            int n = set.examples();
            int[] in = new int[n * SEQ], lab = new int[n * SEQ], pred = new int[n * SEQ], ids = new int[n];
            float[] q = new float[n];
            for (int e = 0; e < n; e++) {
                set.input(e, in, e * SEQ);
                set.label(e, lab, e * SEQ);
                System.arraycopy(lab, e * SEQ, pred, e * SEQ, SEQ);
                lab[e * SEQ] = EvalOutputs.SetOutputs.IGNORED;
                pred[e * SEQ] = e == 0 ? 1 : pred[e * SEQ];
                final int example = e;
                if (set.name().equals("all") && java.util.stream.IntStream.of(WRONG).anyMatch(w -> w == example)) {
                    pred[e * SEQ + 3] = 1; // labels are 2..5: a 1 is wrong
                    if (e == 4) pred[e * SEQ + 7] = 1;
                }
                ids[e] = 0;
                q[e] = e - 2.5f;
            }
            String p = set.name() + "__";
            Npy.writeInts(dir.resolve(p + "inputs.npy"), in, n, SEQ);
            Npy.writeInts(dir.resolve(p + "labels.npy"), lab, n, SEQ);
            Npy.writeInts(dir.resolve(p + "predictions.npy"), pred, n, SEQ);
            Npy.writeInts(dir.resolve(p + "puzzle_identifiers.npy"), ids, n);
            Npy.writeFloats(dir.resolve(p + "q_halt.npy"), q, n);
        }
    }

    static final Solver NO_MODEL = new Solver() {
        @Override
        public void prepare(Puzzle p) {
            throw new UnsupportedOperationException("no model in this test");
        }

        @Override
        public List<Answer> solveAll(List<Puzzle> puzzles) {
            throw new UnsupportedOperationException("no model in this test");
        }

        @Override
        public Answer solve(Puzzle p, int views, long viewsSeed) {
            throw new UnsupportedOperationException("no model in this test");
        }

        @Override
        public ReasoningTrace.Example trace(Puzzle p) {
            throw new UnsupportedOperationException("no model in this test");
        }

        @Override
        public String checkpoint() {
            return "none";
        }

        @Override
        public hrm.api.ModelInfo info() {
            throw new UnsupportedOperationException("no model in this test");
        }
    };

    static Reply get(HrmServer s, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.url()).resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    static JsonNode ok(String path) throws Exception {
        Reply r = get(server, path);
        assertEquals(200, r.status(), path + " -> " + r.body());
        return r.body();
    }

    static List<Integer> field(JsonNode items, String name) {
        List<Integer> out = new ArrayList<>();
        items.forEach(n -> out.add(n.get(name).asInt()));
        return out;
    }

    static void position(JsonNode ex, String level, int at, int of) {
        assertEquals(at, ex.get("position").get(level).get("at").asInt(), level + " of " + ex);
        assertEquals(of, ex.get("position").get(level).get("of").asInt(), level + " of " + ex);
    }

    @Test
    void groupsPuzzlesAndExamplesFollowTheLayout() throws Exception {
        JsonNode groups = ok("/api/datasets/groups?set=all");
        assertEquals("sudoku", groups.get("kind").asText());
        assertEquals(3, groups.get("total").asInt());
        assertEquals(List.of(0, 1, 2), field(groups.get("groups"), "index"));
        assertEquals(List.of(0, 2, 3), field(groups.get("groups"), "first_puzzle"));
        assertEquals(List.of(2, 1, 3), field(groups.get("groups"), "puzzles"));
        assertEquals(List.of(0, 3, 6), field(groups.get("groups"), "first_example"));
        assertEquals(List.of(3, 3, 4), field(groups.get("groups"), "examples"));
        assertEquals(List.of(1, 2, 0), field(groups.get("groups"), "wrong"));
        assertEquals(List.of(1), field(ok("/api/datasets/groups?set=all&offset=1&limit=1").get("groups"), "index"));

        JsonNode puzzles = ok("/api/datasets/puzzles?set=all&group=2");
        assertEquals(3, puzzles.get("total").asInt());
        assertEquals(List.of(3, 4, 5), field(puzzles.get("puzzles"), "index"));
        assertEquals(List.of(2, 2, 2), field(puzzles.get("puzzles"), "group"));
        assertEquals(List.of(3, 2, 3), field(puzzles.get("puzzles"), "puzzle_identifier"));
        assertEquals("beta", puzzles.get("puzzles").get(1).get("name").asText());
        assertEquals(List.of(6, 7, 9), field(puzzles.get("puzzles"), "first_example"));
        assertEquals(List.of(1, 2, 1), field(puzzles.get("puzzles"), "examples"));
        assertEquals(6, ok("/api/datasets/puzzles?set=all").get("total").asInt());

        JsonNode ofPuzzle = ok("/api/datasets?set=all&puzzle=4");
        assertEquals(2, ofPuzzle.get("total").asInt());
        assertEquals(List.of(7, 8), field(ofPuzzle.get("examples"), "index"));
        JsonNode e8 = ofPuzzle.get("examples").get(1);
        assertEquals(JSON.valueToTree(input(8)), e8.get("input"));
        assertEquals(JSON.valueToTree(label(8)), e8.get("label"));
        assertEquals(2, e8.get("group").asInt());
        assertEquals(4, e8.get("puzzle").asInt());
        position(e8, "set", 8, 10);
        position(e8, "group", 2, 3);
        position(e8, "puzzle", 1, 3);
        position(e8, "example", 1, 2);
        assertEquals(List.of(4), field(ok("/api/datasets?set=all&group=1&offset=1&limit=1").get("examples"), "index"));

        JsonNode extra = ok("/api/datasets?set=extra");
        assertEquals(List.of("all", "extra"), extra.get("sets").findValuesAsText("name"));
        assertEquals(JSON.valueToTree(input(21)), extra.get("examples").get(1).get("input"));
        JsonNode train = ok("/api/datasets?split=train");
        assertFalse(train.get("evaluated").asBoolean());
        assertNull(train.get("examples").get(0).get("correct"));

        JsonNode splits = ok("/api/datasets/splits");
        assertEquals("data", splits.get("name").asText());
        assertEquals(List.of("test", "train"), splits.get("splits").findValuesAsText("split"));
        assertEquals(List.of(true, false), List.of(splits.get("splits").get(0).get("evaluated").asBoolean(), splits.get("splits").get(1).get("evaluated").asBoolean()));
    }

    @Test
    void eachExampleCarriesWhatEvalOutputsRead() throws Exception {
        EvalOutputs outputs = EvalOutputs.open(eval);
        for (String set : List.of("all", "extra")) {
            EvalOutputs.SetOutputs out = outputs.set(set);
            JsonNode page = ok("/api/datasets?set=" + set + "&limit=500");
            assertTrue(page.get("evaluated").asBoolean());
            assertEquals(out.examples(), page.get("examples").size());
            for (JsonNode ex : page.get("examples")) {
                int e = ex.get("index").asInt();
                assertEquals(out.correct(e), ex.get("correct").asBoolean(), set + " " + e);
                assertEquals(JSON.valueToTree(out.prediction(e)), ex.get("prediction"), set + " " + e);
                assertEquals(JSON.valueToTree(out.wrongCells(e)), ex.get("wrong"), set + " " + e);
                assertEquals(out.qHalt(e), ex.get("q_halt").floatValue(), set + " " + e);
            }
        }
        JsonNode all = ok("/api/datasets?set=all").get("sets").get(0);
        assertEquals(WRONG.length, all.get("wrong").asInt());
        assertEquals(0.7, all.get("metrics").get("exact_accuracy").asDouble());
        assertTrue(outputs.set("all").correct(0), "a difference where the label is ignored is not a failure");
        assertArrayEquals(new int[] {3, 7}, outputs.set("all").wrongCells(4));
    }

    @Test
    void onlyWrongListsTheFailuresAPageAtATime() throws Exception {
        EvalOutputs.SetOutputs out = EvalOutputs.open(eval).set("all");
        List<Integer> wrong = new ArrayList<>();
        for (int e = 0; e < out.examples(); e++) if (!out.correct(e)) wrong.add(e);
        assertEquals(java.util.stream.IntStream.of(WRONG).boxed().toList(), wrong);
        JsonNode failures = ok("/api/datasets?set=all&only=wrong");
        assertEquals("wrong", failures.get("only").asText());
        assertEquals(3, failures.get("total").asInt());
        assertEquals(wrong, field(failures.get("examples"), "index"));
        failures.get("examples").forEach(ex -> assertFalse(ex.get("correct").asBoolean()));
        assertEquals(List.of(5), field(ok("/api/datasets?set=all&only=wrong&offset=2&limit=2").get("examples"), "index"));
        assertEquals(List.of(), field(ok("/api/datasets?set=all&only=wrong&offset=3").get("examples"), "index"));
        assertEquals(List.of(0, 1), field(ok("/api/datasets/groups?set=all&only=wrong").get("groups"), "index"));
        assertEquals(List.of(2), field(ok("/api/datasets/puzzles?set=all&only=wrong&group=1").get("puzzles"), "index"));
        assertEquals(0, ok("/api/datasets/puzzles?set=all&only=wrong&group=2").get("total").asInt());
        assertEquals(List.of(4, 5), field(ok("/api/datasets?set=all&only=wrong&group=1").get("examples"), "index"));
        JsonNode e5 = failures.get("examples").get(2);
        position(e5, "set", 2, 3);
        position(e5, "group", 1, 2);
        position(e5, "puzzle", 0, 1);
        position(e5, "example", 1, 2);
        assertEquals(0, ok("/api/datasets?set=extra&only=wrong").get("total").asInt());
        assertError(get(server, "/api/datasets?split=train&only=wrong"), 400, "only: no evaluation of the train split");
    }

    @Test
    void badParametersAre400NamingThem() throws Exception {
        assertError(get(server, "/api/datasets?limit=501"), 400, "limit: '501'");
        assertError(get(server, "/api/datasets?set=all&offset=11"), 400, "offset: '11', expected a whole number 0 to 10");
        assertError(get(server, "/api/datasets?set=all&group=3"), 400, "group: '3'");
        assertError(get(server, "/api/datasets?set=all&puzzle=x"), 400, "puzzle: 'x'");
        assertError(get(server, "/api/datasets?set=all&puzzle=1&group=0"), 400, "puzzle: give a group or a puzzle, not both");
        assertError(get(server, "/api/datasets?only=maybe"), 400, "only: 'maybe'");
        assertError(get(server, "/api/datasets?onyl=wrong"), 400, "onyl: not a parameter");
        assertError(get(server, "/api/datasets/groups?puzzle=1"), 400, "puzzle: not a parameter");
        assertError(get(server, "/api/datasets?set=all&set=extra"), 400, "set: given 2 times");
        assertError(get(server, "/api/datasets/puzzles?set=nope"), 400, "set: no set 'nope'");
        assertError(get(server, "/api/datasets/groups?split=..%2f..%2fetc"), 400, "split: ");
        try (HrmServer bare = new HrmServer(NO_MODEL, null, "127.0.0.1", 0, 4, Duration.ofSeconds(30))) {
            assertError(get(bare, "/api/datasets/groups"), 404, "data: no dataset is served");
            Reply none = get(bare, "/api/datasets/splits");
            assertEquals(200, none.status());
            assertFalse(none.body().get("data").asBoolean());
        }
    }

    static void assertError(Reply r, int status, String start) {
        assertEquals(status, r.status(), r.body().toString());
        String error = r.body().get("error").asText();
        assertTrue(error.startsWith(start), error);
        assertFalse(error.contains("\n"), error);
    }

    /** An evaluation of another dataset, made by changing one thing of {@link #eval}'s copy. */
    static String refusal(String name, Consumer<Path> change) throws Exception {
        Path other = tmp.resolve(name);
        Files.createDirectories(other);
        try (var files = Files.list(eval)) {
            for (Path f : files.toList()) Files.copy(f, other.resolve(f.getFileName()));
        }
        change.accept(other);
        return assertThrows(IllegalArgumentException.class, () -> DatasetEvaluation.open(data, other)).getMessage();
    }

    @Test
    void anEvaluationOfAnotherDatasetIsRefused() throws Exception {
        assertEquals(tmp.resolve("renamed") + ": sets [all, other], but the test split of " + data + " has [all, extra]",
                refusal("renamed", d -> rename(d, "extra", "other")));
        assertEquals(tmp.resolve("fewer") + ": set 'extra' has 1 examples, the test split of " + data + " has 2",
                refusal("fewer", d -> rewrite(d, "extra", 1, SEQ)));
        assertEquals(tmp.resolve("shorter") + ": set 'extra' has sequence length 8, " + data + " has 16",
                refusal("shorter", d -> rewrite(d, "extra", 2, 8)));
        assertEquals(tmp.resolve("inputs") + ": set 'extra', example 0: its input is not that of " + data + "'s test split (an evaluation of another dataset?)",
                refusal("inputs", d -> Npy.writeInts(d.resolve("extra__inputs.npy"), new int[2 * SEQ], 2, SEQ)));

        // hrm serve checks --eval before it reads the checkpoint: exit 2, one line
        TinySudokuModel.Run r = TinySudokuModel.cli("serve", "--checkpoint", tmp.resolve("no-checkpoint").toString(), "--port", "0",
                "--data", data.toString(), "--eval", tmp.resolve("inputs").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("hrm serve: --eval " + tmp.resolve("inputs") + ": set 'extra', example 0: its input is not that of " + data
                + "'s test split (an evaluation of another dataset?)", r.err().strip());
        r = TinySudokuModel.cli("serve", "--checkpoint", tmp.resolve("no-checkpoint").toString(), "--eval", eval.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("hrm serve: --eval " + eval + ": needs --data DIR, the dataset it evaluated", r.err().strip());
        r = TinySudokuModel.cli("serve", "--checkpoint", tmp.resolve("no-checkpoint").toString(), "--data", data.toString(), "--eval", data.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("hrm serve: --eval " + data + ": not an hrm eval output directory (no metrics.json)", r.err().strip());
    }

    static void rename(Path dir, String from, String to) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(from + "__")) Files.move(f, dir.resolve(to + n.substring(from.length())));
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    /** Set {@code set}'s files rewritten with {@code n} examples of {@code seq} tokens (zeros). */
    static void rewrite(Path dir, String set, int n, int seq) {
        String p = set + "__";
        Npy.writeInts(dir.resolve(p + "inputs.npy"), new int[n * seq], n, seq);
        Npy.writeInts(dir.resolve(p + "labels.npy"), new int[n * seq], n, seq);
        Npy.writeInts(dir.resolve(p + "predictions.npy"), new int[n * seq], n, seq);
        Npy.writeInts(dir.resolve(p + "puzzle_identifiers.npy"), new int[n], n);
        Npy.writeFloats(dir.resolve(p + "q_halt.npy"), new float[n], n);
    }
}
