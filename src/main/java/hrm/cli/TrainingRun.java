package hrm.cli;

import hrm.dist.Cluster;
import hrm.io.ShellQuote;
import hrm.runtime.Backends;
import hrm.tensor.Backend;
import hrm.tensor.cpu.WorkerPool;
import hrm.train.DataParallelStep;
import hrm.train.TrainCheckpoint;
import hrm.train.Trainer;
import hrm.train.config.TrainConfig;
import hrm.train.log.RunDirectory;
import hrm.train.log.RunLogListener;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/** A training run with its outputs: progress on stderr, metrics, plots and step_N checkpoints in the run directory. */
final class TrainingRun {
    private TrainingRun() {}

    /**
     * Without threads=: all cores in one process; under a launcher, the cores shared by the ranks
     * of this machine (Open MPI's OMPI_COMM_WORLD_LOCAL_SIZE, Hydra's MPI_LOCALNRANKS, Slurm's
     * SLURM_NTASKS_PER_NODE), so that two ranks on one machine do not each start a thread per core.
     */
    static int threadsPerRank(Cluster cluster, Map<String, String> env) {
        int cores = WorkerPool.defaultThreads();
        if (cluster.size() == 1) return cores;
        for (String k : new String[]{"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"}) {
            try {
                int local = Integer.parseInt(env.getOrDefault(k, "").strip());
                if (local > 0) return Math.max(1, cores / local);
            } catch (NumberFormatException ignored) {
                // not set, or not a number: try the next launcher's variable
            }
        }
        return cores;
    }

    /** Trains (from checkpoint when not null) and returns the last evaluation's metrics per set. */
    static Map<String, Map<String, Double>> run(TrainConfig cfg, RunDirectory run, Path checkpoint) {
        return run(cfg, run, checkpoint, Cluster.SINGLE, saved -> {});
    }

    /**
     * The same as one rank of a data-parallel run: rank 0 (with {@code run}) writes everything,
     * the other ranks (run null) train their slice and write nothing. Nothing is written before the
     * dataset is opened and the checkpoint restored: a run refused for its data or its checkpoint
     * leaves the run directory as it was. {@code afterCheckpoint} sees each checkpoint written.
     */
    static Map<String, Map<String, Double>> run(TrainConfig cfg, RunDirectory run, Path checkpoint, Cluster cluster,
                                                 Consumer<Path> afterCheckpoint) {
        int threads = cfg.threads() > 0 ? cfg.threads() : threadsPerRank(cluster, System.getenv());
        PrintWriter notices = cluster.isRoot() ? new PrintWriter(System.err, true) : new PrintWriter(Writer.nullWriter());
        try (Backend be = Backends.cpu(threads, cfg.activationType(), notices)) {
            Trainer trainer = new Trainer(cfg, be, cluster);
            if (checkpoint != null) TrainCheckpoint.restore(checkpoint, trainer);
            if (run == null) return trainer.run(); // a rank other than 0
            String computedWith = be.computePath(cfg.activationType());
            if (checkpoint != null && trainer.step() < trainer.totalSteps()) // a finished run computes no step: nothing to note
                noteAnotherComputePath(checkpoint, computedWith, notices);
            Path runPath = run.path().toAbsolutePath().normalize();
            TrainConfig named = cfg.withNames(runPath.getParent().getFileName().toString(), runPath.getFileName().toString(), run.path().toString());
            run.writeConfig(named.toMap()); // the run's first write
            System.err.printf("hrm train: %s, %,d parameters, %d steps (%d done), batch %d, %d threads%s, %s%n  run directory %s%n",
                    named.dataPath(), trainer.params().trainableSize(), trainer.totalSteps(), trainer.step(), named.globalBatchSize(), threads,
                    cluster.size() > 1 ? " per rank x " + cluster.describe() : "", be.describe(cfg.activationType()), ShellQuote.quote(run.path().normalize()));
            try (RunLogListener log = RunLogListener.onStderr(run, named.epochs(), named.globalBatchSize())) {
                trainer.listener(log).checkpoints((step, state) -> {
                    Path dir = run.checkpointDir(step);
                    TrainCheckpoint.write(dir, named, trainer, state, computedWith);
                    afterCheckpoint.accept(dir);
                    return dir;
                });
                Map<String, Map<String, Double>> last = cluster.size() == 1 ? SaveOnSignal.run(trainer) : trainer.run();
                DataParallelStep.Cost cost = trainer.collectiveCost();
                if (cost != null)
                    System.err.printf("data parallel: %.1f MB into the reductions per step and rank; %.1f ms of %.0f ms per step in collectives (%.1f%%)%n",
                            cost.bytesPerStep() / 1e6, 1e3 * cost.collectiveSeconds(), 1e3 * cost.stepSeconds(), 100 * cost.collectiveSeconds() / cost.stepSeconds());
                return last;
            }
        }
    }

    /**
     * Where a run's checkpoints are and the command that evaluates the latest, each on one line that
     * pastes into a shell as printed: the default run names have spaces (the authors' naming, kept).
     * Nothing when the run has no checkpoint yet (that command would be refused).
     */
    static void printWhere(Path runDir, PrintWriter out) {
        if (TrainCheckpoint.latest(runDir).isEmpty()) return;
        String dir = ShellQuote.quote(runDir.normalize());
        out.println("checkpoints in: " + dir);
        out.println("next: ./hrm eval " + CheckpointOption.FLAG + " " + dir);
    }

    /**
     * Resume is bit-identical only on the kernels the checkpoint was computed with: oneDNN and the
     * Java kernels (or two instruction sets, or two vector widths) sum in different orders. Said
     * once, at the start, rather than found later as a difference nobody can explain.
     */
    private static void noteAnotherComputePath(Path checkpoint, String now, PrintWriter err) {
        String before = TrainCheckpoint.computedWith(checkpoint);
        if (before == null || before.equals(now)) return;
        err.println("note: " + checkpoint + " was computed with " + before + "; this run computes with " + now
                + ": the steps from here are correct but not bit-identical to an uninterrupted run (the products sum in another order)");
    }
}
