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

    @Option(names = RunDirectory.OVERWRITE_FLAG, description = "delete an existing run directory of the same name first")
    boolean overwrite;

    @Override
    public Integer call() {
        Path checkpoint = resume == null ? null : TrainCheckpoint.locate(resume);
        Map<String, Object> map = checkpoint == null
                ? (configDir == null ? ConfigLoader.standard() : new ConfigLoader(configDir)).load(configName, overrides)
                : ConfigLoader.applyOverrides(resumedConfig(checkpoint), overrides);
        TrainConfig cfg = TrainConfig.fromMap(map);
        Cluster cluster = MpiCluster.fromEnvironment(System.getenv());
        if (cluster.size() == 1) {
            try (RunDirectory run = runDirectory(cfg, checkpoint)) {
                TrainingRun.run(cfg, run, checkpoint);
            } catch (TrainingDivergedException e) {
                spec.commandLine().getErr().println("hrm train: " + e.getMessage());
                return 3;
            }
            return 0;
        }
        return distributed(cfg, checkpoint, cluster);
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
                    TrainingRun.run(cfg, run, checkpoint, cluster);
                }
            } else {
                TrainingRun.run(cfg, null, checkpoint, cluster);
            }
        } catch (TrainingDivergedException e) {
            spec.commandLine().getErr().println(who + e.getMessage());
            cluster.abort(3);
        } catch (RuntimeException | Error e) {
            spec.commandLine().getErr().println(who + (Main.isBadInput(e) ? e.getMessage() : e));
            if (!Main.isBadInput(e)) e.printStackTrace(spec.commandLine().getErr());
            cluster.abort(Main.isBadInput(e) ? 2 : 1);
        }
        cluster.close();
        return 0;
    }

    /** The checkpoint's configuration, less the stop that ended the previous session. */
    private static Map<String, Object> resumedConfig(Path checkpoint) {
        Map<String, Object> m = ConfigYaml.read(TrainCheckpoint.configFile(checkpoint));
        m.put("stop_at_step", 0);
        return m;
    }

    private RunDirectory runDirectory(TrainConfig cfg, Path checkpoint) {
        if (checkpoint != null) {
            Path runDir = checkpoint.toAbsolutePath().getParent();
            return RunDirectory.open(runDir, RunDirectory.Reuse.RESUME);
        }
        RunDirectory.Reuse reuse = overwrite ? RunDirectory.Reuse.OVERWRITE : RunDirectory.Reuse.REFUSE;
        String archName = String.valueOf(cfg.arch().getOrDefault("name", "HierarchicalReasoningModel_ACTV1"));
        if (!cfg.checkpointPath().isEmpty()) return RunDirectory.open(Path.of(cfg.checkpointPath()), reuse);
        String project = cfg.projectName().isEmpty() ? RunNames.defaultProject(cfg.dataPath()) : cfg.projectName();
        if (!cfg.runName().isEmpty()) return RunDirectory.open(RunDirectory.defaultPath(Path.of("."), project, cfg.runName()), reuse);
        return RunDirectory.createWithGeneratedName(Path.of("."), project, archName, new Random());
    }
}
