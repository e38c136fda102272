package hrm.cli;

import hrm.runtime.Backends;
import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.Backend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs in processes of their own against a native cache of the test's own ({@code HRM_CACHE_DIR}):
 * the library is loaded once per process, and a damaged one used to kill the process with SIGBUS
 * (issue 18), so only a fresh JVM shows what a user's next command does. Most runs are {@link Probe}
 * (a command's backend and one product on it: a second of CPU); one is a real {@code hrm train}.
 */
class NativeCacheRunTest {
    static final String FOLDER = "native/dnnl-" + pinned() + "-linux-x86_64";
    static final String[] LIBS = {"opencl/linux-x86_64/libOpenCL.so.1", "dnnl/linux-x86_64/libgomp.so.1", "dnnl/linux-x86_64/libdnnl.so.3"};

    @TempDir
    Path tmp;

    /** What a command does with the native path, in a JVM of its own: prints the header's words for the backend and a product's first value. */
    static final class Probe {
        public static void main(String[] args) {
            DataType act = DataType.byConfigName(args[0]);
            try (Backend be = Backends.cpu(1, act, new PrintWriter(System.err, true))) {
                int rows = 4, in = 8, out = 3;
                float[] ones = new float[rows * in], halves = new float[out * in], y = new float[rows * out];
                Arrays.fill(ones, 1f);
                Arrays.fill(halves, 0.5f);
                Tensor tx = be.allocate(ones.length, act), tw = be.allocate(halves.length), ty = be.allocate(y.length, act);
                be.upload(ones, 0, tx);
                be.upload(halves, 0, tw);
                be.linear(tx, tw, ty, rows, in, out);
                be.download(ty, y, 0);
                System.out.println(be.describe(act) + "; product " + y[0]);
            } catch (RuntimeException e) {
                System.err.println(e.getMessage()); // as Main says it
                System.exit(Main.isBadInput(e) ? 2 : 1);
            }
        }
    }

    /** pom.xml's dnnl.version, which names the cache folder (BfMatmulTest holds OneDnn to it). */
    static String pinned() {
        try {
            var m = java.util.regex.Pattern.compile("<dnnl.version>([^<]+)</dnnl.version>").matcher(Files.readString(Path.of("pom.xml")));
            if (!m.find()) throw new AssertionError("pom.xml pins dnnl.version");
            return m.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void onlyWhereTheNativePathWorks() {
        Backends.NativePath here = Backends.nativePath();
        assumeTrue(here.unavailable() == null, () -> "not here: " + here.unavailable());
    }

    record Result(int code, String output) {}

    /** A class's main in a JVM of its own, in {@code tmp} (where a crash would leave its hs_err file), with these variables. */
    Process start(Map<String, String> env, Path log, Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove(Backends.POLICY_VARIABLE);
        pb.environment().putAll(env);
        return pb.start();
    }

    static Result finish(Process p, Path log) throws Exception {
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish in 180 s:\n" + Files.readString(log));
        }
        String said = Files.readString(log).lines().filter(l -> !l.startsWith("WARNING: Using incubator modules"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        return new Result(p.exitValue(), said);
    }

    Result run(Map<String, String> env, Class<?> main, String... args) throws Exception {
        Path log = Files.createTempFile(tmp, "run", ".log");
        return finish(start(env, log, main, args), log);
    }

    static byte[] jarred(String lib) throws IOException {
        try (InputStream in = NativeCacheRunTest.class.getClassLoader().getResourceAsStream("org/bytedeco/" + lib)) {
            return in.readAllBytes();
        }
    }

    static String name(String lib) {
        return lib.substring(lib.lastIndexOf('/') + 1);
    }

    /** A cache whose libraries are each cut to their first 1000 bytes, as in issue 18. */
    static Path truncatedCache(Path base) throws IOException {
        Path dir = Files.createDirectories(base.resolve(FOLDER));
        for (String l : LIBS) Files.write(dir.resolve(name(l)), Arrays.copyOf(jarred(l), 1000));
        return dir;
    }

    List<String> crashLogs() throws IOException {
        try (var s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("hs_err")).toList();
        }
    }

    static List<String> temporaries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
        }
    }

    static long notes(String output) {
        return output.lines().filter(l -> l.startsWith("note:")).count();
    }

    @Test
    void aTruncatedCacheIsHealedAndTheProductsRunOnOneDnnEvenWhenTwoProcessesHealItAtOnce() throws Exception {
        Path base = tmp.resolve("cache");
        Path dir = truncatedCache(base);
        Path logA = tmp.resolve("a.log"), logB = tmp.resolve("b.log");
        // require: every product on oneDNN (the probe's product is too small for a measured plan to give it the library)
        Process a = start(Map.of("HRM_CACHE_DIR", base.toString(), "HRM_NATIVE", "require"), logA, Probe.class, "bfloat16");
        Process b = start(Map.of("HRM_CACHE_DIR", base.toString(), "HRM_NATIVE", "require"), logB, Probe.class, "bfloat16");
        for (Result r : List.of(finish(a, logA), finish(b, logB))) {
            assertEquals(0, r.code(), r.output());
            assertTrue(r.output().contains("bfloat16 (products on oneDNN 3.3.") && r.output().contains("product 4.0"), r.output());
            assertEquals(0, notes(r.output()), r.output());
        }
        for (String l : LIBS) assertArrayEquals(jarred(l), Files.readAllBytes(dir.resolve(name(l))), name(l) + " healed");
        assertEquals(List.of(), temporaries(dir));
        assertEquals(List.of(), crashLogs());
    }

    @Test
    void runsThatDoNotUseTheLibraryNeverOpenItsCache() throws Exception {
        // issue 18 as reported: hrm train with HRM_NATIVE=off on a truncated cache
        Path damaged = tmp.resolve("damaged");
        Path dir = truncatedCache(damaged);
        FileTime before = Files.getLastModifiedTime(dir.resolve("libdnnl.so.3"));
        Result off = run(Map.of("HRM_CACHE_DIR", damaged.toString(), "HRM_NATIVE", "off"), Main.class, "train",
                "data_path=" + Path.of("testdata/reference-datasets/sudoku").toAbsolutePath(), "global_batch_size=8", "epochs=1",
                "eval_interval=1", "arch.hidden_size=32", "arch.num_heads=2", "arch.H_layers=1", "arch.L_layers=1", "arch.H_cycles=1",
                "arch.L_cycles=2", "arch.halt_max_steps=2", "arch.puzzle_emb_ndim=32", "threads=1", "checkpoint_path=" + tmp.resolve("run"));
        assertEquals(0, off.code(), off.output());
        assertTrue(off.output().contains("bfloat16 (products on the Java kernels)"), off.output());
        assertEquals(0, notes(off.output()), off.output());
        for (String l : LIBS)
            assertArrayEquals(Arrays.copyOf(jarred(l), 1000), Files.readAllBytes(dir.resolve(name(l))), "HRM_NATIVE=off left " + name(l) + " alone");
        assertEquals(before, Files.getLastModifiedTime(dir.resolve("libdnnl.so.3")));

        Path absent = tmp.resolve("absent");
        Result f32 = run(Map.of("HRM_CACHE_DIR", absent.toString()), Probe.class, "float32");
        assertEquals(0, f32.code(), f32.output());
        assertEquals("float32; product 4.0", f32.output().strip());
        assertFalse(Files.exists(absent), "a float32 run made no native cache");
        assertEquals(List.of(), crashLogs());
    }

    @Test
    void aDirectoryInTheLibrarysPlaceIsLeftAloneAndTheRunSaysSoInOneLine() throws Exception {
        Path base = tmp.resolve("cache");
        Path users = Files.createDirectories(base.resolve(FOLDER).resolve("libdnnl.so.3"));
        Files.writeString(users.resolve("notes.txt"), "keep me");

        Result auto = run(Map.of("HRM_CACHE_DIR", base.toString()), Probe.class, "bfloat16");
        assertEquals(0, auto.code(), auto.output());
        List<String> lines = auto.output().lines().toList();
        assertEquals(2, lines.size(), auto.output());
        assertTrue(lines.get(0).startsWith("note: bfloat16 matrix products run on the Java kernels") && lines.get(0).contains(users + " is a directory"),
                auto.output());
        assertEquals("bfloat16 (products on the Java kernels); product 4.0", lines.get(1));

        Result require = run(Map.of("HRM_CACHE_DIR", base.toString(), "HRM_NATIVE", "require"), Probe.class, "bfloat16");
        assertEquals(2, require.code(), require.output());
        assertEquals(1, require.output().lines().count(), require.output());
        assertTrue(require.output().contains("oneDNN 3.3") && require.output().contains(users + " is a directory")
                && require.output().contains("HRM_NATIVE=require"), require.output());

        assertEquals("keep me", Files.readString(users.resolve("notes.txt")));
        assertEquals(List.of(), temporaries(base.resolve(FOLDER)), "no copy towards a name it could not take");
        assertEquals(List.of(), crashLogs());
    }
}
