package hrm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static hrm.cli.TrainCommandTest.args;
import static hrm.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.*;

/**
 * hrm train refuses before it writes: a resume whose overrides change the math or do not fit the
 * checkpoint, a stop at or before the checkpoint's step, a checkpoint copied into a user's folder,
 * a run whose data is missing or too small for its batch all exit 2 and change no file.
 */
class ResumeSafetyTest {
    /** Every file under dir with its bytes (the lock file's content is the holder's pid: compared too). */
    static Map<Path, String> snapshot(Path dir) throws IOException {
        Map<Path, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList())
                m.put(dir.relativize(p), Files.isRegularFile(p) ? Arrays.toString(Files.readAllBytes(p)) : "dir");
        }
        return m;
    }

    @Test
    void aRefusedResumeChangesNoFile(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        assertEquals(0, run(args(dir, "stop_at_step=3")).code());
        Map<Path, String> before = snapshot(dir);

        TrainCommandTest.Result r = run("train", "--resume", dir.toString(), "arch.hidden_size=64");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("arch.hidden_size: 32 -> 64") && r.err().contains("--accept-changes"), r.err());
        assertEquals(before, snapshot(dir), "refused for a change of the math: nothing written");

        r = run("train", "--resume", dir.toString(), "arch.hidden_size=64", "--accept-changes");
        assertEquals(2, r.code(), "accepted, but the checkpoint's weights do not fit a model of another width: " + r.err());
        assertEquals(before, snapshot(dir), "refused by the checkpoint: nothing written");

        r = run("train", "--resume", dir.toString(), "lr=5e-3");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("lr: 0.001 -> 0.005"), r.err());

        r = run("train", "--resume", dir.toString(), "stop_at_step=3");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("stop_at_step = 3") && r.err().contains("at step 3 already"), r.err());
        assertEquals(before, snapshot(dir));

        assertEquals(0, run("train", "--resume", dir.toString(), "stop_at_step=5", "threads=1").code(), "bookkeeping keys may change");
        assertTrue(Files.isDirectory(dir.resolve("step_5")));
        assertFalse(Files.exists(dir.resolve("step_6")), "stop_at_step is exact on resume");
        assertEquals(0, run("train", "--resume", dir.toString(), "lr=5e-3", "--accept-changes", "stop_at_step=6").code());
        assertTrue(Files.isDirectory(dir.resolve("step_6")));
    }

    @Test
    void aCheckpointCopiedIntoAUsersFolderDoesNotWriteThere(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        assertEquals(0, run(args(dir, "stop_at_step=2")).code());
        Path users = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(users.resolve("all_config.yaml"), "# my own settings\nx: 1\n");
        Path copy = users.resolve("step_2");
        Files.createDirectories(copy);
        try (Stream<Path> s = Files.list(dir.resolve("step_2"))) {
            for (Path f : s.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        Map<Path, String> before = snapshot(users);
        TrainCommandTest.Result r = run("train", "--resume", copy.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(users.toString()) && r.err().contains("not a training configuration"), r.err());
        assertEquals(before, snapshot(users), "the user's all_config.yaml kept, no lock file made");
    }

    @Test
    void aRefusedNewRunLeavesNoDirectory(@TempDir Path tmp) {
        Path dir = tmp.resolve("new/run");
        TrainCommandTest.Result r = run(args(dir, "data_path=" + tmp.resolve("nothing")));
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(dir), "no run directory, no lock file left by a refused run");
    }

    /**
     * A global batch larger than the data has no step: refused before the model's buffers are
     * allocated (this one's would take over 8 GB, beyond the test JVM's heap).
     */
    @Test
    void aBatchLargerThanTheDataIsRefusedBeforeAllocating(@TempDir Path tmp) {
        TrainCommandTest.Result r = run(args(tmp.resolve("r"), "global_batch_size=4000", "arch.hidden_size=1024", "arch.num_heads=8",
                "arch.puzzle_emb_ndim=1024"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("global_batch_size = 4000") && r.err().contains("no training step"), r.err());
    }

    /**
     * A checkpoint records the kernels it was computed with; resumed on others (here: the Java
     * kernels under HRM_NATIVE=off, after a bfloat16 run on oneDNN) the run says in one line that
     * bit-identity is lost; resumed on the same, it says nothing.
     */
    @Test
    void aResumeOnAnotherProductPathSaysBitIdentityIsLost(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        assertEquals(0, run(args(dir, "stop_at_step=2", "arch.forward_dtype=bfloat16")).code());
        String state = Files.readString(dir.resolve("step_2/trainer_state.json"));
        assertTrue(state.contains("\"computed_with\" : \"bfloat16, "), state);
        TrainCommandTest.Result same = run("train", "--resume", dir.toString(), "stop_at_step=3");
        assertEquals(0, same.code(), same.err());
        assertFalse(same.err().contains("not bit-identical"), same.err());

        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--resume", dir.toString(), "stop_at_step=4")
                .redirectErrorStream(true);
        pb.environment().put("HRM_NATIVE", "off");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        boolean wasOneDnn = state.contains("oneDNN");
        assertEquals(wasOneDnn, out.contains("note: " + dir.resolve("step_3") + " was computed with bfloat16, products on oneDNN"), out);
        assertEquals(wasOneDnn, out.contains("not bit-identical to an uninterrupted run"), out);
        assertTrue(Files.readString(dir.resolve("step_4/trainer_state.json")).contains("\"computed_with\" : \"bfloat16, Java kernels"));

        // a finished run continued on another path (a second ./hrm demo) computes no step: nothing to note
        TrainCommandTest.Result rest = run("train", "--resume", dir.toString());
        assertEquals(0, rest.code(), rest.err());
        Files.writeString(dir.resolve("step_18/trainer_state.json"), Files.readString(dir.resolve("step_18/trainer_state.json"))
                .replaceFirst("\"computed_with\" : \"[^\"]*\"", "\"computed_with\" : \"bfloat16, products on oneDNN 9.9\""));
        TrainCommandTest.Result finished = run("train", "--resume", dir.toString());
        assertEquals(0, finished.code(), finished.err());
        assertFalse(finished.err().contains("not bit-identical"), finished.err());
    }
}
