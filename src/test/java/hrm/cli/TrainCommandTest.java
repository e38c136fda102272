package hrm.cli;

import hrm.checkpoint.Safetensors;
import hrm.checkpoint.TensorMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** hrm train end to end: run directory, checkpoints, resume through the files, bad input. */
class TrainCommandTest {
    static final String DATA = "data_path=testdata/reference-datasets/sudoku";
    static final String[] TINY = {DATA, "global_batch_size=8", "epochs=12", "eval_interval=6", "lr=1e-3", "lr_warmup_steps=3",
            "arch.hidden_size=32", "arch.num_heads=2", "arch.H_layers=1", "arch.L_layers=1", "arch.H_cycles=1", "arch.L_cycles=2",
            "arch.halt_max_steps=3", "arch.puzzle_emb_ndim=32", "threads=2"};

    record Result(int code, String err) {}

    static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, err.toString());
    }

    static String[] args(Path runDir, String... extra) {
        return args(TINY, runDir, extra);
    }

    /** hrm train with {@code base}, the run in {@code runDir}, then {@code extra}. */
    static String[] args(String[] base, Path runDir, String... extra) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(base));
        a.add("checkpoint_path=" + runDir);
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void stopAndResumeThroughCheckpointFilesIsBitIdentical(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split");
        assertEquals(0, run(args(straight)).code());
        // 12 groups (one puzzle each per epoch) / batch 8: 9 steps per pass of 6 epochs, 18 in all; stop mid-pass
        assertEquals(0, run(args(split, "stop_at_step=7")).code());
        assertTrue(Files.isDirectory(split.resolve("step_7")));
        assertFalse(Files.exists(split.resolve("step_18")));
        Result again = run(args(split));
        assertEquals(2, again.code(), "an existing run is not overwritten without --resume or --overwrite");
        assertTrue(again.err().contains("--resume") && again.err().contains("--overwrite"), again.err());
        assertEquals(0, run("train", "--resume", split.toString()).code());
        TensorMap a = Safetensors.read(straight.resolve("step_18/model.safetensors"));
        TensorMap b = Safetensors.read(split.resolve("step_18/model.safetensors"));
        for (String name : a.names()) assertTrue(a.get(name).contentEquals(b.get(name)), name);
        TensorMap ca = Safetensors.read(straight.resolve("step_18/carry.safetensors"));
        TensorMap cb = Safetensors.read(split.resolve("step_18/carry.safetensors"));
        for (String name : ca.names()) assertTrue(ca.get(name).contentEquals(cb.get(name)), "carry " + name);
        List<String> la = Files.readAllLines(straight.resolve("metrics.jsonl")), lb = Files.readAllLines(split.resolve("metrics.jsonl"));
        assertEquals(la.size(), lb.size(), "the resumed log has each step once");
        assertTrue(Files.size(straight.resolve("plots/train_loss.png")) > 1000);
    }

    /**
     * eval_every_steps evaluates inside a pass without touching the training: the model after 18 steps equals
     * the run's without it, the evaluations come at 4, 8 (then 9, the pass's end), 12, 16 and 18; a run
     * stopped at an evaluation's step and resumed evaluates that step again, and its log keeps one record.
     */
    @Test
    void evaluationsInsideAPassLeaveTheTrainingAsItWas(@TempDir Path tmp) throws Exception {
        Path plain = tmp.resolve("plain"), often = tmp.resolve("often"), split = tmp.resolve("split");
        assertEquals(0, run(args(plain)).code());
        assertEquals(0, run(args(often, "eval_every_steps=4")).code());
        TensorMap a = Safetensors.read(plain.resolve("step_18/model.safetensors"));
        TensorMap b = Safetensors.read(often.resolve("step_18/model.safetensors"));
        for (String name : a.names()) assertTrue(a.get(name).contentEquals(b.get(name)), name);
        assertEquals(List.of(9L, 18L), evaluatedSteps(plain));
        assertEquals(List.of(4L, 8L, 9L, 12L, 16L, 18L), evaluatedSteps(often));

        assertEquals(0, run(args(split, "eval_every_steps=4", "stop_at_step=8")).code());
        assertEquals(List.of(4L), evaluatedSteps(split), "step 8's evaluation comes once the pass is known to go on");
        assertEquals(0, run("train", "--resume", split.toString()).code());
        assertEquals(evaluatedSteps(often), evaluatedSteps(split));
        assertEquals(Files.readAllLines(often.resolve("metrics.jsonl")).size(), Files.readAllLines(split.resolve("metrics.jsonl")).size());
    }

    private static List<Long> evaluatedSteps(Path run) throws java.io.IOException {
        List<Long> steps = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl")))
            if (line.contains("\"all/accuracy\"")) steps.add(Long.parseLong(line.replaceFirst("^\\{\"step\":(\\d+),.*", "$1")));
        return steps;
    }

    @Test
    void aRunKilledBeforeItsFirstCheckpointIsToldTheWayOut(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("r");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("all_config.yaml"), "arch:\n  hidden_size: 32\n" + DATA.replace("=", ": ") + "\nseed: 0\n");
        Files.writeString(dir.resolve("metrics.jsonl"), "");
        Result r = run("train", "--resume", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no step_<N> checkpoint") && r.err().contains("--overwrite"), r.err());
        assertEquals(0, run(args(dir, "epochs=6", "--overwrite")).code(), "and the way out works");
        assertTrue(Files.isDirectory(dir.resolve("step_9")));
    }

    @Test
    void badConfigurationIsRefusedNamingTheKey(@TempDir Path tmp) {
        Result r = run(args(tmp.resolve("r"), "learning_rate=1e-3"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("hrm train: learning_rate: unknown key (known: arch, beta1, "), r.err());
        r = run(args(tmp.resolve("r"), "arch.num_heads=3"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("num_heads = 3"), r.err());
        r = run(args(tmp.resolve("r"), "global_batch_size=4294967304"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("global_batch_size = 4294967304"), r.err());
        r = run(args(tmp.resolve("r"), "threads=4294967298"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("threads = 4294967298"), r.err());
        r = run(args(tmp.resolve("r"), "data_path=" + tmp.resolve("nothing")));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nothing") && r.err().contains("hrm data"), r.err());
        // each message names the key as it was given
        r = run(args(tmp.resolve("r"), "data_paths=[" + tmp.resolve("nothing") + "]"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("data_paths = [" + tmp.resolve("nothing") + "]: no such dataset"), r.err());
        r = run(args(tmp.resolve("r"), "data_paths=" + tmp.resolve("nothing")));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("expected a list, e.g. data_paths=["), r.err());
        r = run(args(tmp.resolve("r"), "data_paths_test=[testdata/reference-datasets/maze]"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("data_paths_test = [testdata/reference-datasets/maze]: the test split's"), r.err());
    }

    @Test
    void divergenceStopsWithTheStepAndKeepsTheLastCheckpoint(@TempDir Path tmp) {
        Path dir = tmp.resolve("r");
        Result r = run(args(dir, "lr=1e30", "lr_warmup_steps=0", "checkpoint_every_steps=1"));
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().matches("(?s).*at step \\d+.*"), r.err());
        long step = Long.parseLong(r.err().replaceAll("(?s).*at step (\\d+).*", "$1"));
        assertTrue(Files.isDirectory(dir.resolve("step_" + (step - 1))), "the last good checkpoint is there");
        assertFalse(Files.exists(dir.resolve("step_" + step)));
    }
}
