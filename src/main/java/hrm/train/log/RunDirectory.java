package hrm.train.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.InstantSource;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A training run's directory, {@code checkpoints/<project>/<run>/} as the reference names it: the resolved
 * configuration ({@code all_config.yaml}), the metrics log, the plots and the checkpoints ({@code step_<N>}).
 * An existing non-empty directory is another run's work: it is reused only to resume it, or replaced when
 * asked to explicitly.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String CONFIG_FILE = "all_config.yaml";
    /** The command-line flags the refusal message points to. */
    public static final String RESUME_FLAG = "--resume";
    public static final String OVERWRITE_FLAG = "--overwrite";
    /** Draws of a generated run name before giving up on finding a free one. */
    private static final int NAME_ATTEMPTS = 100;

    /** What to do when the directory already holds files. */
    public enum Reuse {
        /** Refuse: a new run must not mix its files with an old one's. */
        REFUSE,
        /** Keep everything and continue (resuming from one of its checkpoints). */
        RESUME,
        /** Delete the old run's files first. */
        OVERWRITE
    }

    private final Path path;
    private final RunLock lock;
    private final Reuse reuse;
    private final boolean createdDirectory, createdLockFile;
    private boolean begun;

    private RunDirectory(Path path, RunLock lock, Reuse reuse, boolean createdDirectory, boolean createdLockFile) {
        this.path = path;
        this.lock = lock;
        this.reuse = reuse;
        this.createdDirectory = createdDirectory;
        this.createdLockFile = createdLockFile;
    }

    /** {@code base/checkpoints/<project>/<run>}; each name must be one plain path component. */
    public static Path defaultPath(Path base, String project, String run) {
        return base.resolve("checkpoints").resolve(component("project_name", project)).resolve(component("run_name", run));
    }

    /**
     * Opens (creating it if needed) the run directory at {@code dir}, checking it against {@code reuse}, and
     * locks it for this process until {@link #close()}: a second run on the same directory is refused.
     * Nothing of what the directory holds is changed until {@link #begin()}, so a run can validate its
     * configuration, data and checkpoint first; closed without beginning, it leaves nothing behind (the
     * directory and the lock file are removed if this call made them).
     */
    public static RunDirectory open(Path dir, Reuse reuse) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
            throw new IllegalArgumentException("run directory " + dir + " exists and is not a directory");
        boolean existed = Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
        boolean holdsFiles = existed && !isEmpty(dir);
        if (holdsFiles && reuse == Reuse.REFUSE)
            throw new IllegalArgumentException("run directory " + dir + " already exists and is not empty: pass "
                    + RESUME_FLAG + " to continue that run or " + OVERWRITE_FLAG + " to delete it and start again");
        if (holdsFiles && reuse == Reuse.OVERWRITE) {
            String foreign = RunContents.foreignEntry(dir);
            if (foreign != null)
                throw new IllegalArgumentException("refusing to " + OVERWRITE_FLAG + " " + dir + ": " + foreign
                        + ", so it is not (only) a run directory; remove it yourself or choose another checkpoint_path");
        }
        if (reuse == Reuse.RESUME) {
            String why = RunContents.notResumable(dir);
            if (why != null) throw new IllegalArgumentException("cannot " + RESUME_FLAG + " into " + dir + ": " + why);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + hrm.io.ErrorText.of(e), e);
        }
        boolean lockExisted = Files.exists(dir.resolve(RunLock.FILE), LinkOption.NOFOLLOW_LINKS);
        RunLock lock;
        try {
            lock = RunLock.acquire(dir);
        } catch (RuntimeException e) {
            if (!existed) removeIfEmpty(dir);
            throw e;
        }
        return new RunDirectory(dir, lock, reuse, !existed, !lockExisted);
    }

    /**
     * The run starts writing: an overwritten run's files are deleted, a resumed run's interrupted
     * checkpoint writes removed. Called once its configuration, data and checkpoint have been
     * checked, so a refused run changes nothing; {@link #writeConfig} begins by itself.
     */
    public void begin() {
        if (begun) return;
        begun = true;
        if (reuse == Reuse.OVERWRITE) deleteContents(path);
        if (reuse == Reuse.RESUME) removeInterruptedWrites(path);
    }

    /**
     * Releases the directory's lock (the process's end releases it too). A run that never began
     * removes what opening it made: the lock file and the directory, if they were not there before.
     */
    @Override
    public void close() {
        if (!begun && createdLockFile) {
            try {
                Files.deleteIfExists(path.resolve(RunLock.FILE)); // while still holding it: no other run took it meanwhile
            } catch (IOException ignored) {
                // a leftover lock file is harmless: it is ours and never goes stale
            }
        }
        lock.close();
        if (!begun && createdDirectory) removeIfEmpty(path);
    }

    private static void removeIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // not empty (someone wrote meanwhile) or gone: either way not ours to remove
        }
    }

    /**
     * Removes the hidden {@code .step_N.writing-*} and {@code .step_N.old-*} trees that a process killed in the
     * middle of writing a checkpoint leaves (AtomicDirectory's temporary names): this run holds the lock, so
     * no writer of them is alive.
     */
    private static void removeInterruptedWrites(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".step_*")) {
            for (Path p : s)
                if (hrm.io.AtomicDirectory.isTemporaryName(p.getFileName().toString(), "step_\\d+") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    hrm.io.AtomicDirectory.deleteTree(p);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    /**
     * A new run under {@code checkpoints/<project>/} with a generated name; a name already taken is drawn
     * again rather than refused, since the user chose none.
     */
    public static RunDirectory createWithGeneratedName(Path base, String project, String archName, RandomGenerator rng) {
        for (int i = 0; i < NAME_ATTEMPTS; i++) {
            Path dir = defaultPath(base, project, RunNames.defaultRun(archName, rng));
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return open(dir, Reuse.REFUSE);
        }
        throw new IllegalArgumentException("no free run name under " + base.resolve("checkpoints").resolve(project)
                + " after " + NAME_ATTEMPTS + " draws; give run_name=...");
    }

    public Path path() {
        return path;
    }

    public Path configFile() {
        return path.resolve(CONFIG_FILE);
    }

    /** Where the checkpoint of optimiser step {@code step} goes, named as the reference names it. */
    public Path checkpointDir(long step) {
        return path.resolve("step_" + step);
    }

    /** Writes the resolved configuration as {@code all_config.yaml}, atomically. */
    public void writeConfig(Map<String, ?> config) {
        begin();
        ConfigYaml.write(configFile(), config);
    }

    /** The run's metrics log, with the records a previous session left. */
    public MetricsLog openMetrics(InstantSource clock) {
        begin();
        return MetricsLog.open(path, clock);
    }

    /** Redraws the run's charts from the records so far. */
    public void writePlots(MetricsLog log) {
        MetricsPlots.write(path, log.records());
    }

    private static String component(String key, String name) {
        if (name == null || name.isBlank() || name.equals(".") || name.equals("..") || name.contains("/")
                || name.contains("\\") || name.indexOf('\0') >= 0)
            throw new IllegalArgumentException(key + " '" + name + "' cannot be a directory name: it must be non-empty, "
                    + "not '.' or '..', and contain no '/' or '\\'");
        return name;
    }

    /** Empty but for the lock file a finished run leaves. */
    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) if (!p.getFileName().toString().equals(RunLock.FILE)) return false;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    /** Deletes the run's files, not the lock this process holds on it. */
    private static void deleteContents(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!file.equals(dir.resolve(RunLock.FILE))) Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException error) throws IOException {
                    if (error != null) throw error;
                    if (!d.equals(dir)) Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear run directory " + dir + ": " + hrm.io.ErrorText.of(e), e);
        }
    }
}
