package hrm.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/run-jvm, through which ./hrm starts its JVM, with a stand-in for the JVM (a bash script): the
 * incubator warning is dropped and only it, stdin reaches the command, the exit status is the
 * command's, and a SIGTERM sent to the launcher reaches the command, whose last line on stderr (the
 * training's "saving a checkpoint") still arrives before the launcher exits.
 */
class RunJvmTest {
    private static final Path RUN_JVM = Path.of("bin/run-jvm");
    private static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.vector";

    record Result(int code, String out, String err) {}

    private static Process start(String script) throws IOException {
        return new ProcessBuilder(List.of(RUN_JVM.toString(), "bash", "-c", script)).start();
    }

    private static Result finish(Process p) throws Exception {
        // read both streams to their end while the process runs (a full pipe would block it)
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofVirtual().start(() -> out.complete(readAll(p.getInputStream())));
        Thread.ofVirtual().start(() -> err.complete(readAll(p.getErrorStream())));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bin/run-jvm did not end");
        return new Result(p.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void dropsTheIncubatorWarningAndNothingElse() throws Exception {
        Result r = finish(start("echo '" + WARNING + "' >&2; echo out; echo 'line 2' >&2; echo '" + WARNING
                + "' >&2; printf 'progress\\r' >&2; printf 'no newline' >&2; exit 3"));
        assertEquals(3, r.code(), "the command's exit status");
        assertEquals("out\n", r.out());
        // the warning again later is somebody else's line: only the first line is the JVM's
        assertEquals("line 2\n" + WARNING + "\nprogress\rno newline", r.err());
    }

    @Test
    void keepsAFirstLineThatIsNotTheWarning() throws Exception {
        Result r = finish(start("echo 'Error: could not find or load main class' >&2; exit 1"));
        assertEquals(1, r.code());
        assertEquals("Error: could not find or load main class\n", r.err());
    }

    @Test
    void passesStdinThrough() throws Exception {
        Process p = start("echo '" + WARNING + "' >&2; cat");
        p.getOutputStream().write("puzzle 1\npuzzle 2\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        Result r = finish(p);
        assertEquals(0, r.code());
        assertEquals("puzzle 1\npuzzle 2\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void aTermSentToTheLauncherReachesTheCommandAndItsLastWordsArrive() throws Exception {
        Path ready = Files.createTempFile("run-jvm", ".ready");
        Files.delete(ready);
        List<String> script = new ArrayList<>(List.of(
                "echo '" + WARNING + "' >&2",
                "trap 'sleep 0.5; echo \"saving a checkpoint\" >&2; exit 143' TERM",
                "touch " + ready,
                "while :; do sleep 0.05; done"));
        Process p = start(String.join("\n", script));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(ready) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(ready), "the command did not start");
        ProcessHandle.of(p.pid()).orElseThrow().destroy(); // SIGTERM to the launcher only
        Result r = finish(p);
        Files.deleteIfExists(ready);
        assertEquals(143, r.code(), "the command's exit status after the signal");
        assertEquals("saving a checkpoint\n", r.err(), "the command's last line, written after the signal");
        assertTrue(p.descendants().noneMatch(ProcessHandle::isAlive), "nothing left running");
    }
}
