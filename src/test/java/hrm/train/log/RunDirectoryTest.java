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
        RunDirectory run = RunDirectory.open(dir, RunDirectory.Reuse.REFUSE);
        assertTrue(Files.isDirectory(dir));
        assertSame(dir, run.path());
        run.close();
        run = RunDirectory.open(dir, RunDirectory.Reuse.REFUSE); // still empty (but for the lock file): nothing to protect
        run.close();

        run.writeConfig(Map.of("seed", 1, "lr", 1e-4));
        try (MetricsLog log = run.openMetrics(() -> Instant.ofEpochSecond(1_764_000_000L))) {
            log.append(1, 0, Map.of("train/loss", 2.0));
        }
        Files.createDirectories(run.checkpointDir(1));
        Files.writeString(run.checkpointDir(1).resolve("model.safetensors"), "weights");

        IllegalStateException e = assertThrows(IllegalStateException.class,
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

        RunDirectory.open(dir, RunDirectory.Reuse.OVERWRITE).close();
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(RunLock.FILE), left.map(p -> p.getFileName().toString()).toList(), "overwrite starts from an empty directory");
        }
    }

    @Test
    void aSecondRunOnTheSameDirectoryIsRefusedWhileTheFirstHoldsIt() throws IOException {
        Path dir = base.resolve("busy");
        try (RunDirectory first = RunDirectory.open(dir, RunDirectory.Reuse.REFUSE)) {
            first.writeConfig(Map.of("seed", 1));
            for (RunDirectory.Reuse r : RunDirectory.Reuse.values()) {
                if (r == RunDirectory.Reuse.REFUSE) continue;
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunDirectory.open(dir, r));
                assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("process " + ProcessHandle.current().pid()),
                        e.getMessage());
            }
            assertEquals(Map.of("seed", 1), ConfigYaml.read(first.configFile()), "the refused overwrite deleted nothing");
        }
        RunDirectory.open(dir, RunDirectory.Reuse.RESUME).close(); // released
    }

    @Test
    void aLockHeldByAnotherProcessRefusesAndDiesWithIt() throws Exception {
        Path dir = Files.createDirectories(base.resolve("other"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RunLockHolder.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertEquals("locked", line);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunDirectory.open(dir, RunDirectory.Reuse.RESUME));
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
        RunDirectory.open(dir, RunDirectory.Reuse.REFUSE).close();
        Files.writeString(dir.resolve(RunDirectory.CONFIG_FILE), "seed: 1\n");
        Path half = Files.createDirectories(dir.resolve(".step_7.writing-123"));
        Files.writeString(half.resolve("model.safetensors"), "half");
        Path mine = Files.createDirectories(dir.resolve(".step_notes"));
        RunDirectory.open(dir, RunDirectory.Reuse.RESUME).close();
        assertFalse(Files.exists(half), "an interrupted write is ours to remove");
        assertTrue(Files.isDirectory(mine), "a name that is not ours stays");
    }

    @Test
    void overwriteRefusesAFolderThatIsNotARun() throws IOException {
        Path dir = base.resolve("home");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("thesis.tex"), "precious");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunDirectory.open(dir, RunDirectory.Reuse.OVERWRITE));
        assertTrue(e.getMessage().contains("does not look like a run directory"), e.getMessage());
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
