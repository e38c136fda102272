package hrm.train;

import hrm.data.DatasetMetadata;
import hrm.data.TrainBatches;
import hrm.dist.Cluster;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.ModelConfig;
import hrm.model.Metrics;
import hrm.model.Parameters;
import hrm.tensor.Backend;
import hrm.train.config.ConfigException;
import hrm.train.config.TrainConfig;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop of the reference's {@code pretrain.py} (docs/model.md §9): passes of
 * eval_interval epochs in the training order, one {@link TrainingStep} per batch with the carry
 * streaming between steps, warm-up + cosine learning rates for both optimisers, an evaluation of
 * the test split after every pass ({@link RunEvaluation}), and checkpoints ({@link TrainState}).
 *
 * <p>Data parallel ({@link Cluster} of N processes, docs/distributed.md): every rank samples the
 * same global batch and trains on its slice of global_batch_size / N rows (its exploration draws
 * those rows' draws), through a {@link DataParallelStep}; checkpoints hold the carry of the whole
 * global batch, so a run saved with N ranks resumes with any other number.
 */
public final class Trainer {
    /** Saves the state somewhere; the trainer decides when. */
    public interface CheckpointWriter {
        Path write(long step, TrainState state);
    }

    private final TrainConfig cfg;
    private final Cluster cluster;
    private final ModelConfig model;
    private final TrainStep local;
    private final TrainingStep trainingStep;
    private final RunEvaluation evaluation;
    private final Carry carry;
    private final TrainBatches sampler;
    private final Batch batch;
    private final LrSchedule lr, puzzleLr;
    private final StepExploration exploration;
    private final long totalSteps;
    private TrainListener listener = TrainListener.NONE;
    private CheckpointWriter checkpoints;

    private long step;
    private boolean midPass, passFinished;
    private volatile boolean stopRequested;

    public Trainer(TrainConfig cfg, Backend backend) {
        this(cfg, backend, Cluster.SINGLE);
    }

    public Trainer(TrainConfig cfg, Backend backend, Cluster cluster) {
        this.cfg = cfg;
        this.cluster = cluster;
        if (cfg.globalBatchSize() % cluster.size() != 0)
            throw new ConfigException("global_batch_size = " + cfg.globalBatchSize() + ": must be divisible by the " + cluster.size()
                    + " processes of the run (each takes global_batch_size / N rows)");
        int localBatch = cfg.globalBatchSize() / cluster.size();
        TrainingData data = TrainingData.open(cfg, cluster);
        DatasetMetadata tm = data.train().metadata();
        // before any buffer is allocated: a batch larger than the data is refused at no cost
        this.totalSteps = cfg.totalSteps(tm);
        if (totalSteps < 1)
            throw new ConfigException("epochs = " + cfg.epochs() + " gives no training step: " + tm.totalGroups() + " groups x "
                    + tm.meanPuzzleExamples() + " examples per puzzle x epochs is less than global_batch_size = " + cfg.globalBatchSize());
        this.model = cfg.modelConfig(localBatch, tm.seqLen(), tm.vocabSize(), tm.numPuzzleIdentifiers());
        Parameters params = new Parameters(model, backend);
        params.initialise(backend, new SplittableRandom(cfg.seed()));
        this.local = new TrainStep(params, backend, cfg.optimiser());
        if (cfg.recursive().ema()) local.enableEma(backend, cfg.recursive().emaRate());
        this.trainingStep = cluster.size() > 1 ? new DataParallelStep(local, cluster) : local;
        this.carry = local.initialCarry();
        this.sampler = new TrainBatches(data.train(), cfg.globalBatchSize(), cfg.seed(), Math.toIntExact(cfg.epochsPerPass()),
                cluster.rank() * localBatch, localBatch);
        this.batch = sampler.newBatch();
        this.lr = new LrSchedule(cfg.lr(), cfg.lrWarmupSteps(), totalSteps, cfg.lrMinRatio());
        this.puzzleLr = new LrSchedule(cfg.puzzleEmbLr(), cfg.lrWarmupSteps(), totalSteps, cfg.lrMinRatio());
        this.exploration = new StepExploration(cfg.seed(), cluster.rank() * localBatch);
        this.evaluation = new RunEvaluation(cfg, data.test(), local, cluster);
    }

    public Trainer listener(TrainListener l) {
        this.listener = l;
        return this;
    }

    public Trainer checkpoints(CheckpointWriter w) {
        this.checkpoints = w;
        return this;
    }

    public ModelConfig modelConfig() {
        return model;
    }

    public Parameters params() {
        return local.params();
    }

    public Backend backend() {
        return local.backend();
    }

    /** The moving average of the weights, or null when the run has none (ema false). */
    public Ema ema() {
        return local.ema();
    }

    public Cluster cluster() {
        return cluster;
    }

    public long step() {
        return step;
    }

    public long totalSteps() {
        return totalSteps;
    }

    /**
     * Runs to the end of training, or to stop_at_step or a stop request. Returns the evaluation that ended
     * training; empty when it stopped before the end (an evaluation made on the way is not the result: the
     * demo tells a finished run from a stopped one by it) or when no evaluation ran.
     */
    public Map<String, Map<String, Double>> run() {
        listener.onStart(step, totalSteps);
        Map<String, Map<String, Double>> lastEval = Map.of();
        long passes = cfg.passes();
        while (sampler.pass() < passes || midPass) {
            if (!midPass) sampler.startPass();
            midPass = true;
            passFinished = false;
            while (sampler.next(batch)) {
                // eval_every_steps: evaluated here, once the pass is known to go on (at its end the pass's own
                // evaluation comes); a run resumed from this step's checkpoint evaluates it again, and the
                // metrics log keeps one record of it
                if (midPassEvalDue()) listener.onEval(step, evaluation.run()); // not the run's result: the pass's end evaluates again
                step++;
                if (step <= totalSteps) trainOne();
                if (stopHere() || stopRequested) {
                    save();
                    return Map.of();
                }
                if (cfg.checkpointEverySteps() > 0 && step % cfg.checkpointEverySteps() == 0) save();
            }
            midPass = false;
            passFinished = true;
            if (evaluation.hasTestSplit() && sampler.pass() - 1 >= cfg.recursive().minEvalInterval()) {
                lastEval = evaluation.run();
                listener.onEval(step, lastEval);
            }
            if (cfg.checkpointEveryEval() || sampler.pass() == passes) save();
        }
        return lastEval;
    }

    /**
     * Asks the loop (from another thread: a signal's shutdown hook) to save a checkpoint after the
     * step in progress and return, as stop_at_step does: an interrupted run loses no finished step.
     */
    public void requestStop() {
        stopRequested = true;
    }

    private boolean stopHere() {
        return cfg.stopAtStep() > 0 && step >= cfg.stopAtStep();
    }

    private void trainOne() {
        exploration.atStep(step);
        double lrNow = lr.at(step);
        Metrics m = trainingStep.run(step, carry, batch, exploration, lrNow, puzzleLr.at(step));
        listener.onStep(step, totalSteps, trainMetrics(m, trainingStep.globalBatchSize(), lrNow));
    }

    /** What the data-parallel exchange cost so far; null in one process or before the first step. */
    public DataParallelStep.Cost collectiveCost() {
        return trainingStep instanceof DataParallelStep d ? d.cost() : null;
    }

    /** As the reference logs them (see {@link Metrics#perGlobalBatch}), under train/, and the learning rate. */
    static Map<String, Double> trainMetrics(Metrics m, int gbs, double lr) {
        Map<String, Double> out = m.perGlobalBatch("train/", gbs);
        out.put("train/lr", lr);
        return out;
    }

    /**
     * Whether the step just done is one of eval_every_steps' and the pass goes on after it (this pass has
     * drawn its next batch): at a pass's first batch, the step before it was the previous pass's last, which
     * that pass's own evaluation covered.
     */
    private boolean midPassEvalDue() {
        long every = cfg.evalEverySteps();
        return every > 0 && evaluation.hasTestSplit() && step > 0 && step % every == 0 && sampler.batchesInPass() > 1 && step <= totalSteps;
    }

    private void save() {
        if (checkpoints == null && cluster.size() == 1) return;
        TrainState s = captureState(); // every rank: the carry is gathered
        if (checkpoints == null) return; // only rank 0 writes
        Path p = checkpoints.write(step, s);
        listener.onCheckpoint(step, p);
    }

    /** The state of the whole run (a collective with N ranks: every rank calls it). */
    public TrainState captureState() {
        return TrainState.capture(step, sampler.pass(), sampler.batchesInPass(), passFinished, local, carry, cluster);
    }

    /** Continues from a saved state of a run with the same configuration. */
    public void restore(TrainState s) {
        s.restore(local, carry, cluster);
        step = s.step();
        if (s.passFinished()) {
            midPass = false;
            passFinished = true;
            if (s.pass() > 0) sampler.seek(s.pass(), 0); // only the pass counter matters: the next pass starts fresh
        } else {
            sampler.seek(s.pass(), s.batchesInPass());
            midPass = true;
        }
    }
}
