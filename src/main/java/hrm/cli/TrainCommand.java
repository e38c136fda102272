package hrm.cli;

import hrm.dist.Cluster;
import hrm.dist.MpiCluster;
import hrm.train.TrainCheckpoint;
import hrm.train.TrainingDivergedException;
import hrm.train.config.ConfigLoader;
import hrm.train.config.TrainConfig;
import hrm.train.log.ConfigYaml;
import hrm.train.log.RunDirectory;
import hrm.train.log.RunNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/** {@code hrm train key=value ...}: the reference's pretrain.py. */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Train HRM or TRM (the authors' pretrain.py command lines)",
        description = {"Train HRM (the reference's pretrain.py): ./hrm train data_path=DIR epochs=20000 eval_interval=2000 lr=7e-5 ...",
                "Keys and defaults as config/cfg_pretrain.yaml + config/arch/hrm_v1.yaml; model keys as arch.KEY=VALUE.",
                "Ours: checkpoint_every_steps=N, stop_at_step=N (save and stop; continue with --resume), threads=N."})
public final class TrainCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "KEY=VALUE", description = "configuration overrides, e.g. data_path=data/sudoku-extreme-1k-aug-1000 arch.L_cycles=8")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--config-dir", description = "directory with cfg_pretrain.yaml and arch/ (default: ./config, else the built-in copy)")
    Path configDir;

    @Option(names = "--config-name", defaultValue = "cfg_pretrain", description = "primary config file name without .yaml (default: ${DEFAULT-VALUE})")
    String configName;

    @Option(names = RunDirectory.RESUME_FLAG, paramLabel = "DIR", description = "continue a run: its directory (latest step_N) or one step_N checkpoint")
    Path resume;

    @Option(names = RunDirectory.OVERWRITE_FLAG, description = "delete an existing run directory of the same name first (only one that holds nothing but a run's files)")
    boolean overwrite;

    @Option(names = ACCEPT_CHANGES_FLAG, description = "with --resume: continue with keys that change the training math (lr, arch..., epochs): the run then differs from an uninterrupted one")
    boolean acceptChanges;

    static final String ACCEPT_CHANGES_FLAG = "--accept-changes";

    @Override
    public Integer call() {
        Path checkpoint = resume == null ? null : TrainCheckpoint.locate(resume);
        TrainConfig cfg = checkpoint == null
                ? TrainConfig.fromMap((configDir == null ? ConfigLoader.standard() : new ConfigLoader(configDir)).load(configName, overrides))
                : resumedConfig(checkpoint);
        Cluster cluster = MpiCluster.fromEnvironment(System.getenv());
        if (cluster.size() == 1) {
            try (RunDirectory run = runDirectory(cfg, checkpoint)) {
                TrainingRun.run(cfg, run, checkpoint);
                TrainingRun.printWhere(run.path(), spec.commandLine().getErr());
            } catch (TrainingDivergedException e) {
                return ErrorReport.oneLine(spec.commandLine(), e, 3);
            }
            return 0;
        }
        return distributed(cfg, checkpoint, cluster);
    }

    /**
     * The checkpoint's configuration with the command line's overrides, checked before anything is
     * written: an override that changes what training computes is refused unless asked for, and
     * a stop at or before the checkpoint's step is refused rather than run one step past it.
     */
    private TrainConfig resumedConfig(Path checkpoint) {
        Map<String, Object> saved = ConfigYaml.read(TrainCheckpoint.configFile(checkpoint));
        saved.put("stop_at_step", 0); // the stop that ended the previous session
        TrainConfig before = TrainConfig.fromMap(saved), cfg = TrainConfig.fromMap(ConfigLoader.applyOverrides(saved, overrides));
        List<String> changed = cfg.mathChangesFrom(before);
        if (!changed.isEmpty() && !acceptChanges)
            throw new IllegalArgumentException(RunDirectory.RESUME_FLAG + " " + resume + ": " + String.join(", ", changed)
                    + " would change what the resumed steps compute; add " + ACCEPT_CHANGES_FLAG + " to continue with "
                    + (changed.size() == 1 ? "it" : "them") + " (the run then differs from an uninterrupted one), or leave "
                    + (changed.size() == 1 ? "it" : "them") + " out");
        long at = TrainCheckpoint.step(checkpoint);
        if (cfg.stopAtStep() > 0 && cfg.stopAtStep() <= at)
            throw new hrm.train.config.ConfigException("stop_at_step = " + cfg.stopAtStep() + ": " + checkpoint
                    + " is at step " + at + " already; give a later step, or none to run to the end");
        return cfg;
    }

    /**
     * One rank of {@code mpirun -np N ./hrm train ...}. Rank 0 owns the run directory; the others
     * write nothing. Any failure on any rank prints one line naming the rank and ends every rank
     * (MPI_Abort), so no rank waits for one that is gone; the last complete checkpoint stays.
     */
    private int distributed(TrainConfig cfg, Path checkpoint, Cluster cluster) {
        String who = "hrm train: rank " + cluster.rank() + " of " + cluster.size() + ": ";
        try {
            if (cluster.isRoot()) {
                try (RunDirectory run = runDirectory(cfg, checkpoint)) {
                    TrainingRun.run(cfg, run, checkpoint, cluster, saved -> {});
                    TrainingRun.printWhere(run.path(), spec.commandLine().getErr());
                }
            } else {
                TrainingRun.run(cfg, null, checkpoint, cluster, saved -> {});
            }
        } catch (TrainingDivergedException e) {
            if (Main.debug(Main.env(spec))) e.printStackTrace(spec.commandLine().getErr());
            spec.commandLine().getErr().println(who + hrm.io.ErrorText.of(e));
            cluster.abort(3);
        } catch (RuntimeException | Error e) {
            spec.commandLine().getErr().println(who + (Main.isBadInput(e) ? hrm.io.ErrorText.of(e) : e));
            if (!Main.isBadInput(e) || Main.debug(Main.env(spec))) e.printStackTrace(spec.commandLine().getErr());
            cluster.abort(Main.isBadInput(e) ? 2 : 1);
        }
        cluster.close();
        return 0;
    }

    private RunDirectory runDirectory(TrainConfig cfg, Path checkpoint) {
        if (checkpoint != null) {
            Path runDir = checkpoint.toAbsolutePath().getParent();
            return RunDirectory.open(runDir, RunDirectory.Reuse.RESUME);
        }
        RunDirectory.Reuse reuse = overwrite ? RunDirectory.Reuse.OVERWRITE : RunDirectory.Reuse.REFUSE;
        String archName = cfg.arch().family().className();
        if (!cfg.checkpointPath().isEmpty()) return RunDirectory.open(Path.of(cfg.checkpointPath()), reuse);
        String project = cfg.projectName().isEmpty() ? RunNames.defaultProject(cfg.dataPath()) : cfg.projectName();
        if (!cfg.runName().isEmpty()) return RunDirectory.open(RunDirectory.defaultPath(Path.of("."), project, cfg.runName()), reuse);
        return RunDirectory.createWithGeneratedName(Path.of("."), project, archName, new Random());
    }
}
