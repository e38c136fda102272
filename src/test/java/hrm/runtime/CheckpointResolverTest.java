package hrm.runtime;

import hrm.train.TrainCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Each kind of path a checkpoint is named by, and what is refused (the files are empty: only the kind is decided here). */
class CheckpointResolverTest {
    static final Path RELEASED = Path.of("testdata/parity/sudoku/checkpoint/step_1007");

    private static Path step(Path run, String name, boolean complete) throws Exception {
        Path d = Files.createDirectories(run.resolve(name));
        for (String f : TrainCheckpoint.FILES)
            if (complete || f.equals(TrainCheckpoint.MODEL)) Files.writeString(d.resolve(f), "");
        return d;
    }

    private static String refusal(Path named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointResolver.resolve(named));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aRunDirectoryMeansItsLatestCompleteStepByNumber(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        for (String s : new String[] {"step_2", "step_9", "step_10"}) step(run, s, true);
        step(run, "step_11", false); // a copy in part: passed over
        step(run, "step_x", true);
        Files.createDirectories(run.resolve("step_10/eval"));
        Files.writeString(run.resolve("all_config.yaml"), "");
        assertEquals(run.resolve("step_10"), CheckpointResolver.resolve(run), "step_10 comes after step_9, step_11 is incomplete");
        assertEquals(run.resolve("step_10"), TrainCheckpoint.locate(run), "--resume takes the same one");
        StringWriter notes = new StringWriter();
        assertEquals(run.resolve("step_10"), CheckpointResolver.resolve(run, new PrintWriter(notes, true), "hrm eval"));
        assertEquals("hrm eval: using step_10, the latest checkpoint in " + run + System.lineSeparator(), notes.toString());
    }

    @Test
    void aStepDirectoryOrAFileIsItself(@TempDir Path tmp) throws Exception {
        Path step = step(tmp.resolve("run"), "step_9", true);
        StringWriter notes = new StringWriter();
        assertEquals(step, CheckpointResolver.resolve(step, new PrintWriter(notes, true), "hrm solve"));
        assertEquals("", notes.toString(), "a step the user named needs no word");
        assertEquals(RELEASED, CheckpointResolver.resolve(RELEASED), "a released torch checkpoint, all_config.yaml beside it");
        Path st = Files.writeString(tmp.resolve("model.safetensors"), "");
        Files.writeString(tmp.resolve("all_config.yaml"), "");
        assertEquals(st, CheckpointResolver.resolve(st));
        Path hand = step(tmp.resolve("hand"), "step_5", false); // model.safetensors alone: loadable, not resumable
        assertEquals(hand, CheckpointResolver.resolve(hand));
    }

    @Test
    void anythingElseIsOneLineSayingWhatIsThereAndWhatIsExpected(@TempDir Path tmp) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("demo/run"));
        assertEquals(empty + ": no step_N checkpoint inside (" + CheckpointResolver.EXPECTED + ")", refusal(empty));
        Files.writeString(empty.resolve("all_config.yaml"), "");
        assertTrue(refusal(empty).contains("no step_N checkpoint inside yet (the run stopped before its first)"));
        step(empty, "step_3", false);
        assertTrue(refusal(empty).startsWith(empty + ": no complete step_N checkpoint inside (step_3 is incomplete)"), refusal(empty));
        Path released = Files.createDirectories(tmp.resolve("released"));
        Files.writeString(released.resolve("step_1007"), "");
        assertTrue(refusal(released).contains("(step_1007 is a file)"), refusal(released));
        Path missing = tmp.resolve("nothing");
        assertEquals(missing + ": no such file or directory (" + CheckpointResolver.EXPECTED + ")", refusal(missing));
        Path lone = Files.writeString(Files.createDirectories(tmp.resolve("lone")).resolve("weights.safetensors"), "");
        assertTrue(refusal(lone).startsWith(lone + ": a file with no all_config.yaml beside it"), refusal(lone));
    }
}
