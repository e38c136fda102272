package hrm.train;

import hrm.checkpoint.NamedTensor;
import hrm.checkpoint.Safetensors;
import hrm.checkpoint.TensorMap;
import hrm.dist.MpiTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mpirun -np 2 hrm train} against one process at the same global batch (docs/model.md §9: the result
 * equals a single process up to the order of summation): 12 steps of the tiny task with a puzzle
 * embedding, weights within 1e-3 (normwise, per tensor) and every logged loss; a run stopped with 2
 * ranks resumes with 1; a rank given another configuration is refused on every rank; a rank whose
 * data path does not exist ends the whole run with a line naming it.
 */
class DataParallelTest {
    static final String MAIN = "hrm.cli.Main";

    private static List<String> train(Path data, Path run, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--config-dir", "config"));
        a.addAll(TinyTask.overrides(data, "epochs=3", "eval_interval=3", "arch.puzzle_emb_ndim=32", "threads=1",
                "checkpoint_path=" + run));
        a.addAll(List.of(extra));
        return a;
    }

    /** This JVM running hrm's CLI, without a launcher. */
    private static List<String> single(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), MAIN));
        cmd.addAll(args);
        return cmd;
    }

    private static List<String> ranks(int n, List<String> args) {
        return MpiTest.command(n, MAIN, args.toArray(String[]::new));
    }

    /** mpirun with rank 0 running {@code rank0} and rank 1 running {@code rank1} (Open MPI's MPMD form). */
    private static List<String> mpmd(List<String> rank0, List<String> rank1) {
        List<String> launcher = MpiTest.command(1, MAIN);
        List<String> cmd = new ArrayList<>(launcher.subList(0, launcher.indexOf("-np")));
        cmd.addAll(List.of("-np", "1"));
        cmd.addAll(rank0);
        cmd.add(":");
        cmd.addAll(List.of("-np", "1"));
        cmd.addAll(rank1);
        return cmd;
    }

    private static String run(List<String> cmd, int expectExit) throws Exception {
        int[] exit = new int[1];
        // One product path for every run: the ranks' products have half the rows of the single process's, and a
        // plan measured per shape could put the two on different paths, whose bfloat16 roundings differ by more
        // than the summation order this test allows for.
        String out = MpiTest.run(cmd, 300, exit, java.util.Map.of("HRM_NATIVE", "off"));
        assertEquals(expectExit, exit[0], out);
        return out;
    }

    @Test
    void twoRanksTrainAsOneProcessAndResumeWithOne(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(MpiTest.mpirun() != null, "mpirun is not installed (apt-get install openmpi-bin); .ci/run installs it");
        Path data = TinyTask.build(tmp.resolve("data"), 64, 16, 5); // 64 groups / 16 = 4 steps an epoch, 12 in 3 epochs
        Path one = tmp.resolve("one"), two = tmp.resolve("two"), half = tmp.resolve("half");
        run(single(train(data, one)), 0);
        String out = run(ranks(2, train(data, two)), 0);
        assertTrue(out.contains("2 MPI ranks"), "the header names the ranks: " + out);
        assertClose(one.resolve("step_12"), two.resolve("step_12"), 1e-3);
        assertLossesClose(one.resolve("metrics.jsonl"), two.resolve("metrics.jsonl"));
        // stopped with 2 ranks at step 6, resumed by one process: the single run's weights
        run(ranks(2, train(data, half, "stop_at_step=6")), 0);
        assertTrue(Files.isDirectory(half.resolve("step_6")));
        run(single(List.of("train", "--resume", half.resolve("step_6").toString())), 0);
        assertClose(one.resolve("step_12"), half.resolve("step_12"), 1e-3);
    }

    @Test
    void ranksThatDisagreeOrFailEndTheWholeRun(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(MpiTest.mpirun() != null, "mpirun is not installed (apt-get install openmpi-bin); .ci/run installs it");
        Path data = TinyTask.build(tmp.resolve("data"), 64, 16, 5);
        // MPMD: rank 1 runs another learning rate
        List<String> a = single(train(data, tmp.resolve("a"))), b = single(train(data, tmp.resolve("a"), "lr=5e-4"));
        long t0 = System.nanoTime();
        String out = run(mpmd(a, b), 2);
        assertTrue(out.contains("rank 1 composed a different configuration"), out);
        // rank 1's data path does not exist: it fails, says so, and rank 0 does not wait for it
        out = run(mpmd(single(train(data, tmp.resolve("c"))), single(train(tmp.resolve("nowhere"), tmp.resolve("c")))), 2);
        assertTrue(out.contains("rank 1 of 2: data_path = " + tmp.resolve("nowhere")), out);
        // a global batch that does not split over the ranks
        out = run(ranks(2, train(data, tmp.resolve("d"), "global_batch_size=15")), 2);
        assertTrue(out.contains("global_batch_size = 15: must be divisible by the 2 processes"), out);
        assertTrue((System.nanoTime() - t0) / 1e9 < 120, "both runs ended promptly");
    }

    /** kill -9 of one rank mid-run: mpirun ends the other within seconds, and the last checkpoint resumes. */
    @Test
    void aKilledRankEndsTheRunAndTheLastCheckpointResumes(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(MpiTest.mpirun() != null, "mpirun is not installed (apt-get install openmpi-bin); .ci/run installs it");
        Path data = TinyTask.build(tmp.resolve("data"), 64, 16, 5);
        Path runDir = tmp.resolve("run");
        // long enough to be killed mid-run: 100 epochs of 4 steps, a checkpoint every 4 steps
        Process p = new ProcessBuilder(ranks(2, train(data, runDir, "epochs=100", "eval_interval=100", "checkpoint_every_steps=4")))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.isDirectory(runDir.resolve("step_8")) && System.nanoTime() < deadline && p.isAlive()) Thread.sleep(100);
        assertTrue(Files.isDirectory(runDir.resolve("step_8")), "the run checkpointed: " + Files.readString(tmp.resolve("log.txt")));
        List<ProcessHandle> javas = p.descendants().filter(h -> h.info().command().orElse("").endsWith("java")).toList();
        assertEquals(2, javas.size(), "two ranks running");
        long t0 = System.nanoTime();
        javas.get(1).destroyForcibly(); // SIGKILL: no chance to say anything
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "mpirun ends the run");
        try {
            javas.get(0).onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the surviving rank is still running 30 s after mpirun ended");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 15, "the other rank stopped within seconds: " + seconds);
        assertTrue(p.exitValue() != 0, "the run failed");
        // the newest complete checkpoint resumes in one process
        Path last = TrainCheckpoint.locate(runDir);
        long at = Long.parseLong(last.getFileName().toString().substring(5));
        run(single(List.of("train", "--resume", last.toString(), "stop_at_step=" + (at + 2))), 0);
        assertTrue(Files.isDirectory(runDir.resolve("step_" + (at + 2))));
    }

    static void assertClose(Path a, Path b, double tol) {
        TensorMap x = Safetensors.read(a.resolve(TrainCheckpoint.MODEL)), y = Safetensors.read(b.resolve(TrainCheckpoint.MODEL));
        assertEquals(x.size(), y.size());
        for (NamedTensor t : x.tensors()) {
            float[] u = t.toFloats(), v = y.get(t.name()).toFloats();
            double d = 0, n = 0;
            for (int i = 0; i < u.length; i++) {
                d += Math.pow(u[i] - v[i], 2);
                n += (double) u[i] * u[i];
            }
            double rel = n == 0 ? Math.sqrt(d) : Math.sqrt(d / n);
            assertTrue(rel <= tol, t.name() + ": " + a + " and " + b + " differ by " + rel);
        }
    }

    static void assertLossesClose(Path a, Path b) throws Exception {
        List<Double> x = losses(a), y = losses(b);
        assertEquals(12, x.size(), "one train/loss per step");
        assertEquals(x.size(), y.size());
        for (int i = 0; i < x.size(); i++)
            assertEquals(x.get(i), y.get(i), 1e-4 * Math.max(1, Math.abs(x.get(i))), "train/loss at step " + (i + 1));
    }

    private static List<Double> losses(Path jsonl) throws Exception {
        List<Double> out = new ArrayList<>();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(jsonl)) {
            var n = json.readTree(line);
            if (n.has("train/loss")) out.add(n.get("train/loss").asDouble());
        }
        return out;
    }
}
