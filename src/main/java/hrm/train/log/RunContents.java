package hrm.train.log;

import hrm.io.AtomicDirectory;
import hrm.io.OutputDirectory;
import hrm.train.TrainCheckpoint;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a training run writes into its directory, and nothing else: the test that decides whether
 * {@code --overwrite} may delete a directory and whether {@code --resume} may write into one. A
 * directory that holds anything a run does not write is a user's, however much of it looks like a run.
 */
final class RunContents {
    /** A run's own files at the top of its directory. */
    private static final Set<String> TOP_FILES = Set.of(RunDirectory.CONFIG_FILE, MetricsLog.JSONL, MetricsLog.CSV, RunLock.FILE);
    /** The temporary name AtomicFiles writes a file under (a process killed mid-write leaves it). */
    private static final Pattern TEMPORARY_FILE = Pattern.compile("\\..+\\.\\d+\\.\\d+\\.tmp");

    private RunContents() {}

    /** The first entry of {@code dir} that a run does not write, described for a message; null if there is none. */
    static String foreignEntry(Path dir) {
        String config = notATrainingConfiguration(dir.resolve(RunDirectory.CONFIG_FILE));
        if (config != null) return config;
        for (String name : sorted(dir)) {
            Path p = dir.resolve(name);
            boolean ours = TOP_FILES.contains(name) ? isFile(p)
                    : name.matches("step_\\d+") ? isCheckpoint(p)
                    : name.equals(MetricsPlots.DIR) ? OutputDirectory.onlyFiles(p, n -> n.endsWith(".png") || TEMPORARY_FILE.matcher(n).matches())
                    : AtomicDirectory.isTemporaryName(name, "step_\\d+") ? Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    : TEMPORARY_FILE.matcher(name).matches() && isFile(p);
            if (!ours) return "it holds " + name + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : "") + ", which a run does not write";
        }
        return null;
    }

    /**
     * Why a resumed run may not write into {@code dir} (the directory of the checkpoint it resumes),
     * or null: its {@code all_config.yaml}, which a run writes before anything else, must be there
     * and be a training configuration, so a step_N copied into a user's folder does not replace a
     * file of theirs.
     */
    static String notResumable(Path dir) {
        Path config = dir.resolve(RunDirectory.CONFIG_FILE);
        if (!Files.exists(config, LinkOption.NOFOLLOW_LINKS))
            return "it has no " + RunDirectory.CONFIG_FILE + ", so it is not a run directory (a step_N resumes inside the run directory hrm train made)";
        return notATrainingConfiguration(config);
    }

    /** Null if the file is absent or a training configuration; else why not. */
    private static String notATrainingConfiguration(Path config) {
        if (!Files.exists(config, LinkOption.NOFOLLOW_LINKS)) return null;
        if (!isFile(config)) return "its " + RunDirectory.CONFIG_FILE + " is not a regular file";
        try {
            Map<String, Object> m = ConfigYaml.read(config);
            if (m.get("arch") instanceof Map<?, ?> && (m.containsKey("data_path") || m.containsKey("data_paths"))) return null;
        } catch (RuntimeException e) {
            return "its " + RunDirectory.CONFIG_FILE + " cannot be read as a training configuration (" + hrm.io.ErrorText.of(e) + ")";
        }
        return "its " + RunDirectory.CONFIG_FILE + " is not a training configuration (no arch section and data path)";
    }

    private static boolean isCheckpoint(Path step) {
        if (!Files.isDirectory(step, LinkOption.NOFOLLOW_LINKS)) return false;
        for (String n : OutputDirectory.entries(step)) {
            Path p = step.resolve(n);
            boolean ours = TrainCheckpoint.FILES.contains(n) ? isFile(p)
                    // the default outputs of hrm eval and hrm analyze for a checkpoint directory
                    : n.equals("eval") ? OutputDirectory.onlyFiles(p, hrm.eval.PredictionWriter::isEvaluationFile)
                    : n.equals("analysis") ? OutputDirectory.onlyFiles(p, hrm.analysis.AnalysisFiles::isOwnFile)
                    : AtomicDirectory.isTemporaryName(n, "eval") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            if (!ours) return false;
        }
        return true;
    }

    private static boolean isFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static List<String> sorted(Path dir) {
        List<String> names = OutputDirectory.entries(dir);
        names.sort(null);
        return names;
    }
}
