package hrm.checkpoint;

import hrm.model.HrmConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code all_config.yaml} the reference writes beside its checkpoints: the training run's keys
 * at the top level and the model under {@code arch:} (with {@code name} and {@code loss: {name,
 * loss_type}}). The data-derived model keys (batch size, sequence length, vocabulary, puzzle
 * identifiers) are not in the file, as in the reference: {@link #modelConfig} takes them.
 *
 * <p>Read with SnakeYAML's safe constructor (plain maps, lists, strings, numbers, booleans;
 * duplicate keys refused). Whole-value OmegaConf interpolations such as
 * {@code puzzle_emb_ndim: ${.hidden_size}} (as in the reference's {@code hrm_v1.yaml}) are resolved.
 * Unknown keys and values of the wrong type are errors naming the file and the key.
 */
public final class AllConfig {
    public static final String FILE_NAME = "all_config.yaml";
    public static final String ARCH_NAME = "hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1";
    public static final String LOSS_NAME = "losses@ACTLossHead";

    /** The reference's PretrainConfig fields (pretrain.py) and the type each must have. */
    private static final Map<String, Class<?>> TRAINING_KEYS = trainingKeys();
    /** Model keys that come from the dataset's metadata and the batch size, never from arch. */
    private static final Set<String> DATA_KEYS = Set.of("batch_size", "seq_len", "vocab_size", "num_puzzle_identifiers");
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{(\\.*)([A-Za-z_][\\w.]*)}");

    private static Map<String, Class<?>> trainingKeys() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (String k : List.of("data_path", "project_name", "run_name", "checkpoint_path")) m.put(k, String.class);
        for (String k : List.of("global_batch_size", "epochs", "lr_warmup_steps", "seed", "eval_interval")) m.put(k, Integer.class);
        for (String k : List.of("lr", "lr_min_ratio", "weight_decay", "beta1", "beta2", "puzzle_emb_lr", "puzzle_emb_weight_decay"))
            m.put(k, Double.class);
        m.put("checkpoint_every_eval", Boolean.class);
        m.put("eval_save_outputs", List.class);
        return Collections.unmodifiableMap(m);
    }

    private final Path file;
    private final Map<String, Object> arch;
    private final Map<String, Object> training;
    private final String lossType;

    private AllConfig(Path file, Map<String, Object> arch, String lossType, Map<String, Object> training) {
        this.file = file;
        this.arch = arch;
        this.lossType = lossType;
        this.training = training;
    }

    /** The {@code all_config.yaml} in the same directory as a checkpoint file. */
    public static AllConfig besides(Path checkpoint) {
        Path yaml = checkpoint.toAbsolutePath().resolveSibling(FILE_NAME);
        if (!Files.isRegularFile(yaml))
            throw new IllegalArgumentException(checkpoint + ": no " + FILE_NAME + " beside it (" + yaml + "); the released checkpoints come with one");
        return read(yaml);
    }

    public static AllConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return parse(file, text);
    }

    /** Parses YAML text; {@code file} names it in messages. */
    public static AllConfig parse(Path file, String text) {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(false);
        opts.setMaxAliasesForCollections(10);
        Object root;
        try {
            root = new Yaml(new SafeConstructor(opts)).load(text);
        } catch (YAMLException e) {
            throw bad(file, "not valid YAML: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top)) throw bad(file, "expected a mapping of keys at the top level");
        Map<String, Object> resolvedTop = resolve(file, top, List.of(), top);

        Map<String, Object> training = new LinkedHashMap<>();
        Map<String, Object> arch = null;
        for (Map.Entry<String, Object> e : resolvedTop.entrySet()) {
            String k = e.getKey();
            if (k.equals("arch")) {
                if (!(e.getValue() instanceof Map<?, ?> a)) throw bad(file, "arch: expected a mapping");
                @SuppressWarnings("unchecked") Map<String, Object> am = (Map<String, Object>) a;
                arch = am;
                continue;
            }
            Class<?> type = TRAINING_KEYS.get(k);
            if (type == null) throw bad(file, "unknown key '" + k + "' (known: arch, " + String.join(", ", new TreeSet<>(TRAINING_KEYS.keySet())) + ")");
            training.put(k, checkType(file, k, e.getValue(), type));
        }
        if (arch == null) throw bad(file, "no 'arch' section (the model's keys)");

        Map<String, Object> model = new LinkedHashMap<>();
        String lossType = null;
        for (Map.Entry<String, Object> e : arch.entrySet()) {
            String k = e.getKey(), key = "arch." + k;
            Object v = e.getValue();
            switch (k) {
                case "name" -> {
                    if (!ARCH_NAME.equals(v)) throw bad(file, key + " = " + v + ": only " + ARCH_NAME + " is supported");
                }
                case "loss" -> {
                    if (!(v instanceof Map<?, ?> loss)) throw bad(file, key + ": expected a mapping with name and loss_type");
                    for (Map.Entry<?, ?> le : loss.entrySet()) {
                        String lk = String.valueOf(le.getKey());
                        if (lk.equals("name")) {
                            if (!LOSS_NAME.equals(le.getValue())) throw bad(file, key + ".name = " + le.getValue() + ": only " + LOSS_NAME + " is supported");
                        } else if (lk.equals("loss_type")) {
                            lossType = String.valueOf(le.getValue());
                            try {
                                HrmConfig.LossType.parse(lossType);
                            } catch (IllegalArgumentException x) {
                                throw bad(file, "arch.loss." + x.getMessage());
                            }
                        } else {
                            throw bad(file, "unknown key '" + key + "." + lk + "' (known: name, loss_type)");
                        }
                    }
                }
                default -> {
                    if (DATA_KEYS.contains(k))
                        throw bad(file, key + ": comes from the dataset and the batch size, not from the config");
                    if (!HrmConfig.KEYS.contains(k) || k.equals("loss_type")) {
                        TreeSet<String> known = new TreeSet<>(HrmConfig.KEYS);
                        known.removeAll(DATA_KEYS);
                        known.remove("loss_type");
                        known.add("name");
                        known.add("loss");
                        throw bad(file, "unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
                    }
                    if (v == null || v instanceof Map || v instanceof List || v instanceof Boolean)
                        throw bad(file, key + " = " + v + ": expected a number or a string");
                    model.put(k, v);
                }
            }
        }
        return new AllConfig(file, Collections.unmodifiableMap(model), lossType, Collections.unmodifiableMap(training));
    }

    private static Object checkType(Path file, String key, Object v, Class<?> type) {
        boolean ok = type == String.class ? v instanceof String || v instanceof Number
                : type == Integer.class ? v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                : type == Double.class ? v instanceof Number
                : type == Boolean.class ? v instanceof Boolean
                : v instanceof List;
        if (!ok) throw bad(file, key + " = " + v + ": expected " + switch (type.getSimpleName()) {
            case "Integer" -> "an integer";
            case "Double" -> "a number";
            case "Boolean" -> "true or false";
            case "List" -> "a list";
            default -> "a string";
        });
        return type == String.class ? String.valueOf(v) : v;
    }

    /** Copies a mapping with string keys, replacing whole-value ${...} interpolations. */
    private static Map<String, Object> resolve(Path file, Map<?, ?> node, List<Map<?, ?>> parents, Map<?, ?> root) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<?, ?>> chain = new java.util.ArrayList<>(parents);
        chain.add(node);
        for (Map.Entry<?, ?> e : node.entrySet()) {
            if (!(e.getKey() instanceof String k)) throw bad(file, "key " + e.getKey() + " is not a string");
            out.put(k, resolveValue(file, k, e.getValue(), chain, root, 0));
        }
        return out;
    }

    private static Object resolveValue(Path file, String key, Object v, List<Map<?, ?>> chain, Map<?, ?> root, int depth) {
        if (v instanceof Map<?, ?> m) return resolve(file, m, chain, root);
        if (!(v instanceof String s) || !s.contains("${")) return v;
        Matcher mt = INTERPOLATION.matcher(s.strip());
        if (!mt.matches()) throw bad(file, key + " = " + s + ": only whole-value interpolations like ${.hidden_size} are supported");
        if (depth > 8) throw bad(file, key + " = " + s + ": interpolation loop");
        int dots = mt.group(1).length();
        Object base;
        if (dots == 0) base = root;
        else if (dots <= chain.size()) base = chain.get(chain.size() - dots);
        else throw bad(file, key + " = " + s + ": refers above the top of the file");
        for (String part : mt.group(2).split("\\.")) {
            if (!(base instanceof Map<?, ?> bm) || !bm.containsKey(part)) throw bad(file, key + " = " + s + ": no such key");
            base = bm.get(part);
        }
        if (base instanceof Map) throw bad(file, key + " = " + s + ": refers to a mapping, not a value");
        return resolveValue(file, key, base, chain, root, depth + 1);
    }

    private static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException(file + ": " + what);
    }

    public Path file() {
        return file;
    }

    /** The model keys under arch (name and loss taken out), values as read. */
    public Map<String, Object> arch() {
        return arch;
    }

    /** The top-level training keys (everything but arch), type-checked. */
    public Map<String, Object> training() {
        return training;
    }

    /**
     * The model configuration: arch's keys plus the data-derived ones, as the reference builds it
     * ({@code batch_size = global_batch_size / world size}, the rest from the dataset's metadata).
     */
    public HrmConfig modelConfig(int batchSize, int seqLen, int vocabSize, int numPuzzleIdentifiers) {
        Map<String, Object> m = new LinkedHashMap<>(arch);
        m.put("batch_size", batchSize);
        m.put("seq_len", seqLen);
        m.put("vocab_size", vocabSize);
        m.put("num_puzzle_identifiers", numPuzzleIdentifiers);
        if (lossType != null) m.put("loss_type", lossType);
        try {
            return HrmConfig.fromMap(m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": arch: " + e.getMessage(), e);
        }
    }
}
