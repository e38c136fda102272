package hrm.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.analysis.ReasoningTrace;
import hrm.data.sudoku.MiniSudoku;
import hrm.train.TrainCheckpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The embedding API against the CLI on a tiny 6x6 Sudoku model trained here, at demo/run under a
 * temporary directory (where the README's example looks for it), and the released-format parity
 * checkpoint: it opens what --checkpoint opens and answers what solve --json and eval print.
 */
class HrmModelTest {
    static final String PUZZLE = "631..44521....54..2...36543.12.26.45";
    static final String OTHER = "6.1..445.1....54..2...365.3.12.26..5"; // PUZZLE with five givens blanked: still solvable
    static final String TORCH = "testdata/parity/sudoku/checkpoint/step_1007"; // a released torch file, all_config.yaml beside it
    @TempDir
    static Path tmp;
    static Path run, data;

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        TinySudokuModel.Run r = TinySudokuModel.cli(args);
        return new Run(r.code(), r.out(), r.err());
    }

    @BeforeAll
    static void trainATinySudokuModel() {
        run = TinySudokuModel.train(tmp);
        data = tmp.resolve("data");
    }

    static HrmModel open(Path p) {
        return HrmModel.open(p, OpenOptions.defaults().withThreads(1));
    }

    @Test
    void opensEveryKindOfPathTheCheckpointOptionTakes() {
        Path step = TrainCheckpoint.locate(run);
        Answer want;
        try (HrmModel m = open(run)) {
            assertEquals(step, m.info().checkpoint(), "a run directory opens its latest step_N");
            assertEquals("hrm", m.info().family());
            assertEquals("sudoku", m.info().trainedOn());
            assertEquals(36, m.info().seqLen().orElseThrow());
            assertEquals(8, m.info().vocabSize());
            want = m.solve(Puzzle.sudoku(PUZZLE));
        }
        for (Path p : List.of(step, step.resolve("model.safetensors")))
            try (HrmModel m = open(p)) {
                assertEquals(want, m.solve(Puzzle.sudoku(PUZZLE)), p.toString());
            }
        try (HrmModel m = open(Path.of(TORCH))) {
            assertEquals("sudoku", m.info().trainedOn());
            assertEquals(11, m.info().vocabSize());
            Answer a = m.solve(Puzzle.sudoku("4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......"));
            assertEquals(81, ((Puzzle.Sudoku) a.solution()).cells().length);
            assertEquals(4, a.segments(), "halt_max_steps 4");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open(tmp.resolve("nowhere")));
        assertTrue(e.getMessage().startsWith(tmp.resolve("nowhere") + ": no such file or directory"), e.getMessage());
    }

    @Test
    void solveAnswersWhatSolveJsonPrints() throws Exception {
        for (String puzzle : List.of(PUZZLE, OTHER)) {
            Run r = cli("solve", "--checkpoint", run.toString(), "--threads", "1", "--json", "sudoku", puzzle);
            assertTrue(r.code() == 0 || r.code() == 1, r.err());
            JsonNode json = new ObjectMapper().readTree(r.out());
            Answer a;
            try (HrmModel m = open(run)) {
                a = m.solve(Puzzle.sudoku(puzzle));
            }
            StringBuilder answer = new StringBuilder();
            json.get("answer").forEach(row -> row.forEach(c -> answer.append(c.asInt() == 0 ? '.' : (char) ('0' + c.asInt()))));
            assertEquals(answer.toString(), a.answerText());
            assertEquals(json.get("valid").asBoolean(), a.valid());
            assertEquals(json.get("why").isNull() ? null : json.get("why").asText(), a.why());
            assertEquals(json.get("segments").asInt(), a.segments());
            assertEquals(json.get("halted_at").asInt(), a.haltedAt());
            assertEquals(json.get("changed_givens").size(), a.changedGivens().size());
            assertEquals(r.code() == 0, a.valid());
        }
    }

    @Test
    void solveWithViewsAnswersWhatSolveViewsJsonPrints() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (HrmModel m = open(run)) {
            for (String[] kn : new String[][]{{"1", "0"}, {"5", "0"}, {"8", "3"}, {"70", "11"}}) { // 70: two batches of views
                int k = Integer.parseInt(kn[0]);
                long seed = Long.parseLong(kn[1]);
                Run r = cli("solve", "--checkpoint", run.toString(), "--threads", "1", "--json", "--views", kn[0], "--views-seed", kn[1], "sudoku", OTHER);
                assertTrue(r.code() == 0 || r.code() == 1, r.err());
                Answer a = m.solve(Puzzle.sudoku(OTHER), k, seed);
                assertEquals(json.readTree(r.out()), json.valueToTree(AnswerJson.of(a, null)), "--views " + k + " --views-seed " + seed);
                if (k == 1) {
                    assertNull(a.views());
                    assertEquals(m.solve(Puzzle.sudoku(OTHER)), a);
                } else {
                    assertEquals(k, a.views().views());
                    assertEquals(k, json.readTree(r.out()).get("views").get("views").asInt());
                    assertTrue(a.views().agreeing() >= 1 && a.views().distinct() >= 1, a.views().toString());
                }
            }
            Puzzle maze = Puzzle.maze("#####\n#S  #\n# # #\n#  G#\n#####");
            for (int[] bad : new int[][]{{0}, {-3}})
                assertEquals("views: " + bad[0] + ", expected a positive integer",
                        assertThrows(IllegalArgumentException.class, () -> m.solve(Puzzle.sudoku(PUZZLE), bad[0], 0)).getMessage());
            assertEquals("views: 2, test-time views exist for sudoku and maze only",
                    assertThrows(IllegalArgumentException.class, () -> HrmModel.checkViews(Puzzle.arc(hrm.data.arc.ArcGrid.of(1, 1, new int[]{1})), 2)).getMessage());
            assertEquals("views: 9, a 5x5 maze has only 8 distinct symmetries",
                    assertThrows(IllegalArgumentException.class, () -> HrmModel.checkViews(maze, 9)).getMessage());
            HrmModel.checkViews(maze, 8);
        }
    }

    @Test
    void twoThreadsGetTheAnswersEachGetsAlone() throws Exception {
        try (HrmModel m = open(run)) {
            Answer a = m.solve(Puzzle.sudoku(PUZZLE)), b = m.solve(Puzzle.sudoku(OTHER));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int rep = 0; rep < 4; rep++) {
                    List<Future<Answer>> fa = new ArrayList<>(), fb = new ArrayList<>();
                    for (int k = 0; k < 3; k++) {
                        fa.add(pool.submit(() -> m.solve(Puzzle.sudoku(PUZZLE))));
                        fb.add(pool.submit(() -> m.solve(Puzzle.sudoku(OTHER))));
                    }
                    for (Future<Answer> f : fa) assertEquals(a, f.get());
                    for (Future<Answer> f : fb) assertEquals(b, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Puzzles solved together, as the rows of batches, get the answers each gets alone (16 of them: batches of 16; 70: of 64 and 6). */
    @Test
    void solveAllAnswersEachPuzzleAsAlone() {
        List<Puzzle> puzzles = new ArrayList<>();
        for (int i = 0; puzzles.size() < 70; i++) // blanking givens keeps a puzzle solvable, and makes others
            if (PUZZLE.charAt(i % 36) != '.') {
                char[] c = PUZZLE.toCharArray();
                c[i % 36] = '.';
                if (i >= 36) c[(i * 7) % 36] = '.';
                puzzles.add(Puzzle.sudoku(new String(c)));
            }
        try (HrmModel m = open(run)) {
            List<Answer> alone = puzzles.stream().map(m::solve).toList();
            assertEquals(alone.subList(0, 16), m.solveAll(puzzles.subList(0, 16)));
            assertEquals(alone, m.solveAll(puzzles));
            assertEquals(List.of(), m.solveAll(List.of()));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.solveAll(List.of(puzzles.get(0), Puzzle.maze("#####\n#S  #\n# # #\n#  G#\n#####"))));
            assertTrue(e.getMessage().contains("it cannot solve a maze"), e.getMessage());
        }
    }

    @Test
    void theTracesLastSegmentIsTheAnswer() {
        try (HrmModel m = open(run)) {
            Puzzle p = Puzzle.sudoku(PUZZLE);
            ReasoningTrace.Example ex = m.trace(p);
            Answer a = m.solve(p);
            assertEquals(a.segments(), ex.segments().size());
            int[] last = ex.segments().get(ex.segments().size() - 1).prediction();
            assertArrayEquals(((Puzzle.Sudoku) a.solution()).cells(), MiniSudoku.fromTokens(last));
            assertFalse(ex.segments().get(0).updates().isEmpty(), "every z update decoded");
        }
    }

    @Test
    void evaluateGivesTheMetricsHrmEvalWrites() throws Exception {
        Path out = tmp.resolve("eval");
        Run r = cli("eval", "checkpoint=" + run, "threads=1", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode metrics = new ObjectMapper().readTree(Files.readString(out.resolve("metrics.json")));
        Evaluation ev;
        try (HrmModel m = open(run)) {
            ev = m.evaluate(data);
        }
        assertEquals(metrics.get("examples").asLong(), ev.examples());
        assertFalse(ev.sets().isEmpty());
        for (Map.Entry<String, Map<String, Double>> set : ev.sets().entrySet()) {
            assertFalse(set.getValue().isEmpty(), set.getKey());
            for (Map.Entry<String, Double> e : set.getValue().entrySet())
                assertEquals(metrics.get(set.getKey()).get(e.getKey()).asDouble(), e.getValue(), 0.0, set.getKey() + "." + e.getKey());
        }
        assertNull(ev.arc());
        assertNull(ev.maze());
    }

    @Test
    void aClosedModelRefusesWork() {
        HrmModel m = open(run);
        m.solve(Puzzle.sudoku(PUZZLE));
        m.close();
        assertThrows(IllegalStateException.class, () -> m.solve(Puzzle.sudoku(PUZZLE)));
        assertThrows(IllegalStateException.class, () -> m.trace(Puzzle.sudoku(PUZZLE)));
        assertThrows(IllegalStateException.class, () -> m.evaluate(data));
        assertThrows(IllegalStateException.class, m::info);
        m.close(); // twice is harmless
    }

    @Test
    void badInputNamesTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Puzzle.sudoku("12")).getMessage().startsWith("cells: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Puzzle.maze("")).getMessage().startsWith("rows: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OpenOptions(-1, null, null)).getMessage().startsWith("threads: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new OpenOptions(1, "fp8", null)).getMessage().startsWith("forwardDtype: "));
        try (HrmModel m = open(run)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.solve(Puzzle.maze("#####\n#S  #\n# # #\n#  G#\n#####")));
            assertTrue(e.getMessage().contains("it cannot solve a maze"), e.getMessage());
        }
    }

    /** The README's embedding example (the resource /work/notes/readme-api.md quotes), compiled and run as it stands, in the directory holding demo/run. */
    @Test
    void theReadmeExampleCompilesAndRuns() throws Exception {
        String source;
        try (InputStream in = HrmModelTest.class.getResourceAsStream("Embed.java.txt")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path src = tmp.resolve("example/Embed.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        String cp = System.getProperty("java.class.path");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-cp", cp, "-d", src.getParent().toString(), src.toString());
        assertEquals(0, compiled);
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", src.getParent() + java.io.File.pathSeparator + cp, "Embed").directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Answer want;
        try (HrmModel m = open(run)) {
            want = m.solve(Puzzle.sudoku(PUZZLE));
        }
        assertTrue(out.endsWith(want.valid() + " " + want.answerText() + "\n"), out);
    }
}
