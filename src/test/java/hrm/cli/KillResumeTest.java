package hrm.cli;

import hrm.checkpoint.Safetensors;
import hrm.checkpoint.TensorMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hrm train} in a process of its own, killed with SIGKILL at seeded random moments (before the
 * first checkpoint, between checkpoints, in the middle of writing one), then continued with
 * {@code --resume} (or, killed before any checkpoint, started again with {@code --overwrite} as the
 * message says): the final weights, carry and metrics log must equal an uninterrupted run's.
 */
class KillResumeTest {
    @TempDir
    Path tmp;

    /** {@code hrm} with these arguments in a JVM of its own, output discarded. */
    static Process hrm(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void aRunKilledAtRandomMomentsResumesBitIdentically() throws Exception {
        Path straight = tmp.resolve("straight");
        assertEquals(0, TrainCommandTest.run(TrainCommandTest.args(straight, "checkpoint_every_steps=1")).code());
        TensorMap wantModel = Safetensors.read(straight.resolve("step_18/model.safetensors"));
        TensorMap wantCarry = Safetensors.read(straight.resolve("step_18/carry.safetensors"));
        List<String> wantSteps = stepsAndKeys(straight);

        SplittableRandom rng = new SplittableRandom(20261201);
        Path split = tmp.resolve("split");
        int kills = 0, resumes = 0, restarts = 0;
        for (int attempt = 0; attempt < 6 && !Files.isDirectory(split.resolve("step_18")); attempt++) {
            boolean started = Files.exists(split.resolve("all_config.yaml"));
            Process p = started && Files.exists(split.resolve("step_1"))
                    ? hrm("train", "--resume", split.toString()) : hrm(TrainCommandTest.args(split, "checkpoint_every_steps=1"));
            long waitMs = 300 + rng.nextInt(2500);
            if (!p.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
                kills++;
            }
            if (!Files.exists(split.resolve("step_1")) && Files.exists(split.resolve("all_config.yaml"))) {
                TrainCommandTest.Result r = TrainCommandTest.run("train", "--resume", split.toString());
                assertEquals(2, r.code(), "no checkpoint to resume from yet");
                assertTrue(r.err().contains("--overwrite"), r.err());
                restarts++;
                TrainCommandTest.Result again = TrainCommandTest.run(
                        concat(TrainCommandTest.args(split, "checkpoint_every_steps=1"), "--overwrite"));
                assertEquals(0, again.code(), again.err());
            }
        }
        if (!Files.isDirectory(split.resolve("step_18"))) {
            // on a loaded machine every attempt may have been killed before its first checkpoint: start over then
            TrainCommandTest.Result r = Files.exists(split.resolve("step_1")) ? TrainCommandTest.run("train", "--resume", split.toString())
                    : TrainCommandTest.run(concat(TrainCommandTest.args(split, "checkpoint_every_steps=1"), "--overwrite"));
            assertEquals(0, r.code(), r.err());
            resumes++;
        }
        assertTrue(kills >= 1, "the schedule killed at least once (kills " + kills + ", restarts " + restarts + ", resumes " + resumes + ")");
        TensorMap gotModel = Safetensors.read(split.resolve("step_18/model.safetensors"));
        TensorMap gotCarry = Safetensors.read(split.resolve("step_18/carry.safetensors"));
        for (String n : wantModel.names()) assertTrue(wantModel.get(n).contentEquals(gotModel.get(n)), "weights " + n);
        for (String n : wantCarry.names()) assertTrue(wantCarry.get(n).contentEquals(gotCarry.get(n)), "carry " + n);
        assertEquals(wantSteps, stepsAndKeys(split), "the metrics log has every record once, in order");
        try (var s = Files.list(split)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().contains(".writing-")), "no interrupted write left behind");
        }
    }

    /**
     * SIGTERM (what Ctrl-C, a scheduler or {@code kill} send) saves a checkpoint after the step in
     * progress: no finished step is lost, and the run resumed from it equals an uninterrupted one.
     */
    @Test
    void sigtermSavesACheckpointAfterTheStepInProgress() throws Exception {
        Path split = tmp.resolve("signalled");
        String[] args = TrainCommandTest.args(split, "epochs=120", "eval_interval=60"); // 180 steps: time to be signalled
        Process p = hrm(args);
        Path log = split.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && (!Files.exists(log) || Files.readAllLines(log).size() < 3)) Thread.sleep(20);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ends after saving");
        List<String> lines = Files.readAllLines(log);
        long last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.getLast()).get("step").asLong();
        assertTrue(last >= 3 && last < 180, "signalled mid-run, at step " + last);
        assertTrue(Files.isDirectory(split.resolve("step_" + last)), "a checkpoint of the last logged step: " + lines.getLast());

        long stop = last + 2;
        assertEquals(0, TrainCommandTest.run("train", "--resume", split.toString(), "stop_at_step=" + stop).code());
        Path straight = tmp.resolve("straight");
        assertEquals(0, TrainCommandTest.run(TrainCommandTest.args(straight, "epochs=120", "eval_interval=60", "stop_at_step=" + stop)).code());
        TensorMap want = Safetensors.read(straight.resolve("step_" + stop + "/model.safetensors"));
        TensorMap got = Safetensors.read(split.resolve("step_" + stop + "/model.safetensors"));
        for (String n : want.names()) assertTrue(want.get(n).contentEquals(got.get(n)), "weights " + n);
    }

    /** Each record of metrics.jsonl as its step and metric names (wall times differ between runs). */
    private static List<String> stepsAndKeys(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(k -> { if (!k.equals("wall_time")) keys.add(k + "=" + (k.startsWith("train/") || k.startsWith("all/") ? node.get(k).asText() : "")); });
            out.add(node.get("step").asText() + " " + keys);
        }
        return out;
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
