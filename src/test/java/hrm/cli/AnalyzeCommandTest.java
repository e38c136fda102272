package hrm.cli;

import hrm.runtime.Backends;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** hrm analyze on a small trained model: its numbers agree with hrm eval's and repeat exactly. */
class AnalyzeCommandTest {
    @TempDir
    static Path tmp;
    static Path checkpoint;

    record Result(int code, String out, String err) {}

    static Result hrm(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    @BeforeAll
    static void trainASmallModel() {
        Result r = hrm("demo", "--dir", tmp.toString(), "--train-puzzles", "256", "--test-puzzles", "48", "epochs=4", "eval_interval=4",
                "arch.hidden_size=32", "arch.num_heads=2", "arch.H_layers=1", "arch.L_layers=1", "arch.L_cycles=2", "arch.halt_max_steps=3", "threads=2");
        assertEquals(0, r.code(), r.out() + r.err());
        checkpoint = tmp.resolve("run/step_16");
        assertTrue(Files.isDirectory(checkpoint));
    }

    /** At m = the trained halt_max_steps the scaling row is hrm eval's accuracy and exact accuracy, to the last bit. */
    @Test
    void scalingAtTheTrainedDepthEqualsEval() throws Exception {
        Result eval = hrm("eval", "checkpoint=" + checkpoint, "threads=2", "--output", tmp.resolve("eval").toString());
        assertEquals(0, eval.code(), eval.err());
        JsonNode metrics = new ObjectMapper().readTree(tmp.resolve("eval/metrics.json").toFile()).get("all");
        Path out = tmp.resolve("scaling");
        Result r = hrm("analyze", "scaling", "checkpoint=" + checkpoint, "max_steps=6", "threads=2", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode rows = new ObjectMapper().readTree(out.resolve("scaling.json").toFile()).get("rows");
        assertEquals(6, rows.size());
        JsonNode at3 = rows.get(2);
        assertEquals(3, at3.get("max_steps").asInt());
        assertEquals(metrics.get("accuracy").asDouble(), at3.get("accuracy").asDouble(), 1e-12);
        assertEquals(metrics.get("exact_accuracy").asDouble(), at3.get("exact_accuracy").asDouble(), 1e-12);
        for (JsonNode row : rows) {
            double steps = row.get("act_mean_steps").asDouble();
            assertTrue(steps >= 1 && steps <= row.get("max_steps").asInt(), row.toString());
        }
        assertEquals(rows.get(0).get("exact_accuracy").asDouble(), rows.get(0).get("act_exact_accuracy").asDouble(), 1e-12,
                "with one segment allowed, halting changes nothing");
        assertEquals(7, Files.readAllLines(out.resolve("scaling.csv")).size());
        assertTrue(Files.size(out.resolve("scaling.png")) > 5000);
        assertTrue(r.out().contains("exact accuracy:"), r.out());

        Result again = hrm("analyze", "scaling", "checkpoint=" + checkpoint, "max_steps=6", "--output", out.toString());
        assertEquals(2, again.code(), "an earlier analysis is replaced only with --overwrite");
        assertTrue(again.err().contains("--overwrite"), again.err());
    }

    @Test
    void dimensionalityRepeatsExactlyAndCoversEveryTrajectoryCount() throws Exception {
        Path a = tmp.resolve("dim-a"), b = tmp.resolve("dim-b");
        for (Path out : new Path[]{a, b}) {
            Result r = hrm("analyze", "dimensionality", "checkpoint=" + checkpoint, "trajectories=20", "threads=2", "--output", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("participation ratio over 20 trajectories"), r.out());
        }
        String ja = Files.readString(a.resolve("dimensionality.json")), jb = Files.readString(b.resolve("dimensionality.json"));
        assertEquals(ja.replace(a.toString(), ""), jb.replace(b.toString(), ""), "seeded: the same numbers twice");
        JsonNode d = new ObjectMapper().readTree(ja);
        assertEquals(20, d.get("by_trajectories").size());
        for (String which : new String[]{"trained", "untrained"})
            for (String z : new String[]{"z_H", "z_L"}) {
                double pr = d.get(which).get(z).asDouble();
                assertTrue(pr >= 1 && pr <= 32, which + " " + z + " = " + pr + ": between 1 and the hidden size");
                assertEquals(pr, d.get("by_trajectories").get(19).get(which).get(z).asDouble(), 0.0);
            }
        assertNotEquals(d.get("trained").get("z_H").asDouble(), d.get("untrained").get("z_H").asDouble());
        assertTrue(Files.size(a.resolve("dimensionality.png")) > 5000);
    }

    /**
     * whole_state=true: one row per update (cells x hidden), its PR recomputed by hand from the states
     * through the covariance of those long rows, for the first 6 trajectories.
     */
    @Test
    void wholeStateParticipationEqualsTheCovarianceOfWholeStates() throws Exception {
        Path out = tmp.resolve("dim-whole");
        Result r = hrm("analyze", "dimensionality", "checkpoint=" + checkpoint, "trajectories=6", "whole_state=true", "threads=2", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("whole-state participation ratio"), r.out());
        JsonNode whole = new ObjectMapper().readTree(out.resolve("dimensionality.json").toFile()).get("whole_state");
        assertEquals(6, whole.get("by_trajectories").size());
        assertTrue(Files.size(out.resolve("dimensionality-whole-state.png")) > 5000);

        hrm.checkpoint.ModelCheckpoint ckpt = hrm.checkpoint.ModelCheckpoint.read(checkpoint);
        hrm.data.PuzzleDataset test = hrm.data.PuzzleDataset.open(java.nio.file.Path.of(ckpt.config().training().dataPath()), "test");
        hrm.model.ModelConfig cfg = ckpt.modelConfig(1, test.metadata(), test.dir());
        int d = cfg.hiddenSize(), first = cfg.puzzleEmbLen(), cells = (cfg.tokens() - first) * d;
        hrm.analysis.Covariance h = new hrm.analysis.Covariance(cells), l = new hrm.analysis.Covariance(cells);
        try (hrm.tensor.Backend be = Backends.cpu(1, cfg.activationType())) {
            hrm.model.HrmAct act = new hrm.model.HrmAct(ckpt.load(cfg, be), be, false);
            float[] now = new float[cfg.tokens() * d];
            act.inner().setTrace((high, z) -> {
                be.download(z, now, 0);
                (high ? h : l).add(now, first * d);
            });
            hrm.data.TestBatches one = new hrm.data.TestBatches(test, 1);
            hrm.model.Batch batch = one.newBatch();
            for (int k = 0; k < 6; k++) {
                one.next(batch);
                hrm.model.Carry carry = act.initialCarry();
                do act.evalStep(carry, batch); while (!carry.allHalted());
            }
        }
        assertEquals(h.participationRatio(), whole.get("trained").get("z_H").asDouble(), 1e-6 * h.participationRatio());
        assertEquals(l.participationRatio(), whole.get("trained").get("z_L").asDouble(), 1e-6 * l.participationRatio());
        assertTrue(h.participationRatio() <= 6 * 3 - 1, "at most rows - 1 directions");
    }

    /**
     * The residuals of one example recomputed by hand from the states the model passes through (read
     * with a trace of our own, from H_init and L_init): equal to what the command reports.
     */
    @Test
    void residualsEqualARecomputationFromTheStates() throws Exception {
        Path out = tmp.resolve("res");
        Result r = hrm("analyze", "residuals", "checkpoint=" + checkpoint, "examples=1", "threads=1", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode updates = new ObjectMapper().readTree(out.resolve("residuals.json").toFile()).get("updates");

        hrm.checkpoint.ModelCheckpoint ckpt = hrm.checkpoint.ModelCheckpoint.read(checkpoint);
        hrm.data.PuzzleDataset test = hrm.data.PuzzleDataset.open(java.nio.file.Path.of(ckpt.config().training().dataPath()), "test");
        hrm.model.ModelConfig cfg = ckpt.modelConfig(1, test.metadata(), test.dir());
        java.util.List<String> modules = new java.util.ArrayList<>();
        java.util.List<Double> mine = new java.util.ArrayList<>();
        try (hrm.tensor.Backend be = Backends.cpu(1, cfg.activationType())) {
            hrm.model.Parameters p = ckpt.load(cfg, be);
            hrm.model.HrmAct act = new hrm.model.HrmAct(p, be, false);
            int d = cfg.hiddenSize(), first = cfg.puzzleEmbLen(), n = cfg.tokens() * d;
            float[][] prev = {new float[n], new float[n]}; // L, H
            float[] init = new float[d];
            be.download(p.lInit(), init, 0);
            for (int i = 0; i < n; i += d) System.arraycopy(init, 0, prev[0], i, d);
            be.download(p.hInit(), init, 0);
            for (int i = 0; i < n; i += d) System.arraycopy(init, 0, prev[1], i, d);
            act.inner().setTrace((high, z) -> {
                float[] now = new float[n];
                be.download(z, now, 0);
                float[] before = prev[high ? 1 : 0];
                double diff = 0, norm = 0;
                for (int i = first * d; i < n; i++) {
                    diff += (now[i] - before[i]) * (double) (now[i] - before[i]);
                    norm += before[i] * (double) before[i];
                }
                mine.add(Math.sqrt(diff / norm));
                modules.add(high ? "H" : "L");
                prev[high ? 1 : 0] = now;
            });
            hrm.data.TestBatches one = new hrm.data.TestBatches(test, 1);
            hrm.model.Batch batch = one.newBatch();
            one.next(batch);
            hrm.model.Carry carry = act.initialCarry();
            do act.evalStep(carry, batch); while (!carry.allHalted());
        }
        assertEquals(mine.size(), updates.size(), "3 segments of 2 L and 1 H updates");
        assertEquals(9, updates.size());
        for (int u = 0; u < mine.size(); u++) {
            assertEquals(modules.get(u), updates.get(u).get("module").asText());
            assertEquals(mine.get(u), updates.get(u).get("mean").asDouble(), 1e-9 * mine.get(u), "update " + (u + 1));
        }
        JsonNode pca = new ObjectMapper().readTree(out.resolve("residuals.json").toFile()).get("pca");
        assertEquals(3, pca.get("z_H").get("points").size(), "one point per H update of example 0");
        assertEquals(6, pca.get("z_L").get("points").size());
        assertTrue(Files.size(out.resolve("residuals.png")) > 5000);
    }

    /**
     * On the transformer baseline (no recurrent state) the updates are its layers: each layer's residual
     * against its input, the first's against the input embedding (a recomputation from the model's own
     * trace agrees), a PCA of the layer outputs and none of a z_L; dimensionality reports the layers'
     * outputs alone.
     */
    @Test
    void onTheTransformerTheUpdatesAreItsLayers(@TempDir Path dir) throws Exception {
        Result t = hrm("demo", "--model", "transformer", "--dir", dir.toString(), "--train-puzzles", "256", "--test-puzzles", "48", "epochs=4",
                "eval_interval=4", "arch.hidden_size=32", "arch.num_heads=2", "arch.num_layers=3", "threads=2");
        assertEquals(0, t.code(), t.out() + t.err());
        Path run = dir.resolve("run-transformer/step_16");
        Path out = dir.resolve("res");
        Result r = hrm("analyze", "residuals", "checkpoint=" + run, "examples=1", "threads=1", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("layer outputs (no recurrent state)"), r.out());
        JsonNode json = new ObjectMapper().readTree(out.resolve("residuals.json").toFile());

        hrm.checkpoint.ModelCheckpoint ckpt = hrm.checkpoint.ModelCheckpoint.read(run);
        hrm.data.PuzzleDataset test = hrm.data.PuzzleDataset.open(java.nio.file.Path.of(ckpt.config().training().dataPath()), "test");
        hrm.model.ModelConfig cfg = ckpt.modelConfig(1, test.metadata(), test.dir());
        java.util.List<Double> mine = new java.util.ArrayList<>();
        try (hrm.tensor.Backend be = Backends.cpu(1, cfg.activationType())) {
            hrm.model.HrmAct act = new hrm.model.HrmAct(ckpt.load(cfg, be), be, false);
            int d = cfg.hiddenSize(), first = cfg.puzzleEmbLen(), n = cfg.tokens() * d;
            float[][] prev = {null};
            act.inner().setTrace(new hrm.model.InnerModel.Trace() {
                public void input(hrm.tensor.Tensor e) {
                    be.download(e, prev[0] = new float[n], 0);
                }

                public void update(boolean high, hrm.tensor.Tensor z) {
                    float[] now = new float[n];
                    be.download(z, now, 0);
                    double diff = 0, norm = 0;
                    for (int i = first * d; i < n; i++) {
                        diff += (now[i] - prev[0][i]) * (double) (now[i] - prev[0][i]);
                        norm += prev[0][i] * (double) prev[0][i];
                    }
                    mine.add(Math.sqrt(diff / norm));
                    prev[0] = now;
                }
            });
            hrm.data.TestBatches one = new hrm.data.TestBatches(test, 1);
            hrm.model.Batch batch = one.newBatch();
            one.next(batch);
            hrm.model.Carry carry = act.initialCarry();
            do act.evalStep(carry, batch); while (!carry.allHalted());
        }
        JsonNode updates = json.get("updates");
        assertEquals(3, mine.size(), "one segment (halt_max_steps 1) of 3 layers");
        assertEquals(3, updates.size());
        for (int u = 0; u < 3; u++) {
            assertEquals("layer", updates.get(u).get("module").asText());
            assertEquals(mine.get(u), updates.get(u).get("mean").asDouble(), 1e-9 * mine.get(u), "layer " + (u + 1));
        }
        assertEquals(3, json.get("pca").get("layers").get("points").size());
        assertFalse(json.get("pca").has("z_L"));
        assertTrue(Files.size(out.resolve("residuals.png")) > 5000);

        Path dim = dir.resolve("dim");
        r = hrm("analyze", "dimensionality", "checkpoint=" + run, "trajectories=8", "threads=1", "--output", dim.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("participation ratio of the layers' outputs over 8 trajectories"), r.out());
        JsonNode trained = new ObjectMapper().readTree(dim.resolve("dimensionality.json").toFile()).get("trained");
        java.util.List<String> fields = new java.util.ArrayList<>();
        trained.fieldNames().forEachRemaining(fields::add);
        assertEquals(java.util.List.of("layers"), fields);
        assertTrue(trained.get("layers").asDouble() > 1, trained.toString());
    }

    /**
     * The trace's last segment is what hrm eval saves for the same examples; the last update of each
     * segment (an H update, read directly) is that segment's output; its rule checks agree with the
     * violation counter; the strips are drawn. In float32: in bfloat16 the evaluation's batch and
     * the trace's batch may take different product paths (each chosen by measurement, oneDNN and the
     * Java kernels summing in different orders), and a near tie may then decide a cell differently.
     */
    @Test
    void traceAgreesWithEvalAndWithItself() throws Exception {
        Path evalDir = tmp.resolve("eval-for-trace");
        assertEquals(0, hrm("eval", "checkpoint=" + checkpoint, "threads=2", "forward_dtype=float32", "--output", evalDir.toString()).code());
        int[] saved = hrm.data.Npy.read(evalDir.resolve("all__predictions.npy")).toInts();
        Path out = tmp.resolve("trace");
        Result r = hrm("analyze", "trace", "checkpoint=" + checkpoint, "examples=0,5,47", "threads=1", "forward_dtype=float32", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode t = new ObjectMapper().readTree(out.resolve("trace.json").toFile());
        assertEquals("sudoku", t.get("task").asText());
        for (JsonNode ex : t.get("examples")) {
            int index = ex.get("index").asInt();
            JsonNode segs = ex.get("segments");
            assertEquals(3, segs.size(), "halt_max_steps segments");
            JsonNode last = segs.get(2).get("prediction");
            for (int c = 0; c < 36; c++) assertEquals(saved[index * 36 + c], last.get(c).asInt(), "example " + index + " cell " + c);
            for (JsonNode sg : segs) {
                JsonNode ups = sg.get("updates");
                assertEquals(3, ups.size(), "2 L updates and 1 H update");
                JsonNode h = ups.get(2);
                assertEquals("H", h.get("module").asText());
                assertEquals(sg.get("prediction"), h.get("prediction"), "after the H update the head reads z_H: the segment's output");
                for (JsonNode u : ups) {
                    JsonNode conf = u.get("confidence");
                    for (JsonNode c : conf) assertTrue(c.asDouble() > 0 && c.asDouble() <= 1);
                }
            }
            assertTrue(Files.size(out.resolve("trace-" + index + ".png")) > 5000);
        }
        r = hrm("analyze", "trace", "checkpoint=" + checkpoint, "examples=48", "--output", tmp.resolve("trace-bad").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("examples = 48") && r.err().contains("0 to 47"), r.err());
    }

    /** hrm solve --steps shows the same trace: every update of every segment, then the answer. */
    @Test
    void solveStepsShowsEveryUpdate() {
        Result r = hrm("solve", "--checkpoint", checkpoint.toString(), "--threads", "1", "--steps", "sudoku", "123456456123" + ".".repeat(24));
        assertTrue(r.code() == 0 || r.code() == 1, r.err());
        for (int k = 1; k <= 3; k++) {
            assertTrue(r.out().contains("segment " + k + ", update 1 of 3 (L)"), r.out());
            assertTrue(r.out().contains("segment " + k + ", update 3 of 3 (H)"), r.out());
            assertTrue(r.out().contains("segment " + k + " output  q_halt"), r.out());
        }
        assertTrue(r.out().matches("(?s).*segment 1, update 1 of 3 \\(L\\): 0 cells changed, (no rule broken|\\d+ cells break a rule).*"), r.out());
        assertTrue(r.out().contains("answer:"), r.out());
    }

    /** The violation counter on hand-made 4x4 grids (tokens: digit + 1). */
    @Test
    void sudokuViolationsAreTheCellsThatRepeatADigit() {
        int[] solved = tokens("1234341221434321");
        hrm.analysis.PuzzleRules rules = hrm.analysis.PuzzleRules.forKind("sudoku", 16);
        assertEquals("sudoku", rules.kind());
        assertEquals(java.util.List.of(), rules.violations(solved, solved));
        int[] broken = tokens("1234341221434322"); // the last cell repeats the 2 of its row (cell 14), its box (14) and its column (7)
        assertEquals(java.util.List.of(7, 14, 15), rules.violations(solved, broken));
        int[] blanks = tokens("1000000000000001"); // blanks break nothing, 1s in different rows, columns and boxes
        assertEquals(java.util.List.of(), rules.violations(solved, blanks));
    }

    private static int[] tokens(String digits) {
        int[] t = new int[digits.length()];
        for (int i = 0; i < t.length; i++) t[i] = digits.charAt(i) - '0' + 1;
        return t;
    }

    @Test
    void badArgumentsAreNamed() {
        Result r = hrm("analyze", "dimensionality", "checkpoint=" + checkpoint, "trajectories=49");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("trajectories = 49") && r.err().contains("48 examples"), r.err());
        r = hrm("analyze", "scaling", "checkpoint=" + checkpoint, "max_steps=0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("max_steps = 0"), r.err());
        r = hrm("analyze", "curvature", "checkpoint=" + checkpoint);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown analysis 'curvature'"), r.err());
        r = hrm("analyze", "scalling", "checkpoint=" + checkpoint);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown analysis 'scalling'; did you mean scaling?"), r.err());
        r = hrm("analyze", "residuals", "checkpoint=" + checkpoint, "examples=4", "example=4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("example = 4"), r.err());
        r = hrm("analyze", "scaling", "checkpoint=" + checkpoint, "trajectories=3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("hrm analyze: trajectories: unknown key"), r.err());
    }
}
