package hrm.cli;

import hrm.io.AtomicDirectory;
import hrm.io.OutputDirectory;
import hrm.train.TrainCheckpoint;
import hrm.train.config.TrainConfig;
import hrm.train.log.ConfigYaml;
import hrm.train.log.MetricsLog;
import hrm.train.log.MetricsRecord;
import hrm.train.log.RunDirectory;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where {@code hrm demo} trains, so that no demo loses another's model: a run with the same
 * settings (the same data and the same training math) is continued from its last checkpoint, one
 * with other settings is left alone and the new run goes beside it ({@code run}, {@code run-2},
 * {@code run-3}, ...). A demo checkpoints as it goes and keeps its latest checkpoint only.
 */
final class DemoRuns {
    /** Runs of other settings beside the first before the demo asks the user to clean up. */
    private static final int MAX_RUNS = 100;

    /** The run directory, how to open it, the checkpoint to continue from (or null), and what to tell the user (or null). */
    record Choice(Path dir, RunDirectory.Reuse reuse, Path checkpoint, String note) {}

    private DemoRuns() {}

    static Choice choose(Path demoDir, String base, TrainConfig cfg) {
        List<Path> others = new ArrayList<>();
        for (int i = 1; i <= MAX_RUNS; i++) {
            Path d = demoDir.resolve(i == 1 ? base : base + "-" + i);
            if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS) || OutputDirectory.entries(d).isEmpty())
                return new Choice(d, RunDirectory.Reuse.REFUSE, null, others.isEmpty() ? null
                        : "an earlier demo with other settings is kept in " + others.getLast() + "; this one trains in " + d);
            if (!sameSettings(d, cfg)) {
                others.add(d);
                continue;
            }
            Path checkpoint = latestCheckpoint(d);
            if (checkpoint == null)
                return new Choice(d, RunDirectory.Reuse.OVERWRITE, null,
                        "an earlier demo with these settings stopped in " + d + " before its first checkpoint: starting it again");
            return new Choice(d, RunDirectory.Reuse.RESUME, checkpoint,
                    "an earlier demo with these settings is in " + d + ": continuing from its checkpoint at step " + TrainCheckpoint.step(checkpoint));
        }
        throw new IllegalArgumentException(demoDir + ": " + MAX_RUNS + " demo runs with other settings are there already; remove some, or give --dir");
    }

    /** Whether {@code dir} is a run of this configuration: the same data and nothing that changes the training math. */
    private static boolean sameSettings(Path dir, TrainConfig cfg) {
        Path config = dir.resolve(RunDirectory.CONFIG_FILE);
        if (!Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)) return false;
        try {
            TrainConfig earlier = TrainConfig.fromMap(ConfigYaml.read(config));
            return earlier.dataPath().equals(cfg.dataPath()) && cfg.mathChangesFrom(earlier).isEmpty();
        } catch (RuntimeException e) {
            return false; // not a configuration this version reads: someone else's, kept
        }
    }

    private static Path latestCheckpoint(Path dir) {
        try {
            return TrainCheckpoint.locate(dir);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * After checkpoint {@code saved} is written, removes the earlier checkpoints of its run that hold
     * nothing but a checkpoint's files (the demo wrote them; one an evaluation was saved into stays).
     */
    static void removeSuperseded(Path saved) {
        long step = TrainCheckpoint.stepNumber(saved);
        for (String name : OutputDirectory.entries(saved.getParent())) {
            Path old = saved.resolveSibling(name);
            long n = TrainCheckpoint.stepNumber(old);
            if (n < 0 || n >= step) continue;
            if (OutputDirectory.onlyFiles(old, TrainCheckpoint.FILES::contains)) AtomicDirectory.deleteTree(old);
        }
    }

    /** The evaluation logged at {@code step} (a finished run continued: it has nothing left to train), per set; empty if none. */
    static Map<String, Map<String, Double>> lastEvaluation(Path runDir, long step) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (MetricsRecord r : MetricsLog.readRecords(runDir)) {
            if (r.step() != step) continue;
            r.metrics().forEach((k, v) -> {
                int slash = k.indexOf('/');
                if (slash > 0 && !k.startsWith("train/")) out.computeIfAbsent(k.substring(0, slash), s -> new LinkedHashMap<>()).put(k.substring(slash + 1), v);
            });
        }
        return out;
    }
}
