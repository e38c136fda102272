package hrm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.data.sudoku.MiniSudoku;
import hrm.data.sudoku.MiniSudokuBuilder;
import hrm.train.TrainCheckpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Test-time views end to end: a small HRM trained on 4x4 Sudoku, evaluated with views=1 (the four
 * view accuracies are the plain exact accuracy) and with 8 views of a 2-checkpoint ensemble (the
 * label-free choice never loses to the plain prediction on puzzles with one solution; the oracle
 * bounds it), and the refusals of bad keys, each one line naming the key.
 */
class ViewsEvalTest {
    @TempDir
    static Path tmp;
    static Path data, checkpoint, earlier;

    static PredictionConsistencyTest.Run run(String... args) {
        return PredictionConsistencyTest.run(args);
    }

    @BeforeAll
    static void train() throws Exception {
        data = tmp.resolve("data");
        MiniSudokuBuilder.build(data, new MiniSudoku(2, 2), 1500, 64, 8, 3, false);
        Path runDir = tmp.resolve("run");
        PredictionConsistencyTest.Run train = run("train", "data_path=" + data, "checkpoint_path=" + runDir, "global_batch_size=32",
                "epochs=16", "eval_interval=8", "lr=3e-3", "lr_warmup_steps=20", "weight_decay=0.1", "arch.hidden_size=64", "arch.num_heads=2",
                "arch.H_layers=2", "arch.L_layers=2", "arch.H_cycles=1", "arch.L_cycles=2", "arch.halt_max_steps=2", "arch.puzzle_emb_ndim=0",
                "seed=3", "threads=2");
        assertEquals(0, train.code(), train.err());
        checkpoint = TrainCheckpoint.locate(runDir);
        try (var s = Files.list(runDir)) {
            earlier = s.filter(p -> p.getFileName().toString().matches("step_\\d+") && !p.equals(checkpoint)).findFirst().orElse(checkpoint);
        }
    }

