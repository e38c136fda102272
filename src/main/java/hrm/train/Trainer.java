package hrm.train;

import hrm.data.DatasetMetadata;
import hrm.data.PuzzleDataset;
import hrm.data.TrainBatches;
import hrm.dist.Cluster;
import hrm.eval.ArcScorer;
import hrm.eval.Evaluator;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.ModelConfig;
import hrm.model.Metrics;
import hrm.model.Parameters;
import hrm.tensor.Backend;
import hrm.tensor.Tensor;
import hrm.train.config.ConfigException;
import hrm.train.config.TrainConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop of the reference's {@code pretrain.py} (docs/model.md §9): passes of
 * eval_interval epochs in the training order, one optimiser step per batch with the carry
 * streaming between steps, warm-up + cosine learning rates for both optimisers, an evaluation of
 * the test split after every pass, and checkpoints.
 *
 * <p>Data parallel ({@link Cluster} of N processes, docs/model.md §9 and docs/distributed.md): every rank
 * samples the same global batch and trains on its slice of global_batch_size / N rows (its
 * exploration draws those rows' draws); the gradients (of loss / global_batch_size) are summed over
 * the ranks before the optimisers, and the puzzle-embedding sign-SGD gets every rank's identifiers
 * and row gradients, so all ranks hold the same weights after every step, those of one process up
 * to the order of summation. The metrics are summed over the ranks; checkpoints hold the carry of
 * the whole global batch (gathered), so a run saved with N ranks resumes with any other number.
 */
public final class Trainer {
    /** Saves the state somewhere; the trainer decides when. */
    public interface CheckpointWriter {
        Path write(long step, TrainState state);
    }

    private final TrainConfig cfg;
    private final Backend be;
    private final ModelConfig model;
    private final PuzzleDataset train, test;
    private final Parameters params;
    private final TrainStep trainStep;
    private final Carry carry;
    private final TrainBatches sampler;
    private final Batch batch;
    private final LrSchedule lr, puzzleLr;
    private final StepExploration exploration;
    private final long totalSteps;
    private final Ema ema;
    private Evaluator evaluator;
    /** TRM's in-training ARC evaluator (evaluators: [{name: arc@ARC}]): one for the run, so votes pool across evaluations. */
    private final ArcScorer arcScorer;
    private TrainListener listener = TrainListener.NONE;
    private CheckpointWriter checkpoints;

    private long step;
    private boolean midPass, passFinished;
    private volatile boolean stopRequested;

    private final Cluster cluster;
    private final int localBatch;
    // data-parallel exchange buffers (null in one process)
    private final float[] gradHost, rowsLocal, rowsAll;
    private final int[] idsAll;
    private final Tensor rowsAllTensor;
    private final double[] metricSums = new double[8];
    private long collectiveNanos, trainNanos, parallelSteps;

    public Trainer(TrainConfig cfg, Backend backend) {
        this(cfg, backend, Cluster.SINGLE);
    }

    public Trainer(TrainConfig cfg, Backend backend, Cluster cluster) {
        this.cfg = cfg;
        this.be = backend;
        this.cluster = cluster;
        if (cfg.globalBatchSize() % cluster.size() != 0)
            throw new ConfigException("global_batch_size = " + cfg.globalBatchSize() + ": must be divisible by the " + cluster.size()
                    + " processes of the run (each takes global_batch_size / N rows)");
        this.localBatch = cfg.globalBatchSize() / cluster.size();
        Path data = Path.of(cfg.dataPath());
        // named as the user wrote it: data_paths=[D] (TinyRecursiveModels' spelling) or data_path=D
        String dataKey = cfg.recursive().dataPathsList() ? "data_paths = [" + cfg.dataPath() + "]" : "data_path = " + cfg.dataPath();
        if (!Files.isDirectory(data))
            throw new ConfigException(dataKey + ": no such dataset directory (build one with ./hrm data sudoku|maze|arc)");
        this.train = PuzzleDataset.open(data, "train");
        boolean ownTest = !cfg.recursive().dataPathsTest().isEmpty();
        Path testData = ownTest ? Path.of(cfg.recursive().dataPathsTest().get(0)) : data;
        String testKey = ownTest ? "data_paths_test = [" + testData + "]" : dataKey;
        if (!Files.isDirectory(testData))
            throw new ConfigException(testKey + ": no such dataset directory");
        this.test = Files.isDirectory(testData.resolve("test")) ? PuzzleDataset.open(testData, "test") : null;
        DatasetMetadata tm = train.metadata();
        if (test != null) {
            DatasetMetadata em = test.metadata();
            if (em.seqLen() != tm.seqLen() || em.vocabSize() != tm.vocabSize() || em.numPuzzleIdentifiers() != tm.numPuzzleIdentifiers())
                throw new ConfigException(testKey + ": the test split's seq_len/vocab_size/num_puzzle_identifiers ("
                        + em.seqLen() + "/" + em.vocabSize() + "/" + em.numPuzzleIdentifiers() + ") differ from the training split's ("
                        + tm.seqLen() + "/" + tm.vocabSize() + "/" + tm.numPuzzleIdentifiers() + ", " + dataKey + ")");
        }
        checkSameEverywhere(cfg, tm, cluster);
        // before any buffer is allocated: a batch larger than the data is refused at no cost
        this.totalSteps = cfg.totalSteps(tm);
        if (totalSteps < 1)
            throw new ConfigException("epochs = " + cfg.epochs() + " gives no training step: " + tm.totalGroups() + " groups x "
                    + tm.meanPuzzleExamples() + " examples per puzzle x epochs is less than global_batch_size = " + cfg.globalBatchSize());
        this.model = cfg.modelConfig(localBatch, tm.seqLen(), tm.vocabSize(), tm.numPuzzleIdentifiers());
        this.params = new Parameters(model, be);
        params.initialise(be, new SplittableRandom(cfg.seed()));
        this.trainStep = new TrainStep(params, be, cfg.optimiser());
        this.ema = cfg.recursive().ema() ? trainStep.enableEma(be, cfg.recursive().emaRate()) : null;
        this.carry = trainStep.initialCarry();
        this.sampler = new TrainBatches(train, cfg.globalBatchSize(), cfg.seed(), Math.toIntExact(cfg.epochsPerPass()),
                cluster.rank() * localBatch, localBatch);
        this.batch = sampler.newBatch();
        this.lr = new LrSchedule(cfg.lr(), cfg.lrWarmupSteps(), totalSteps, cfg.lrMinRatio());
        this.puzzleLr = new LrSchedule(cfg.puzzleEmbLr(), cfg.lrWarmupSteps(), totalSteps, cfg.lrMinRatio());
        this.exploration = new StepExploration(cfg.seed(), cluster.rank() * localBatch);
        boolean parallel = cluster.size() > 1;
        int ndim = model.puzzleEmbNdim();
        gradHost = parallel ? new float[params.trainableSize()] : null;
        idsAll = parallel ? new int[cfg.globalBatchSize()] : null;
        rowsLocal = parallel && ndim > 0 ? new float[localBatch * ndim] : null;
        rowsAll = parallel && ndim > 0 ? new float[cfg.globalBatchSize() * ndim] : null;
        rowsAllTensor = parallel && ndim > 0 ? be.allocate(cfg.globalBatchSize() * ndim) : null;
        this.arcScorer = arcEvaluator(cfg, test);
    }

    /** The evaluators the configuration names: ARC only (TinyRecursiveModels' arc@ARC), and only on an ARC test set. */
    private static ArcScorer arcEvaluator(TrainConfig cfg, PuzzleDataset test) {
        ArcScorer scorer = null;
        for (Object e : cfg.recursive().evaluators()) {
            Object name = e instanceof Map<?, ?> m ? m.get("name") : e;
            if (name == null || !(String.valueOf(name).equals("ARC") || String.valueOf(name).endsWith("@ARC")))
                throw new ConfigException("evaluators: " + e + ": the only evaluator is arc@ARC (TinyRecursiveModels' evaluators/arc.py)");
            if (test == null || !ArcScorer.isArcDataset(test))
                throw new ConfigException("evaluators: " + name + " scores ARC test sets; " + (test == null ? "this dataset has no test split" : test.dir() + " is not one")
                        + " (give evaluators=[] for other tasks)");
            scorer = new ArcScorer(test.identifiers(), test.metadata().blankIdentifierId(), hrm.model.ArcRules.TRM);
        }
        return scorer;
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
        return params;
    }

    public Backend backend() {
        return be;
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
                if (midPassEvalDue()) listener.onEval(step, evaluate()); // not the run's result: the pass's end evaluates again
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
            if (test != null && sampler.pass() - 1 >= cfg.recursive().minEvalInterval()) {
                lastEval = evaluate();
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
        int gbs = cfg.globalBatchSize();
        long t0 = System.nanoTime();
        Metrics m = trainStep.act().trainStep(carry, batch, exploration, gbs);
        if (cluster.size() > 1) {
            long t1 = System.nanoTime();
            sumOverRanks(m);
            collectiveNanos += System.nanoTime() - t1;
            parallelSteps++;
        }
        double loss = m.loss() / gbs;
        if (!Double.isFinite(loss)) throw new TrainingDivergedException(step, loss);
        double lrNow = lr.at(step);
        if (cluster.size() > 1) trainStep.stepOptimisers(idsAll, rowsAllTensor, lrNow, puzzleLr.at(step));
        else trainStep.stepOptimisers(carry, lrNow, puzzleLr.at(step));
        trainNanos += System.nanoTime() - t0;
        listener.onStep(step, totalSteps, trainMetrics(m, gbs, lrNow));
    }

    /**
     * What the data-parallel exchange cost so far: bytes each rank sends into the reductions per
     * step (gradients in float32, the puzzle rows and identifiers, the metrics), and the mean
     * seconds per step spent in the collectives and in the whole step; null in one process.
     */
    public double[] collectiveCost() {
        if (cluster.size() == 1 || parallelSteps == 0) return null;
        double bytes = 4.0 * gradHost.length + (rowsLocal == null ? 0 : 4.0 * rowsLocal.length) + 4.0 * localBatch + 8.0 * metricSums.length;
        return new double[]{bytes, collectiveNanos / 1e9 / parallelSteps, trainNanos / 1e9 / parallelSteps};
    }

    /**
     * The gradients summed over the ranks (float32, in one buffer: one allreduce per step), every
     * rank's puzzle identifiers and row gradients gathered, and the metric sums added up.
     */
    private void sumOverRanks(Metrics m) {
        be.download(params.grads(), gradHost, 0);
        cluster.sumFloats(gradHost, 0, gradHost.length);
        be.upload(gradHost, 0, params.grads());
        cluster.gatherInts(carry.puzzleIdentifiers, idsAll);
        if (rowsAll != null) {
            be.download(trainStep.act().inner().puzzleRowsGrad(), rowsLocal, 0);
            cluster.gatherFloats(rowsLocal, rowsAll);
            be.upload(rowsAll, 0, rowsAllTensor);
        }
        double[] s = metricSums;
        s[0] = m.count; s[1] = m.accuracy; s[2] = m.exactAccuracy; s[3] = m.qHaltAccuracy;
        s[4] = m.steps; s[5] = m.lmLoss; s[6] = m.qHaltLoss; s[7] = m.qContinueLoss;
        cluster.sumDoubles(s);
        m.count = s[0]; m.accuracy = s[1]; m.exactAccuracy = s[2]; m.qHaltAccuracy = s[3];
        m.steps = s[4]; m.lmLoss = s[5]; m.qHaltLoss = s[6]; m.qContinueLoss = s[7];
    }

    /**
     * Refuses, on every rank, a run whose ranks composed different configurations or opened
     * different datasets: rank 0's hash of both is compared with each rank's own.
     */
    private static void checkSameEverywhere(TrainConfig cfg, DatasetMetadata tm, Cluster cluster) {
        if (cluster.size() == 1) return;
        Map<String, Object> keys = new java.util.TreeMap<>(cfg.toMap());
        keys.remove("threads"); // may differ per machine
        int hash = java.util.Objects.hash(keys.toString(), tm.seqLen(), tm.vocabSize(), tm.numPuzzleIdentifiers(), tm.totalGroups(),
                tm.meanPuzzleExamples(), tm.sets());
        int[] all = new int[cluster.size()];
        cluster.gatherInts(new int[]{hash}, all);
        for (int r = 1; r < all.length; r++)
            if (all[r] != all[0])
                throw new ConfigException("rank " + r + " composed a different configuration or opened a different dataset than rank 0"
                        + " (data_path = " + cfg.dataPath() + "): every rank must run the same command on the same data");
    }

    /**
     * As the reference logs them: losses per global batch, the rest per halted sample. A step where no sample
     * halted (on the demo, halt_max_steps 4, three steps in four early on) has no per-halted-sample metrics:
     * they are left out rather than logged as 0, as the reference's {@code max(count, 1)} does, which would
     * draw a saw-tooth down to 0 through every accuracy curve.
     */
    static Map<String, Double> trainMetrics(Metrics m, int gbs, double lr) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("train/loss", m.loss() / gbs);
        if (m.count > 0) {
            out.put("train/accuracy", m.accuracy / m.count);
            out.put("train/exact_accuracy", m.exactAccuracy / m.count);
            out.put("train/q_halt_accuracy", m.qHaltAccuracy / m.count);
            out.put("train/steps", m.steps / m.count);
        }
        out.put("train/lm_loss", m.lmLoss / gbs);
        out.put("train/q_halt_loss", m.qHaltLoss / gbs);
        if (m.hasQContinue) out.put("train/q_continue_loss", m.qContinueLoss / gbs);
        out.put("train/count", m.count);
        out.put("train/lr", lr);
        return out;
    }

    private Map<String, Map<String, Double>> evaluate() {
        if (test == null) throw new ConfigException(cfg.dataPath() + ": no test split to evaluate");
        if (evaluator == null) evaluator = new Evaluator(trainStep.act());
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        // with ema the reference evaluates a copy of the model with the moving average in its weights;
        // the batches split over the ranks, except with ARC scoring, whose votes must see every prediction
        Cluster split = arcScorer == null ? cluster : Cluster.SINGLE;
        if (ema == null) out.putAll(evaluator.run(test, arcScorer, split));
        else ema.withShadow(() -> out.putAll(evaluator.run(test, arcScorer, split)));
        if (arcScorer != null) {
            Map<String, Double> arc = new LinkedHashMap<>(); // logged as ARC/pass@K, TinyRecursiveModels' names
            arcScorer.result().metrics().forEach((k, v) -> arc.put(k.substring("ARC/".length()), v));
            out.put("ARC", arc);
        }
        return out;
    }

    /** The moving average of the weights, or null when the run has none (ema false). */
    public Ema ema() {
        return ema;
    }

    /**
     * Whether the step just done is one of eval_every_steps' and the pass goes on after it (this pass has
     * drawn its next batch): at a pass's first batch, the step before it was the previous pass's last, which
     * that pass's own evaluation covered.
     */
    private boolean midPassEvalDue() {
        long every = cfg.evalEverySteps();
        return every > 0 && test != null && step > 0 && step % every == 0 && sampler.batchesInPass() > 1 && step <= totalSteps;
    }

    private void save() {
        if (checkpoints == null && cluster.size() == 1) return;
        TrainState s = captureState(); // every rank: the carry is gathered
        if (checkpoints == null) return; // only rank 0 writes
        Path p = checkpoints.write(step, s);
        listener.onCheckpoint(step, p);
    }

    /** The state of the whole run: with N ranks, the carry of the whole global batch (a collective: every rank calls it). */
    public TrainState captureState() {
        boolean[] halted = carry.halted;
        int[] haltedInts = new int[halted.length];
        for (int i = 0; i < halted.length; i++) haltedInts[i] = halted[i] ? 1 : 0;
        int[] allHalted = gather(haltedInts);
        boolean[] globalHalted = new boolean[allHalted.length];
        for (int i = 0; i < allHalted.length; i++) globalHalted[i] = allHalted[i] != 0;
        return new TrainState(step, sampler.pass(), sampler.batchesInPass(), passFinished,
                host(params.flat()), params.hInit() == null ? null : host(params.hInit()), params.lInit() == null ? null : host(params.lInit()),
                params.puzzleTable() == null ? new float[0] : host(params.puzzleTable()),
                host(trainStep.adam().firstMoment()), host(trainStep.adam().secondMoment()), trainStep.adam().stepCount(),
                gather(host(carry.zH)), gather(host(carry.zL)), gather(carry.steps.clone()), globalHalted,
                gather(carry.inputs.clone()), gather(carry.labels.clone()), gather(carry.puzzleIdentifiers.clone()),
                ema == null ? null : host(ema.shadow()));
    }

    private float[] gather(float[] mine) {
        if (cluster.size() == 1) return mine;
        float[] all = new float[mine.length * cluster.size()];
        cluster.gatherFloats(mine, all);
        return all;
    }

    private int[] gather(int[] mine) {
        if (cluster.size() == 1) return mine;
        int[] all = new int[mine.length * cluster.size()];
        cluster.gatherInts(mine, all);
        return all;
    }

    /** Continues from a saved state of a run with the same configuration. */
    public void restore(TrainState s) {
        // null: those weights were loaded already (from a checkpoint's state dict)
        if (s.weights() != null) upload(s.weights(), params.flat(), "weights");
        if (s.hInit() != null) upload(s.hInit(), params.hInit(), "H_init");
        if (s.lInit() != null) upload(s.lInit(), params.lInit(), "L_init");
        if (s.puzzleTable() != null && params.puzzleTable() != null) upload(s.puzzleTable(), params.puzzleTable(), "puzzle_emb.weights");
        if (ema != null) {
            if (s.emaShadow() == null) throw new IllegalArgumentException("the run has ema: True but the checkpoint holds no moving average");
            upload(s.emaShadow(), ema.shadow(), "EMA shadow");
        }
        upload(s.adamM(), trainStep.adam().firstMoment(), "Adam first moment");
        upload(s.adamV(), trainStep.adam().secondMoment(), "Adam second moment");
        trainStep.adam().setStepCount(s.adamSteps());
        // the state holds the carry of the whole global batch: this rank takes its rows
        int n = cluster.size(), r = cluster.rank();
        upload(slice(s.carryZH(), n, r, "carry z_H"), carry.zH, "carry z_H");
        upload(slice(s.carryZL(), n, r, "carry z_L"), carry.zL, "carry z_L");
        copy(slice(s.carrySteps(), n, r, "carry steps"), carry.steps, "carry steps");
        if (s.carryHalted().length != carry.halted.length * n) throw new IllegalArgumentException("carry halted: wrong size");
        System.arraycopy(s.carryHalted(), r * carry.halted.length, carry.halted, 0, carry.halted.length);
        copy(slice(s.carryInputs(), n, r, "carry inputs"), carry.inputs, "carry inputs");
        copy(slice(s.carryLabels(), n, r, "carry labels"), carry.labels, "carry labels");
        copy(slice(s.carryPuzzleIdentifiers(), n, r, "carry puzzle identifiers"), carry.puzzleIdentifiers, "carry puzzle identifiers");
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

    private static float[] slice(float[] all, int n, int r, String what) {
        if (all.length % n != 0) throw new IllegalArgumentException(what + ": " + all.length + " values do not split over " + n + " ranks");
        int len = all.length / n;
        return java.util.Arrays.copyOfRange(all, r * len, (r + 1) * len);
    }

    private static int[] slice(int[] all, int n, int r, String what) {
        if (all.length % n != 0) throw new IllegalArgumentException(what + ": " + all.length + " values do not split over " + n + " ranks");
        int len = all.length / n;
        return java.util.Arrays.copyOfRange(all, r * len, (r + 1) * len);
    }

    public Cluster cluster() {
        return cluster;
    }

    private float[] host(Tensor t) {
        float[] out = new float[t.size()];
        be.download(t, out, 0);
        return out;
    }

    private void upload(float[] src, Tensor dst, String what) {
        if (src.length != dst.size())
            throw new IllegalArgumentException(what + ": " + src.length + " values, the model needs " + dst.size());
        be.upload(src, 0, dst);
    }

    private static void copy(int[] src, int[] dst, String what) {
        if (src.length != dst.length) throw new IllegalArgumentException(what + ": " + src.length + " values, expected " + dst.length);
        System.arraycopy(src, 0, dst, 0, dst.length);
    }
}
