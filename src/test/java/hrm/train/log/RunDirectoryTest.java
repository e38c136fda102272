package hrm.train.log;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    private static final String ARCH = "hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1";
    /** What a run writes as its all_config.yaml, in the parts that make it recognisable. */
    static final Map<String, Object> TRAINING_CONFIG = Map.of("arch", Map.of("hidden_size", 8), "data_path", "data/x", "seed", 1);
    static final String TRAINING_CONFIG_TEXT = "arch:\n  hidden_size: 8\ndata_path: data/x\nseed: 1\n";

    @TempDir
    Path base;

    @Test
    void referenceNames() {
        assertEquals("Sudoku-extreme-1k-aug-1000 ACT-torch", RunNames.defaultProject("data/sudoku-extreme-1k-aug-1000"));
        assertEquals("Arc-aug-1000 ACT-torch", RunNames.defaultProject("data/ARC-aug-1000/"));
        assertEquals("Maze-30x30-hard-1k ACT-torch", RunNames.defaultProject("maze-30x30-hard-1k"));
        assertThrows(IllegalArgumentException.class, () -> RunNames.defaultProject("/"));

        String run = RunNames.defaultRun(ARCH, new Random(7));
        assertTrue(run.matches("HierarchicalReasoningModel_ACTV1 [a-z]+-[a-z]+"), run);
        assertEquals(run, RunNames.defaultRun(ARCH, new Random(7)), "a seeded generator repeats the name");
        Set<String> names = new HashSet<>();
        for (int seed = 0; seed < 20; seed++) names.add(RunNames.slug(new Random(seed)));
        assertTrue(names.size() >= 15, "slugs vary with the seed: " + names);

        assertEquals(base.resolve("checkpoints/Sudoku ACT-torch/HierarchicalReasoningModel_ACTV1 calm-otter"),
                RunDirectory.defaultPath(base, "Sudoku ACT-torch", "HierarchicalReasoningModel_ACTV1 calm-otter"));
        for (String bad : new String[] {"", "..", "a/b", "a\\b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RunDirectory.defaultPath(base, "p", bad));
            assertTrue(e.getMessage().startsWith("run_name '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void aNonEmptyRunDirectoryIsRefusedUnlessResumedOrOverwritten() throws IOException {
        Path dir = RunDirectory.defaultPath(base, "P ACT-torch", "run");
        try (RunDirectory run = RunDirectory.open(dir, RunDirectory.Reuse.REFUSE)) {
            assertTrue(Files.isDirectory(dir));
            assertSame(dir, run.path());
        }
        assertFalse(Files.exists(dir), "a run that never began leaves nothing behind, not even its directory");

        RunDirectory run = RunDirectory.open(dir, RunDirectory.Reuse.REFUSE);
        run.writeConfig(TRAINING_CONFIG);
        try (MetricsLog log = run.openMetrics(() -> Instant.ofEpochSecond(1_764_000_000L))) {
            log.append(1, 0, Map.of("train/loss", 2.0));
        }
        Files.createDirectories(run.checkpointDir(1));
        Files.writeString(run.checkpointDir(1).resolve("model.safetensors"), "weights");
        run.close();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.open(dir, RunDirectory.Reuse.REFUSE));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(RunDirectory.RESUME_FLAG) && e.getMessage().contains(RunDirectory.OVERWRITE_FLAG),
                e.getMessage());
        assertTrue(Files.exists(run.configFile()), "a refusal touches nothing");

        try (RunDirectory resumed = RunDirectory.open(dir, RunDirectory.Reuse.RESUME)) {
            try (MetricsLog log = resumed.openMetrics(() -> Instant.ofEpochSecond(1_764_000_100L))) {
                assertEquals(1, log.records().size(), "resuming keeps the earlier records");
            }
            assertEquals("weights", Files.readString(resumed.checkpointDir(1).resolve("model.safetensors")));
        }

        try (RunDirectory overwritten = RunDirectory.open(dir, RunDirectory.Reuse.OVERWRITE)) {
            assertTrue(Files.exists(run.configFile()), "nothing is deleted before the run begins (its checks come first)");
            overwritten.begin();
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(RunLock.FILE), left.map(p -> p.getFileName().toString()).toList(), "overwrite starts from an empty directory");
        }
    }

    /**
     * --overwrite deletes only what a run writes: a folder that holds a file of the user's, or whose
     * all_config.yaml is not a training configuration, is refused whatever else it holds; a run
     * directory with an evaluation saved into a checkpoint, plots and interrupted writes is ours.
     */
    @Test
    void overwriteDeletesOnlyWhatARunWrites() throws IOException {
        Path users = Files.createDirectories(base.resolve("u"));
        Files.writeString(users.resolve(RunDirectory.CONFIG_FILE), "x: 1\n");
        Files.writeString(users.resolve("notes.txt"), "mine");
        Files.createDirectories(users.resolve("sub"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(users, RunDirectory.Reuse.OVERWRITE));
        assertTrue(e.getMessage().contains("all_config.yaml is not a training configuration"), e.getMessage());
        Files.writeString(users.resolve(RunDirectory.CONFIG_FILE), TRAINING_CONFIG_TEXT);
        e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(users, RunDirectory.Reuse.OVERWRITE));
        assertTrue(e.getMessage().contains("it holds notes.txt, which a run does not write"), e.getMessage());
        Files.delete(users.resolve("notes.txt"));
        e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(users, RunDirectory.Reuse.OVERWRITE));
        assertTrue(e.getMessage().contains("it holds sub/"), e.getMessage());
        Files.createDirectories(users.resolve("step_3"));
        Files.writeString(users.resolve("step_3/model.safetensors"), "w");
        Files.writeString(users.resolve("step_3/thesis.tex"), "mine");
        Files.delete(users.resolve("sub"));
        e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(users, RunDirectory.Reuse.OVERWRITE));
        assertTrue(e.getMessage().contains("it holds step_3/"), e.getMessage());
        assertEquals("mine", Files.readString(users.resolve("step_3/thesis.tex")), "every refusal deleted nothing");

        Path run = Files.createDirectories(base.resolve("run"));
        Files.writeString(run.resolve(RunDirectory.CONFIG_FILE), TRAINING_CONFIG_TEXT);
        Files.writeString(run.resolve(MetricsLog.JSONL), "");
        Files.writeString(run.resolve(MetricsLog.CSV), "");
        Files.createDirectories(run.resolve("plots"));
        Files.writeString(run.resolve("plots/train_loss.png"), "png");
        Files.createDirectories(run.resolve("step_4/eval"));
        for (String f : List.of("model.safetensors", "optimizer.safetensors", "carry.safetensors", "trainer_state.json", "all_config.yaml"))
            Files.writeString(run.resolve("step_4").resolve(f), "x");
        Files.writeString(run.resolve("step_4/eval/metrics.json"), "{}");
        Files.writeString(run.resolve("step_4/eval/all__predictions.npy"), "x");
        Files.createDirectories(run.resolve("step_4/analysis"));
        Files.writeString(run.resolve("step_4/analysis/scaling.json"), "{}");
        Files.writeString(run.resolve("step_4/analysis/trace-3.png"), "png");
        Files.createDirectories(run.resolve(".step_5.writing-123"));
        Files.writeString(run.resolve(".metrics.csv.77.1.tmp"), "x");
        try (RunDirectory r = RunDirectory.open(run, RunDirectory.Reuse.OVERWRITE)) {
            r.begin();
        }
        try (Stream<Path> left = Files.list(run)) {
            assertEquals(List.of(RunLock.FILE), left.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** --resume writes all_config.yaml and a lock into the checkpoint's directory: only into a run's. */
    @Test
    void resumeWritesOnlyIntoARunDirectory() throws IOException {
        Path users = Files.createDirectories(base.resolve("u"));
        Files.createDirectories(users.resolve("step_3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(users, RunDirectory.Reuse.RESUME));
        assertTrue(e.getMessage().contains("no all_config.yaml"), e.getMessage());
        Files.writeString(users.resolve(RunDirectory.CONFIG_FILE), "# my notes\nx: 1\n");
        e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(users, RunDirectory.Reuse.RESUME));
        assertTrue(e.getMessage().contains("not a training configuration"), e.getMessage());
        assertEquals("# my notes\nx: 1\n", Files.readString(users.resolve(RunDirectory.CONFIG_FILE)));
        assertFalse(Files.exists(users.resolve(RunLock.FILE)), "no lock file left in a folder that was refused");
    }

    /** A run refused after its directory was opened (bad data, a checkpoint that does not fit) leaves nothing it made. */
    @Test
    void aRunThatNeverBeganLeavesNothingBehind() throws IOException {
        Path fresh = base.resolve("a/b");
        RunDirectory.open(fresh, RunDirectory.Reuse.REFUSE).close();
        assertFalse(Files.exists(fresh));
        Path run = Files.createDirectories(base.resolve("run"));
        Files.writeString(run.resolve(RunDirectory.CONFIG_FILE), TRAINING_CONFIG_TEXT);
        RunDirectory.open(run, RunDirectory.Reuse.RESUME).close();
        try (Stream<Path> left = Files.list(run)) {
            assertEquals(List.of(RunDirectory.CONFIG_FILE), left.map(p -> p.getFileName().toString()).toList(), "the lock file it created is gone");
        }
    }

    @Test
    void aSecondRunOnTheSameDirectoryIsRefusedWhileTheFirstHoldsIt() throws IOException {
        Path dir = base.resolve("busy");
        try (RunDirectory first = RunDirectory.open(dir, RunDirectory.Reuse.REFUSE)) {
            first.writeConfig(TRAINING_CONFIG);
            for (RunDirectory.Reuse r : RunDirectory.Reuse.values()) {
                if (r == RunDirectory.Reuse.REFUSE) continue;
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(dir, r));
                assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("process " + ProcessHandle.current().pid()),
                        e.getMessage());
            }
            assertEquals(TRAINING_CONFIG, ConfigYaml.read(first.configFile()), "the refused overwrite deleted nothing");
        }
        RunDirectory.open(dir, RunDirectory.Reuse.RESUME).close(); // released
    }

    @Test
    void aLockHeldByAnotherProcessRefusesAndDiesWithIt() throws Exception {
        Path dir = Files.createDirectories(base.resolve("other"));
        Files.writeString(dir.resolve(RunDirectory.CONFIG_FILE), TRAINING_CONFIG_TEXT);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RunLockHolder.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertEquals("locked", line);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(dir, RunDirectory.Reuse.RESUME));
            assertTrue(e.getMessage().contains("process " + holder.pid()), e.getMessage());
        } finally {
            holder.destroyForcibly(); // kill -9: the OS drops the lock with the process
            holder.waitFor();
        }
        RunDirectory.open(dir, RunDirectory.Reuse.RESUME).close();
    }

    @Test
    void resumingRemovesTheTreesOfInterruptedCheckpointWrites() throws IOException {
        Path dir = base.resolve("killed");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunDirectory.CONFIG_FILE), TRAINING_CONFIG_TEXT);
        Path half = Files.createDirectories(dir.resolve(".step_7.writing-123"));
        Files.writeString(half.resolve("model.safetensors"), "half");
        Path mine = Files.createDirectories(dir.resolve(".step_notes"));
        try (RunDirectory r = RunDirectory.open(dir, RunDirectory.Reuse.RESUME)) {
            assertTrue(Files.exists(half), "nothing is removed before the run begins");
            r.begin();
        }
        assertFalse(Files.exists(half), "an interrupted write is ours to remove");
        assertTrue(Files.isDirectory(mine), "a name that is not ours stays");
    }

    @Test
    void overwriteRefusesAFolderThatIsNotARun() throws IOException {
        Path dir = base.resolve("home");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("thesis.tex"), "precious");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.open(dir, RunDirectory.Reuse.OVERWRITE));
        assertTrue(e.getMessage().contains("it holds thesis.tex, which a run does not write"), e.getMessage());
        assertEquals("precious", Files.readString(dir.resolve("thesis.tex")));

        Path file = base.resolve("afile");
        Files.writeString(file, "x");
        assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(file, RunDirectory.Reuse.RESUME));
    }

    @Test
    void generatedNamesAvoidRunsThatExist() throws IOException {
        String project = RunNames.defaultProject("data/sudoku-extreme-1k-aug-1000");
        Path taken = RunDirectory.defaultPath(base, project, RunNames.defaultRun(ARCH, new Random(3)));
        Files.createDirectories(taken);
        Files.writeString(taken.resolve(RunDirectory.CONFIG_FILE), "seed: 3\n");

        RunDirectory run = RunDirectory.createWithGeneratedName(base, project, ARCH, new Random(3));
        run.close();
        assertNotEquals(taken, run.path());
        assertEquals(taken.getParent(), run.path().getParent());
        assertTrue(run.path().getFileName().toString().startsWith("HierarchicalReasoningModel_ACTV1 "));
        assertEquals("seed: 3\n", Files.readString(taken.resolve(RunDirectory.CONFIG_FILE)));
    }

    @Test
    void theRunDirectoryHoldsConfigMetricsAndPlots() throws IOException {
        RunDirectory run = RunDirectory.open(base.resolve("r"), RunDirectory.Reuse.REFUSE);
        run.writeConfig(Map.of("arch", Map.of("hidden_size", 512), "epochs", 20000));
        assertEquals(Map.of("arch", Map.of("hidden_size", 512), "epochs", 20000), ConfigYaml.read(run.configFile()));
        try (MetricsLog log = run.openMetrics(() -> Instant.ofEpochSecond(1_764_000_000L))) {
            log.append(1, 0, Map.of("train/lm_loss", 2.0, "train/lr", 1e-5));
            log.append(2, 0, Map.of("train/lm_loss", 1.5, "train/lr", 2e-5));
            run.writePlots(log);
        }
        assertTrue(Files.size(run.path().resolve("plots/train_loss.png")) > 1000);
        assertEquals(base.resolve("r/step_12"), run.checkpointDir(12));
    }
}