    private static JsonNode eval(String name, String... keys) throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of("eval", "checkpoint=" + checkpoint, "threads=2", "--output", tmp.resolve(name).toString()));
        a.addAll(List.of(keys));
        PredictionConsistencyTest.Run r = run(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(tmp.resolve(name).resolve("metrics.json").toFile());
    }

    @Test
    void oneViewGivesThePlainExactAccuracyFourTimes() throws Exception {
        JsonNode m = eval("plain");
        double exact = m.get("all").get("exact_accuracy").asDouble();
        JsonNode v = m.get("views");
        for (String k : List.of("single", "vote", "verified", "oracle")) assertEquals(exact, v.get(k).asDouble(), 1e-12, k);
        JsonNode again = eval("one", "views=1", "views_seed=7");
        assertEquals(v, again.get("views"));
    }

    @Test
    void moreViewsAndMembersNeverLoseToThePlainPredictionWhenVerified() throws Exception {
        JsonNode plain = eval("plain8");
        JsonNode m = eval("views8", "views=8", "ensemble=[" + earlier + "]");
        double exact = plain.get("all").get("exact_accuracy").asDouble();
        assertEquals(exact, m.get("all").get("exact_accuracy").asDouble(), 1e-12, "the plain metrics are the identity view's");
        JsonNode v = m.get("views");
        double single = v.get("single").asDouble(), vote = v.get("vote").asDouble(), verified = v.get("verified").asDouble(),
                oracle = v.get("oracle").asDouble();
        assertEquals(exact, single, 1e-12);
        assertTrue(verified >= single, "each test puzzle has one solution: a valid grid is the right one; " + v);
        assertTrue(oracle >= verified && oracle >= vote, v.toString());
        assertTrue(single > 0 && oracle < 1 + 1e-12, v.toString());
        System.out.println("views=8 + 1 member on 64 4x4 puzzles: " + v);
    }

    @Test
    void badViewsAndEnsemblesExit2WithOneLineNamingTheKey(@TempDir Path scratch) throws Exception {
        PredictionConsistencyTest.Run r = run("eval", "checkpoint=" + checkpoint, "threads=2", "views=3073", "--output", scratch.resolve("a").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("views = 3073") && r.err().contains("3072 distinct"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        // another hidden size: the same weights with a configuration that says 96
        Path wide = scratch.resolve("wide");
        Files.createDirectories(wide);
        try (var s = Files.list(checkpoint)) {
            for (Path p : s.toList()) Files.copy(p, wide.resolve(p.getFileName()));
        }
        Path yaml = wide.resolve("all_config.yaml");
        String cfg = Files.readString(yaml);
        assertTrue(cfg.contains("hidden_size: 64"), cfg);
        Files.writeString(yaml, cfg.replace("hidden_size: 64", "hidden_size: 96"));
        r = run("eval", "checkpoint=" + checkpoint, "threads=2", "ensemble=[" + wide + "]", "--output", scratch.resolve("b").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("ensemble member " + wide) && r.err().contains("hidden_size 96"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        // another vocabulary (and seq_len): a 9x9 model
        Path nine = scratch.resolve("nine");
        assertEquals(0, TrainCommandTest.run(TrainCommandTest.args(nine, "epochs=6")).code());
        r = run("eval", "checkpoint=" + checkpoint, "threads=2", "ensemble=" + TrainCheckpoint.locate(nine), "--output", scratch.resolve("c").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("ensemble member " + TrainCheckpoint.locate(nine)) && r.err().contains("vocab"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(scratch.resolve("a")) || Files.exists(scratch.resolve("b")) || Files.exists(scratch.resolve("c")), "nothing written");
    }

    /** A maze model (trained a few steps) under all 8 dihedral views: the views block is there and consistent; a 9th view is refused. */
    @Test
    void mazesTakeTheEightDihedralViews(@TempDir Path scratch) throws Exception {
        Path runDir = scratch.resolve("maze");
        PredictionConsistencyTest.Run train = run("train", "data_path=testdata/reference-datasets/maze", "checkpoint_path=" + runDir,
                "global_batch_size=8", "epochs=2", "eval_interval=2", "arch.hidden_size=32", "arch.num_heads=2", "arch.H_layers=1",
                "arch.L_layers=1", "arch.H_cycles=1", "arch.L_cycles=1", "arch.halt_max_steps=1", "arch.puzzle_emb_ndim=0", "threads=2");
        assertEquals(0, train.code(), train.err());
        Path ckpt = TrainCheckpoint.locate(runDir), out = scratch.resolve("eval");
        PredictionConsistencyTest.Run r = run("eval", "checkpoint=" + ckpt, "threads=2", "views=8", "views_seed=3", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        JsonNode v = m.get("views");
        assertEquals(m.get("all").get("exact_accuracy").asDouble(), v.get("single").asDouble(), 1e-12, v.toString());
        for (String k : List.of("single", "vote", "verified")) assertTrue(v.get("oracle").asDouble() >= v.get(k).asDouble(), v.toString());
        assertNotNull(m.get("maze"), "the maze scorer still runs beside the views");
        r = run("eval", "checkpoint=" + ckpt, "threads=2", "views=9", "--output", scratch.resolve("nine").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("views = 9") && r.err().contains("30x30 maze has only 8"), r.err());
    }

    @Test
    void solveAnswersTheVerifiedViewAndRefusesWhatHasNoViews(@TempDir Path scratch) throws Exception {
        PredictionConsistencyTest.Run r = run("solve", "--checkpoint", checkpoint.toString(), "--threads", "1", "--views", "8", "sudoku", "1..4.41..14.4..1");
        assertTrue(r.code() == 0 || r.code() == 1, r.err());
        assertTrue(r.out().matches("(?s).*views: \\d of 8 views agree on the answer below.*answer:.*"), r.out());
        r = run("solve", "--checkpoint", checkpoint.toString(), "--threads", "1", "--views", "3073", "sudoku", "1..4.41..14.4..1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--views 3073") && r.err().contains("3072"), r.err());
        assertFalse(r.out().contains("answer:"), "refused before the model runs");
        Path task = scratch.resolve("task.json");
        Files.writeString(task, "{\"train\": [], \"test\": [{\"input\": [[1]], \"output\": [[1]]}]}");
        r = run("solve", "--checkpoint", checkpoint.toString(), "--views", "2", "arc", task.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--views 2") && r.err().contains("sudoku and maze only"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
