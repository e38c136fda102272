package hrm.model;

import hrm.tensor.DataType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The model's configuration under the reference's key names (docs/model.md §1.1).
 * {@link #fromMap} checks every value and refuses unknown keys, naming the key and the value.
 */
public record HrmConfig(
        int batchSize, int seqLen, int puzzleEmbNdim, int numPuzzleIdentifiers, int vocabSize,
        int hCycles, int lCycles, int hLayers, int lLayers, int hiddenSize, double expansion, int numHeads,
        String posEncodings, double ropeTheta, double rmsNormEps,
        int haltMaxSteps, double haltExplorationProb, String forwardDtype, LossType lossType,
        Arch arch, int puzzleEmbLenKey, boolean mlpT, boolean noActContinue) {

    /** The model family, by the reference's arch.name. */
    public enum Arch {
        HRM("hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1", "HierarchicalReasoningModel_ACTV1"),
        TRM("recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1", "TinyRecursiveReasoningModel_ACTV1");
        /** The name the reference's configs give it, and the class name any such name ends with. */
        public final String name, className;

        Arch(String name, String className) {
            this.name = name;
            this.className = className;
        }

        /** The family an arch.name names (module@Class: the class decides), or null for none we implement. */
        public static Arch byName(String name) {
            for (Arch a : values()) if (name.equals(a.className) || name.endsWith("@" + a.className) || name.equals(a.name)) return a;
            return null;
        }
    }

    /** Keys only TRM has (docs/model.md §1.1); given for HRM they are refused. */
    public static final Set<String> TRM_KEYS = Set.of("puzzle_emb_len", "mlp_t", "no_ACT_continue");

    public enum LossType {
        STABLEMAX("stablemax_cross_entropy"), SOFTMAX("softmax_cross_entropy");
        public final String key;

        LossType(String key) {
            this.key = key;
        }

        public static LossType parse(String s) {
            for (LossType t : values()) if (t.key.equals(s)) return t;
            throw new IllegalArgumentException("loss_type: unknown value '" + s + "' (expected stablemax_cross_entropy or softmax_cross_entropy)");
        }
    }

    /** Keys of the reference's arch config that describe the model. */
    public static final Set<String> KEYS = Set.of("batch_size", "seq_len", "puzzle_emb_ndim", "num_puzzle_identifiers",
            "vocab_size", "H_cycles", "L_cycles", "H_layers", "L_layers", "hidden_size", "expansion", "num_heads",
            "pos_encodings", "rope_theta", "rms_norm_eps", "halt_max_steps", "halt_exploration_prob", "forward_dtype", "loss_type",
            "name", "puzzle_emb_len", "mlp_t", "no_ACT_continue");

    /** HRM's record as before TRM existed: the HRM family. */
    public HrmConfig(int batchSize, int seqLen, int puzzleEmbNdim, int numPuzzleIdentifiers, int vocabSize,
                     int hCycles, int lCycles, int hLayers, int lLayers, int hiddenSize, double expansion, int numHeads,
                     String posEncodings, double ropeTheta, double rmsNormEps,
                     int haltMaxSteps, double haltExplorationProb, String forwardDtype, LossType lossType) {
        this(batchSize, seqLen, puzzleEmbNdim, numPuzzleIdentifiers, vocabSize, hCycles, lCycles, hLayers, lLayers, hiddenSize,
                expansion, numHeads, posEncodings, ropeTheta, rmsNormEps, haltMaxSteps, haltExplorationProb, forwardDtype, lossType,
                Arch.HRM, 0, false, false);
    }

    public HrmConfig {
        positive("batch_size", batchSize);
        positive("seq_len", seqLen);
        nonNegative("puzzle_emb_ndim", puzzleEmbNdim);
        positive("num_puzzle_identifiers", numPuzzleIdentifiers);
        positive("vocab_size", vocabSize);
        positive("H_cycles", hCycles);
        positive("L_cycles", lCycles);
        if (arch == null) throw bad("name", null, "must name the model family");
        if (arch == Arch.TRM) nonNegative("H_layers", hLayers); // TRM has no H network: H_layers is ignored
        else positive("H_layers", hLayers);
        nonNegative("puzzle_emb_len", puzzleEmbLenKey);
        if (arch == Arch.HRM && (puzzleEmbLenKey != 0 || mlpT || noActContinue))
            throw bad(puzzleEmbLenKey != 0 ? "puzzle_emb_len" : mlpT ? "mlp_t" : "no_ACT_continue",
                    puzzleEmbLenKey != 0 ? puzzleEmbLenKey : Boolean.TRUE, "a TRM key, not used by " + Arch.HRM.className);
        positive("L_layers", lLayers);
        positive("hidden_size", hiddenSize);
        positive("num_heads", numHeads);
        positive("halt_max_steps", haltMaxSteps);
        if (!(expansion > 0) || Double.isInfinite(expansion)) throw bad("expansion", expansion, "must be > 0");
        if (hiddenSize % numHeads != 0)
            throw bad("num_heads", numHeads, "must divide hidden_size " + hiddenSize);
        if ((hiddenSize / numHeads) % 2 != 0)
            throw bad("num_heads", numHeads, "head size hidden_size/num_heads = " + hiddenSize / numHeads + " must be even for RoPE");
        if (!posEncodings.equals("rope") && !posEncodings.equals("learned") && !(arch == Arch.TRM && posEncodings.equals("none")))
            throw bad("pos_encodings", posEncodings, arch == Arch.TRM ? "expected 'rope', 'learned' or 'none'" : "expected 'rope' or 'learned'");
        if (!(ropeTheta > 0)) throw bad("rope_theta", ropeTheta, "must be > 0");
        if (arch == Arch.TRM && puzzleEmbNdim == 0 && puzzleEmbLenKey != 0)
            throw bad("puzzle_emb_len", puzzleEmbLenKey, "must be 0 when puzzle_emb_ndim is 0 (there is no puzzle embedding to place)");
        if ((long) puzzleEmbLenKey * hiddenSize < puzzleEmbNdim && puzzleEmbLenKey != 0)
            throw bad("puzzle_emb_len", puzzleEmbLenKey, "x hidden_size " + hiddenSize + " is smaller than puzzle_emb_ndim " + puzzleEmbNdim);
        if (puzzleEmbLenKey > 1 << 16) throw bad("puzzle_emb_len", puzzleEmbLenKey, "must be at most 65536");
        checkSizes(batchSize, seqLen, puzzleEmbNdim, numPuzzleIdentifiers, vocabSize, hLayers, lLayers, hiddenSize, expansion, posEncodings,
                arch, puzzleEmbLenKey, mlpT);
        if (!(rmsNormEps > 0)) throw bad("rms_norm_eps", rmsNormEps, "must be > 0");
        if (!(haltExplorationProb >= 0 && haltExplorationProb <= 1))
            throw bad("halt_exploration_prob", haltExplorationProb, "must be in [0, 1]");
        if (!Set.of("float32", "bfloat16").contains(forwardDtype))
            throw bad("forward_dtype", forwardDtype, "expected float32 or bfloat16");
        if (lossType == null) throw bad("loss_type", null, "must be set");
    }

    private static void positive(String key, int v) {
        if (v <= 0) throw bad(key, v, "must be > 0");
    }

    private static void nonNegative(String key, int v) {
        if (v < 0) throw bad(key, v, "must be >= 0");
    }

    private static IllegalArgumentException bad(String key, Object value, String why) {
        return new IllegalArgumentException(key + " = " + value + ": " + why);
    }

    /** The reference architecture (hrm_v1.yaml) for a given data shape. */
    public static HrmConfig reference(int batchSize, int seqLen, int vocabSize, int numPuzzleIdentifiers) {
        return new HrmConfig(batchSize, seqLen, 512, numPuzzleIdentifiers, vocabSize, 2, 2, 4, 4, 512, 4.0, 8,
                "rope", 10000.0, 1e-5, 16, 0.1, "bfloat16", LossType.STABLEMAX);
    }

    /** Builds a config from reference-named keys; every key must be known and every value valid. */
    public static HrmConfig fromMap(Map<String, ?> m) {
        for (String k : m.keySet())
            if (!KEYS.contains(k)) throw new IllegalArgumentException(hrm.io.DidYouMean.unknownKey("", k, KEYS));
        Arch arch = archOf(m);
        if (arch == Arch.HRM)
            for (String k : TRM_KEYS)
                if (m.containsKey(k)) throw bad(k, m.get(k), "a TRM key, not used by " + Arch.HRM.className);
        boolean trm = arch == Arch.TRM;
        return new HrmConfig(
                intKey(m, "batch_size", null), intKey(m, "seq_len", null), intKey(m, "puzzle_emb_ndim", 0),
                intKey(m, "num_puzzle_identifiers", 1), intKey(m, "vocab_size", null),
                intKey(m, "H_cycles", null), intKey(m, "L_cycles", null), intKey(m, "H_layers", trm ? 0 : null), intKey(m, "L_layers", null),
                intKey(m, "hidden_size", null), doubleKey(m, "expansion", null), intKey(m, "num_heads", null),
                stringKey(m, "pos_encodings", "rope"), doubleKey(m, "rope_theta", 10000.0), doubleKey(m, "rms_norm_eps", 1e-5),
                intKey(m, "halt_max_steps", null), doubleKey(m, "halt_exploration_prob", null),
                stringKey(m, "forward_dtype", "bfloat16"), LossType.parse(stringKey(m, "loss_type", "stablemax_cross_entropy")),
                arch, trm ? intKey(m, "puzzle_emb_len", 16) : 0, trm && boolKey(m, "mlp_t", false),
                trm && boolKey(m, "no_ACT_continue", true));
    }

    /**
     * The family: named by {@code name} (the reference's arch.name; its class decides), or, in a
     * map without it (a parity fixture's config.json), TRM when any TRM-only key is present.
     */
    private static Arch archOf(Map<String, ?> m) {
        Object name = m.get("name");
        if (name == null) {
            for (String k : TRM_KEYS) if (m.containsKey(k)) return Arch.TRM;
            return Arch.HRM;
        }
        Arch a = Arch.byName(String.valueOf(name));
        if (a == null) throw bad("name", name, "expected " + Arch.HRM.className + " or " + Arch.TRM.className);
        return a;
    }

    private static boolean boolKey(Map<String, ?> m, String key, boolean dflt) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        if (v instanceof String s && (s.strip().equalsIgnoreCase("true") || s.strip().equalsIgnoreCase("false")))
            return Boolean.parseBoolean(s.strip());
        throw new IllegalArgumentException(key + " = " + v + ": expected true or false");
    }

    /** The config under reference key names, as written into checkpoints. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", arch.name);
        m.put("batch_size", batchSize);
        m.put("seq_len", seqLen);
        m.put("puzzle_emb_ndim", puzzleEmbNdim);
        m.put("num_puzzle_identifiers", numPuzzleIdentifiers);
        m.put("vocab_size", vocabSize);
        m.put("H_cycles", hCycles);
        m.put("L_cycles", lCycles);
        m.put("H_layers", hLayers);
        m.put("L_layers", lLayers);
        m.put("hidden_size", hiddenSize);
        m.put("expansion", expansion);
        m.put("num_heads", numHeads);
        m.put("pos_encodings", posEncodings);
        m.put("rope_theta", ropeTheta);
        m.put("rms_norm_eps", rmsNormEps);
        m.put("halt_max_steps", haltMaxSteps);
        m.put("halt_exploration_prob", haltExplorationProb);
        m.put("forward_dtype", forwardDtype);
        m.put("loss_type", lossType.key);
        if (arch == Arch.TRM) {
            m.put("puzzle_emb_len", puzzleEmbLenKey);
            m.put("mlp_t", mlpT);
            m.put("no_ACT_continue", noActContinue);
        }
        return m;
    }

    /** Java arrays hold at most this many elements; every buffer of the model must fit in one. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    /**
     * Refuses a configuration whose buffers could not be allocated (before any int arithmetic on
     * their sizes could wrap around), naming the key that makes them too large.
     */
    private static void checkSizes(int batchSize, int seqLen, int puzzleEmbNdim, int numPuzzleIdentifiers, int vocabSize,
                                   int hLayers, int lLayers, int hiddenSize, double expansion, String posEncodings,
                                   Arch arch, int puzzleEmbLenKey, boolean mlpT) {
        // a compact constructor's fields are not assigned yet: everything from the arguments
        if (hiddenSize > 1 << 16) throw bad("hidden_size", hiddenSize, "must be at most 65536");
        if (expansion > 64) throw bad("expansion", expansion, "must be at most 64");
        if (puzzleEmbNdim > 1 << 20) throw bad("puzzle_emb_ndim", puzzleEmbNdim, "must be at most 1048576");
        long tokens = (long) seqLen + (puzzleEmbLenKey != 0 ? puzzleEmbLenKey : (puzzleEmbNdim + hiddenSize - 1) / hiddenSize);
        if (tokens > 1 << 20) throw bad("seq_len", seqLen, "plus the puzzle tokens must be at most 1048576");
        long inter = intermediateSize(expansion, hiddenSize);
        long tokenInner = mlpT ? intermediateSize(expansion, (int) tokens) : 0;
        long widest = Math.max(Math.max(3L * hiddenSize, 2 * inter), vocabSize);
        if (mlpT && (long) batchSize * hiddenSize * 2 * tokenInner > MAX_ELEMENTS)
            throw bad("batch_size", batchSize, "batch_size x hidden_size x 2 x mlp_t's inner size " + tokenInner
                    + " exceeds one buffer's " + MAX_ELEMENTS + " (lower the batch or the sequence)");
        if ((long) batchSize * tokens * widest > MAX_ELEMENTS)
            throw bad("batch_size", batchSize, "batch_size x (seq_len + puzzle tokens) x " + widest + " = "
                    + batchSize * tokens * widest + " activations exceed one buffer's " + MAX_ELEMENTS + " (lower the batch or the sequence)");
        if ((long) numPuzzleIdentifiers * puzzleEmbNdim > MAX_ELEMENTS)
            throw bad("num_puzzle_identifiers", numPuzzleIdentifiers, "x puzzle_emb_ndim " + puzzleEmbNdim + " exceeds one buffer's " + MAX_ELEMENTS);
        long weights = trainableCount(hiddenSize, vocabSize, inter, posEncodings.equals("learned") ? tokens : 0,
                arch == Arch.TRM ? 0 : hLayers, lLayers, mlpT ? tokens : 0, tokenInner);
        if (weights > MAX_ELEMENTS)
            throw bad("hidden_size", hiddenSize, "the model would have " + weights + " weights, more than one buffer's " + MAX_ELEMENTS);
    }

    private static Object need(Map<String, ?> m, String key, Object dflt) {
        Object v = m.get(key);
        if (v == null) {
            if (dflt == null) throw new IllegalArgumentException("missing model key '" + key + "'");
            return dflt;
        }
        return v;
    }

    private static int intKey(Map<String, ?> m, String key, Integer dflt) {
        Object v = need(m, key, dflt);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE)
            return n.intValue();
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(key + " = " + v + ": expected an integer");
    }

    private static double doubleKey(Map<String, ?> m, String key, Double dflt) {
        Object v = need(m, key, dflt);
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(key + " = " + v + ": expected a number");
    }

    private static String stringKey(Map<String, ?> m, String key, String dflt) {
        return String.valueOf(need(m, key, dflt));
    }

    /** The activations' type: forward_dtype (master weights, gradients and optimiser state are float32 either way). */
    public DataType activationType() {
        return DataType.byConfigName(forwardDtype);
    }

    /** P: puzzle-embedding tokens in front of the cells (TRM's puzzle_emb_len when set, else ceil(puzzle_emb_ndim / D)). */
    public int puzzleEmbLen() {
        return puzzleEmbLenKey != 0 ? puzzleEmbLenKey : (puzzleEmbNdim + hiddenSize - 1) / hiddenSize;
    }

    /**
     * ACT's halting rule for a segment's Q logits (exploration aside): q_halt > q_continue, or with
     * TRM's no_ACT_continue q_halt > 0. Training, evaluation's analyses and solve all decide by it.
     */
    public boolean actHalts(float qHalt, float qContinue) {
        return noActContinue ? qHalt > 0 : qHalt > qContinue;
    }

    public boolean isTrm() {
        return arch == Arch.TRM;
    }

    /** Blocks of the H network: none in TRM (its one network is L_level), whatever H_layers says. */
    public int hNetworkLayers() {
        return isTrm() ? 0 : hLayers;
    }

    /** It: mlp_t's inner width, HRM's I formula over the tokens (0 without mlp_t). */
    public int tokenInnerSize() {
        return mlpT ? intermediateSize(expansion, tokens()) : 0;
    }

    /** T = P + S. */
    public int tokens() {
        return seqLen + puzzleEmbLen();
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** I = 256 * ceil(round(expansion * D * 2 / 3) / 256), Python's round (halves to even). */
    public int intermediateSize() {
        return intermediateSize(expansion, hiddenSize);
    }

    private static int intermediateSize(double expansion, int hiddenSize) {
        double x = expansion * hiddenSize * 2.0 / 3.0;
        long r = Math.round(Math.rint(x));
        return (int) ((r + 255) / 256 * 256);
    }

    public HrmConfig withBatchSize(int b) {
        return new HrmConfig(b, seqLen, puzzleEmbNdim, numPuzzleIdentifiers, vocabSize, hCycles, lCycles, hLayers, lLayers,
                hiddenSize, expansion, numHeads, posEncodings, ropeTheta, rmsNormEps, haltMaxSteps, haltExplorationProb, forwardDtype, lossType,
                arch, puzzleEmbLenKey, mlpT, noActContinue);
    }

    /** The same model run for at most {@code m} segments (a trained model's weights do not depend on it). */
    public HrmConfig withHaltMaxSteps(int m) {
        positive("halt_max_steps", m);
        return new HrmConfig(batchSize, seqLen, puzzleEmbNdim, numPuzzleIdentifiers, vocabSize, hCycles, lCycles, hLayers, lLayers,
                hiddenSize, expansion, numHeads, posEncodings, ropeTheta, rmsNormEps, m, haltExplorationProb, forwardDtype, lossType,
                arch, puzzleEmbLenKey, mlpT, noActContinue);
    }

    /** The same model computing in {@code dtype} (float32 or bfloat16; anything else is refused naming forward_dtype). */
    public HrmConfig withForwardDtype(String dtype) {
        if (DataType.byConfigName(dtype) == null) throw bad("forward_dtype", dtype, "expected float32 or bfloat16");
        return new HrmConfig(batchSize, seqLen, puzzleEmbNdim, numPuzzleIdentifiers, vocabSize, hCycles, lCycles, hLayers, lLayers,
                hiddenSize, expansion, numHeads, posEncodings, ropeTheta, rmsNormEps, haltMaxSteps, haltExplorationProb, dtype, lossType,
                arch, puzzleEmbLenKey, mlpT, noActContinue);
    }

    /**
     * Every element of the model's state dict: the trainable weights (as {@link Parameters} lays
     * them out), H_init and L_init, and the puzzle table. A checkpoint of this model holds no more.
     */
    public long parameterCount() {
        return trainableCount(hiddenSize, vocabSize, intermediateSize(), learnedPositions() ? tokens() : 0, hNetworkLayers(), lLayers,
                mlpT ? tokens() : 0, tokenInnerSize())
                + 2L * hiddenSize + (long) numPuzzleIdentifiers * puzzleEmbNdim;
    }

    /**
     * Elements of the trainable weights as Parameters lays them out: token embedding and lm_head
     * (vocab x d), learned positions, q_head (2 x d + 2), and per block qkv and o (or, with mlp_t,
     * the token MLP's gate_up and down over {@code tokens}) then gate_up and down.
     */
    private static long trainableCount(long d, long vocab, long inter, long positionRows, int hLayers, int lLayers,
                                       long mlpTokens, long tokenInner) {
        long mixing = mlpTokens > 0 ? 3 * tokenInner * mlpTokens : 4 * d * d;
        long perBlock = mixing + 2 * inter * d + d * inter;
        return 2 * vocab * d + positionRows * d + 2 * d + 2 + perBlock * ((long) hLayers + lLayers);
    }

    public boolean learnedPositions() {
        return posEncodings.equals("learned");
    }

    /** RoPE on q and k (pos_encodings rope; TRM's 'none' has no position information at all). */
    public boolean ropePositions() {
        return posEncodings.equals("rope");
    }
}
