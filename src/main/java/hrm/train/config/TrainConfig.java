package hrm.train.config;

import hrm.data.DatasetMetadata;
import hrm.io.DidYouMean;
import hrm.model.ModelConfig;
import hrm.train.OptimiserSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The training run's keys, named and defaulted as the reference's {@code PretrainConfig}
 * (docs/model.md §1.3), plus a few of ours for CPU runs (docs/model.md §1.5). Every key is
 * checked; unknown keys are refused with the nearest known ones ({@link DidYouMean}) and the list
 * of them. The architecture is {@code arch}, typed; {@code archSection} is its section as composed,
 * kept only to be written back into {@code all_config.yaml} as it was given.
 */
public record TrainConfig(
        ModelConfig.Architecture arch, Map<String, Object> archSection, String dataPath, int globalBatchSize, long epochs, Long evalInterval,
        double lr, double lrMinRatio, long lrWarmupSteps, double weightDecay, double beta1, double beta2,
        double puzzleEmbLr, double puzzleEmbWeightDecay, String projectName, String runName, String checkpointPath,
        long seed, boolean checkpointEveryEval, List<String> evalSaveOutputs,
        long checkpointEverySteps, long evalEverySteps, long stopAtStep, int threads, RecursiveKeys recursive) {

    /**
     * The keys TinyRecursiveModels' pretrain.py adds (docs/model.md §1.4), for either model family:
     * the dataset given as {@code data_paths} (a list) rather than {@code data_path}, test sets of
     * their own, the moving average of the weights, training only the puzzle embedding, the first
     * evaluation's iteration, and the in-training evaluators.
     */
    public record RecursiveKeys(boolean dataPathsList, List<String> dataPathsTest, boolean ema, double emaRate,
                                boolean freezeWeights, long minEvalInterval, List<Object> evaluators) {
    }

    /** The reference's keys. */
    public static final Set<String> REFERENCE_KEYS = Set.of("arch", "data_path", "global_batch_size", "epochs", "eval_interval",
            "lr", "lr_min_ratio", "lr_warmup_steps", "weight_decay", "beta1", "beta2", "puzzle_emb_lr", "puzzle_emb_weight_decay",
            "project_name", "run_name", "checkpoint_path", "seed", "checkpoint_every_eval", "eval_save_outputs");
    /**
     * Ours: checkpoints between evaluations, evaluations inside a pass (eval_every_steps: the reference
     * evaluates only between passes of eval_interval epochs, and the pass length decides the data order,
     * so more evaluations that way would change what is trained), stopping early (resumable), CPU threads.
     */
    public static final Set<String> EXTRA_KEYS = Set.of("checkpoint_every_steps", "eval_every_steps", "stop_at_step", "threads");
    /** TinyRecursiveModels' pretrain.py's keys beyond HRM's. */
    public static final Set<String> RECURSIVE_KEYS = Set.of("data_paths", "data_paths_test", "ema", "ema_rate", "freeze_weights",
            "min_eval_interval", "evaluators", "load_checkpoint");
    /**
     * The keys that say where a run reads and writes, on how many threads, and when it stops, saves
     * or evaluates: a resumed run may change them and still compute what the uninterrupted run would.
     * Every other key (the architecture, the optimiser, the schedule, the batch, the seed, the moving
     * average) changes the math.
     */
    public static final Set<String> BOOKKEEPING_KEYS = Set.of("data_path", "data_paths", "data_paths_test", "project_name", "run_name",
            "checkpoint_path", "checkpoint_every_eval", "eval_save_outputs", "checkpoint_every_steps", "eval_every_steps", "stop_at_step", "threads",
            "min_eval_interval", "evaluators");
    private static final Set<String> ARCH_META = Set.of("loss");
    /** The keys of the arch section: the model's, less those the dataset sets, plus the loss head's section. */
    private static final Set<String> ARCH_KEYS = archKeys();
    private static final Set<String> LOSS_KEYS = Set.of("name", "loss_type");

    private static Set<String> archKeys() {
        Set<String> s = new TreeSet<>(ModelConfig.ARCH_KEYS);
        s.addAll(ARCH_META);
        return Set.copyOf(s);
    }

    public static TrainConfig fromMap(Map<String, Object> m) {
        Set<String> known = new TreeSet<>(REFERENCE_KEYS);
        known.addAll(EXTRA_KEYS);
        known.addAll(RECURSIVE_KEYS);
        for (String k : m.keySet())
            if (!known.contains(k)) throw new ConfigException(DidYouMean.unknownKey("", k, known));
        Values v = new Values(m, "");
        Object arch = m.get("arch");
        if (!(arch instanceof Map<?, ?>)) throw new ConfigException("arch: missing (expected the architecture section, e.g. from arch/hrm_v1.yaml)");
        @SuppressWarnings("unchecked") Map<String, Object> archMap = new LinkedHashMap<>((Map<String, Object>) arch);
        Long evalInterval = m.get("eval_interval") == null ? null : v.positiveLong("eval_interval");
        long epochs = v.positiveLong("epochs");
        if (evalInterval != null && epochs % evalInterval != 0)
            throw new ConfigException("eval_interval = " + evalInterval + ": must divide epochs = " + epochs);
        boolean pathsList = m.containsKey("data_paths");
        String dataPath;
        if (pathsList) {
            // data_paths (TinyRecursiveModels' spelling) wins over data_path, which the shipped cfg_pretrain.yaml always sets
            List<String> paths = v.stringList("data_paths", "[data/sudoku-extreme-1k-aug-1000]");
            if (paths.size() != 1)
                throw new ConfigException("data_paths = " + paths + ": exactly one dataset is supported (merging several is not implemented)");
            dataPath = paths.get(0);
        } else {
            dataPath = v.string("data_path", null);
        }
        List<String> pathsTest = v.stringList("data_paths_test", "[data/sudoku-extreme-full]");
        if (pathsTest.size() > 1)
            throw new ConfigException("data_paths_test = " + pathsTest + ": at most one test dataset is supported (merging several is not implemented)");
        double emaRate = v.m().get("ema_rate") == null ? 0.999 : v.number("ema_rate");
        if (!(emaRate >= 0 && emaRate <= 1)) throw new ConfigException("ema_rate = " + emaRate + ": must be in [0, 1]");
        Object evaluators = m.get("evaluators");
        if (evaluators != null && !(evaluators instanceof List<?>))
            throw new ConfigException("evaluators = " + evaluators + ": expected a list, e.g. [] or [{name: arc@ARC}]");
        @SuppressWarnings("unchecked") List<Object> evaluatorList = evaluators == null ? List.of() : List.copyOf((List<Object>) evaluators);
        if (m.get("load_checkpoint") != null)
            throw new ConfigException("load_checkpoint = " + m.get("load_checkpoint") + ": starting training from another run's weights is not implemented (resume a run of ours with --resume)");
        RecursiveKeys rk = new RecursiveKeys(pathsList, pathsTest, v.bool("ema", false), emaRate, v.bool("freeze_weights", false),
                v.nonNegativeLong("min_eval_interval", 0), evaluatorList);
        TrainConfig c = new TrainConfig(checkArch(archMap), archMap, dataPath, v.positiveInt("global_batch_size", Integer.MAX_VALUE), epochs,
                evalInterval, v.nonNegative("lr"), v.nonNegative("lr_min_ratio"), v.nonNegativeLong("lr_warmup_steps", 0),
                v.nonNegative("weight_decay"), v.unit("beta1"), v.unit("beta2"), v.nonNegative("puzzle_emb_lr"),
                v.nonNegative("puzzle_emb_weight_decay"), v.string("project_name", ""), v.string("run_name", ""),
                v.string("checkpoint_path", ""), v.longValue("seed", 0L), v.bool("checkpoint_every_eval", false),
                v.stringList("eval_save_outputs", "[inputs, labels, logits]"), v.nonNegativeLong("checkpoint_every_steps", 0),
                v.nonNegativeLong("eval_every_steps", 0), v.nonNegativeLong("stop_at_step", 0), v.nonNegativeInt("threads", 0, hrm.tensor.cpu.ThreadCount.MAX), rk);
        c.modelConfig(1, 1, 1, 1); // the sizes' checks now rather than after the data is opened
        if (c.lrMinRatio > 1) throw new ConfigException("lr_min_ratio = " + c.lrMinRatio + ": must be in [0, 1]");
        return c;
    }

    /** The arch section, typed: every key checked, each refusal naming the key as the user wrote it (arch.KEY). */
    private static ModelConfig.Architecture checkArch(Map<String, Object> arch) {
        for (String k : arch.keySet())
            if (ModelConfig.DATA_KEYS.contains(k)) throw new ConfigException("arch." + k + ": set by the dataset, not the configuration");
        // checked here, not only by ModelConfig, so the message and its suggestion name the key as the
        // user wrote it (arch.KEY) and never suggest a key the dataset sets
        for (String k : arch.keySet())
            if (!ARCH_KEYS.contains(k)) throw new ConfigException(DidYouMean.unknownKey("arch.", k, ARCH_KEYS));
        Map<String, Object> m = new LinkedHashMap<>();
        for (var e : arch.entrySet()) if (!ARCH_META.contains(e.getKey())) m.put(e.getKey(), e.getValue());
        if (arch.get("loss") instanceof Map<?, ?> loss) {
            for (var e : loss.entrySet())
                if (!LOSS_KEYS.contains(String.valueOf(e.getKey())))
                    throw new ConfigException(DidYouMean.unknownKey("arch.loss.", String.valueOf(e.getKey()), LOSS_KEYS));
            if (loss.get("loss_type") != null) m.put("loss_type", loss.get("loss_type"));
        }
        try {
            return ModelConfig.Architecture.fromMap(m);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("arch." + hrm.io.ErrorText.of(e), e);
        }
    }

    /** The activations' type the architecture asks for (forward_dtype). */
    public hrm.tensor.DataType activationType() {
        return arch.forwardDtype();
    }

    /** The model configuration: the architecture plus the shape the dataset dictates. */
    public ModelConfig modelConfig(DatasetMetadata train) {
        return modelConfig(globalBatchSize, train.seqLen(), train.vocabSize(), train.numPuzzleIdentifiers());
    }

    /** The model configuration for an explicit data shape (a checkpoint's or a fixture's). */
    public ModelConfig modelConfig(int batchSize, int seqLen, int vocabSize, int numPuzzleIdentifiers) {
        try {
            return new ModelConfig(new ModelConfig.DataShape(batchSize, seqLen, vocabSize, numPuzzleIdentifiers), arch);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("arch." + hrm.io.ErrorText.of(e), e);
        }
    }

    public OptimiserSettings optimiser() {
        return new OptimiserSettings(lr, puzzleEmbLr, weightDecay, puzzleEmbWeightDecay, beta1, beta2, recursive.freezeWeights());
    }

    /** Epochs per training pass: one evaluation per pass. */
    public long epochsPerPass() {
        return evalInterval == null ? epochs : evalInterval;
    }

    public long passes() {
        return epochs / epochsPerPass();
    }

    /** The reference's total_steps: epochs x groups x mean examples per puzzle / batch. */
    public long totalSteps(DatasetMetadata train) {
        return (long) (epochs * train.totalGroups() * train.meanPuzzleExamples() / globalBatchSize);
    }

    /** All keys with their values, as written beside checkpoints (all_config.yaml). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arch", archSection);
        if (recursive.dataPathsList()) m.put("data_paths", List.of(dataPath));
        else m.put("data_path", dataPath);
        m.put("global_batch_size", globalBatchSize);
        m.put("epochs", epochs);
        m.put("eval_interval", evalInterval);
        m.put("lr", lr);
        m.put("lr_min_ratio", lrMinRatio);
        m.put("lr_warmup_steps", lrWarmupSteps);
        m.put("weight_decay", weightDecay);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("puzzle_emb_lr", puzzleEmbLr);
        m.put("puzzle_emb_weight_decay", puzzleEmbWeightDecay);
        m.put("project_name", projectName.isEmpty() ? null : projectName);
        m.put("run_name", runName.isEmpty() ? null : runName);
        m.put("checkpoint_path", checkpointPath.isEmpty() ? null : checkpointPath);
        m.put("seed", seed);
        m.put("checkpoint_every_eval", checkpointEveryEval);
        m.put("eval_save_outputs", evalSaveOutputs);
        m.put("checkpoint_every_steps", checkpointEverySteps);
        m.put("eval_every_steps", evalEverySteps);
        m.put("stop_at_step", stopAtStep);
        m.put("threads", threads);
        if (recursive.dataPathsList() || !recursive.dataPathsTest().isEmpty()) m.put("data_paths_test", recursive.dataPathsTest());
        if (recursive.ema()) {
            m.put("ema", true);
            m.put("ema_rate", recursive.emaRate());
        }
        if (recursive.freezeWeights()) m.put("freeze_weights", true);
        if (recursive.minEvalInterval() != 0) m.put("min_eval_interval", recursive.minEvalInterval());
        if (!recursive.evaluators().isEmpty()) m.put("evaluators", recursive.evaluators());
        return m;
    }

    /**
     * The keys whose value differs from {@code earlier}'s and changes what training computes, each
     * as {@code key: old -> new} (architecture keys as {@code arch.KEY}, compared once typed, so 7e-5
     * and 0.00007 are the same value).
     */
    public List<String> mathChangesFrom(TrainConfig earlier) {
        Map<String, Object> now = mathKeys(), before = earlier.mathKeys();
        Set<String> keys = new TreeSet<>(now.keySet());
        keys.addAll(before.keySet());
        List<String> out = new java.util.ArrayList<>();
        for (String k : keys)
            if (!java.util.Objects.equals(now.get(k), before.get(k))) out.add(k + ": " + before.get(k) + " -> " + now.get(k));
        return out;
    }

    private Map<String, Object> mathKeys() {
        Map<String, Object> m = new java.util.TreeMap<>();
        toMap().forEach((k, v) -> {
            if (!BOOKKEEPING_KEYS.contains(k) && !k.equals("arch")) m.put(k, v);
        });
        arch.toMap().forEach((k, v) -> m.put("arch." + k, v));
        if (archSection.get("loss") instanceof Map<?, ?> loss) // key order is the file's: compare sorted
            loss.forEach((k, v) -> m.put("arch.loss." + k, String.valueOf(v)));
        return m;
    }

    public TrainConfig withNames(String project, String run, String checkpoint) {
        return new TrainConfig(arch, archSection, dataPath, globalBatchSize, epochs, evalInterval, lr, lrMinRatio, lrWarmupSteps, weightDecay,
                beta1, beta2, puzzleEmbLr, puzzleEmbWeightDecay, project, run, checkpoint, seed, checkpointEveryEval,
                evalSaveOutputs, checkpointEverySteps, evalEverySteps, stopAtStep, threads, recursive);
    }

    /** Typed reads of one section's keys, each error naming the key and the value. */
    private record Values(Map<String, Object> m, String prefix) {
        private Object need(String k) {
            Object v = m.get(k);
            if (v == null) throw new ConfigException(prefix + k + ": missing");
            return v;
        }

        double number(String k) {
            Object v = need(k);
            if (v instanceof Number n) return n.doubleValue();
            try {
                return Double.parseDouble(String.valueOf(v).strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(prefix + k + " = " + v + ": expected a number");
            }
        }

        double nonNegative(String k) {
            double d = number(k);
            if (!(d >= 0) || Double.isInfinite(d)) throw new ConfigException(prefix + k + " = " + d + ": must be a finite number >= 0");
            return d;
        }

        double unit(String k) {
            double d = number(k);
            if (!(d >= 0 && d < 1)) throw new ConfigException(prefix + k + " = " + d + ": must be in [0, 1)");
            return d;
        }

        long longValue(String k, Long dflt) {
            Object v = m.get(k);
            if (v == null) {
                if (dflt == null) throw new ConfigException(prefix + k + ": missing");
                return dflt;
            }
            double d = v instanceof Number n ? n.doubleValue() : parse(k, v);
            if (d != Math.rint(d) || Math.abs(d) > 9e15) throw new ConfigException(prefix + k + " = " + v + ": expected an integer");
            return (long) d;
        }

        private double parse(String k, Object v) {
            try {
                return Double.parseDouble(String.valueOf(v).strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(prefix + k + " = " + v + ": expected an integer");
            }
        }

        long positiveLong(String k) {
            long l = longValue(k, null);
            if (l <= 0) throw new ConfigException(prefix + k + " = " + l + ": must be > 0");
            return l;
        }

        /** A positive integer of at most max (an int: a larger value would wrap around). */
        int positiveInt(String k, int max) {
            long l = positiveLong(k);
            if (l > max) throw new ConfigException(prefix + k + " = " + l + ": must be at most " + max);
            return (int) l;
        }

        int nonNegativeInt(String k, int dflt, int max) {
            long l = nonNegativeLong(k, dflt);
            if (l > max) throw new ConfigException(prefix + k + " = " + l + ": must be at most " + max);
            return (int) l;
        }

        long nonNegativeLong(String k, long dflt) {
            long l = longValue(k, dflt);
            if (l < 0) throw new ConfigException(prefix + k + " = " + l + ": must be >= 0");
            return l;
        }

        boolean bool(String k, boolean dflt) {
            Object v = m.get(k);
            if (v == null) return dflt;
            if (v instanceof Boolean b) return b;
            String s = String.valueOf(v).strip().toLowerCase();
            if (s.equals("true")) return true;
            if (s.equals("false")) return false;
            throw new ConfigException(prefix + k + " = " + v + ": expected True or False");
        }

        String string(String k, String dflt) {
            Object v = m.get(k);
            if (v == null) {
                if (dflt == null) throw new ConfigException(prefix + k + ": missing");
                return dflt;
            }
            return String.valueOf(v);
        }

        List<String> stringList(String k, String example) {
            Object v = m.get(k);
            if (v == null) return List.of();
            if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
            throw new ConfigException(prefix + k + " = " + v + ": expected a list, e.g. " + k + "=" + example);
        }
    }
}
