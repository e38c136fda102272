package hrm.model;

import hrm.tensor.DataType;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The model's configuration (docs/model.md §1.1): the shape the dataset sets ({@link DataShape})
 * and the architecture ({@link Architecture}: the keys every family has, and the {@link ModelFamily}
 * with its own). {@link #fromMap} reads the reference's key names, checks every value and refuses
 * unknown keys and keys of another family, naming the key and the value; {@link #toMap} writes
 * them back.
 */
public record ModelConfig(DataShape data, Architecture arch) {

    /** The keys every family has, {@code name} included. */
    static final Set<String> COMMON_KEYS = Set.of("name", "batch_size", "seq_len", "puzzle_emb_ndim", "num_puzzle_identifiers",
            "vocab_size", "hidden_size", "expansion", "num_heads", "pos_encodings", "rope_theta", "rms_norm_eps", "halt_max_steps",
            "halt_exploration_prob", "forward_dtype", "loss_type");
    /** The four keys the dataset sets (docs/model.md §1.1): not part of an architecture. */
    public static final Set<String> DATA_KEYS = Set.of("batch_size", "seq_len", "vocab_size", "num_puzzle_identifiers");
    /** Every model key of every family. */
    public static final Set<String> KEYS = keys();
    /** The keys of an architecture: every model key less those the dataset sets. */
    public static final Set<String> ARCH_KEYS = archKeys();

    private static Set<String> keys() {
        Set<String> s = new LinkedHashSet<>(COMMON_KEYS);
        s.addAll(Families.allKeys());
        return Set.copyOf(s);
    }

    private static Set<String> archKeys() {
        Set<String> s = new LinkedHashSet<>(KEYS);
        s.removeAll(DATA_KEYS);
        return Set.copyOf(s);
    }

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

    /** What the dataset decides: batch_size (the global batch over the processes), seq_len, vocab_size, num_puzzle_identifiers. */
    public record DataShape(int batchSize, int seqLen, int vocabSize, int numPuzzleIdentifiers) {
        public DataShape {
            Keys.positive("batch_size", batchSize);
            Keys.positive("seq_len", seqLen);
            Keys.positive("num_puzzle_identifiers", numPuzzleIdentifiers);
            Keys.positive("vocab_size", vocabSize);
        }

        public DataShape withBatchSize(int b) {
            return new DataShape(b, seqLen, vocabSize, numPuzzleIdentifiers);
        }
    }

    /** The blocks' width and the embeddings: the keys every family's blocks read. */
    public record Network(int hiddenSize, int numHeads, double expansion, int puzzleEmbNdim, PosEncoding posEncodings,
                          double ropeTheta, double rmsNormEps) {
        public Network {
            Keys.nonNegative("puzzle_emb_ndim", puzzleEmbNdim);
            Keys.positive("hidden_size", hiddenSize);
            Keys.positive("num_heads", numHeads);
            if (!(expansion > 0) || Double.isInfinite(expansion)) throw Keys.bad("expansion", expansion, "must be > 0");
            if (hiddenSize % numHeads != 0)
                throw Keys.bad("num_heads", numHeads, "must divide hidden_size " + hiddenSize);
            if ((hiddenSize / numHeads) % 2 != 0)
                throw Keys.bad("num_heads", numHeads, "head size hidden_size/num_heads = " + hiddenSize / numHeads + " must be even for RoPE");
            if (posEncodings == null) throw Keys.bad("pos_encodings", null, "must be set");
            if (!(ropeTheta > 0)) throw Keys.bad("rope_theta", ropeTheta, "must be > 0");
            if (hiddenSize > 1 << 16) throw Keys.bad("hidden_size", hiddenSize, "must be at most 65536");
            if (expansion > 64) throw Keys.bad("expansion", expansion, "must be at most 64");
            if (puzzleEmbNdim > 1 << 20) throw Keys.bad("puzzle_emb_ndim", puzzleEmbNdim, "must be at most 1048576");
            if (!(rmsNormEps > 0)) throw Keys.bad("rms_norm_eps", rmsNormEps, "must be > 0");
        }
    }

    /** ACT's keys (docs/model.md §6). */
    public record Halting(int haltMaxSteps, double haltExplorationProb) {
        public Halting {
            Keys.positive("halt_max_steps", haltMaxSteps);
            if (!(haltExplorationProb >= 0 && haltExplorationProb <= 1))
                throw Keys.bad("halt_exploration_prob", haltExplorationProb, "must be in [0, 1]");
        }

        public Halting withMaxSteps(int m) {
            return new Halting(m, haltExplorationProb);
        }
    }

    /** The architecture: everything but the data shape (a run's {@code arch} section, typed). */
    public record Architecture(ModelFamily family, Network network, Halting halting, DataType forwardDtype, LossType lossType) {
        public Architecture {
            if (family == null) throw Keys.bad("name", null, "must name the model family");
            if (!family.positionEncodings().contains(network.posEncodings()))
                throw Keys.bad("pos_encodings", network.posEncodings(), expectedPositions(family));
            family.check(network);
            if (forwardDtype == null) throw Keys.bad("forward_dtype", null, "expected float32 or bfloat16");
            if (lossType == null) throw Keys.bad("loss_type", null, "must be set");
        }

        /** An architecture from reference-named keys (no data keys); every key must be known and every value valid. */
        public static Architecture fromMap(Map<String, ?> m) {
            for (String k : m.keySet())
                if (!ARCH_KEYS.contains(k)) throw new IllegalArgumentException(hrm.io.DidYouMean.unknownKey("", k, ARCH_KEYS));
            return read(new Keys(m));
        }

        private static Architecture read(Keys k) {
            Families.Entry entry = Families.of(k);
            for (String key : k.keySet())
                if (!COMMON_KEYS.contains(key) && !entry.keys().contains(key))
                    throw Keys.bad(key, k.get(key), Families.owner(key).label() + " key, not used by " + entry.className());
            ModelFamily family = entry.read().apply(k);
            String pos = k.stringKey("pos_encodings", "rope");
            PosEncoding p = PosEncoding.byKey(pos);
            if (p == null) throw Keys.bad("pos_encodings", pos, expectedPositions(family));
            Network n = new Network(k.intKey("hidden_size", null), k.intKey("num_heads", null), k.doubleKey("expansion", null),
                    k.intKey("puzzle_emb_ndim", 0), p, k.doubleKey("rope_theta", 10000.0), k.doubleKey("rms_norm_eps", 1e-5));
            Halting h = new Halting(k.intKey("halt_max_steps", null), k.doubleKey("halt_exploration_prob", null));
            String dtype = k.stringKey("forward_dtype", "bfloat16");
            DataType d = DataType.byConfigName(dtype);
            if (d == null) throw Keys.bad("forward_dtype", dtype, "expected float32 or bfloat16");
            return new Architecture(family, n, h, d, LossType.parse(k.stringKey("loss_type", "stablemax_cross_entropy")));
        }

        private static String expectedPositions(ModelFamily f) {
            String[] names = f.positionEncodings().stream().map(p -> "'" + p.key + "'").toArray(String[]::new);
            return "expected " + (names.length == 1 ? names[0]
                    : String.join(", ", java.util.Arrays.copyOf(names, names.length - 1)) + " or " + names[names.length - 1]);
        }

        /** The keys under the reference's names, as checkpoints write them (no data keys). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", family.name());
            m.put("puzzle_emb_ndim", network.puzzleEmbNdim());
            family.putKeys(m);
            m.put("hidden_size", network.hiddenSize());
            m.put("expansion", network.expansion());
            m.put("num_heads", network.numHeads());
            m.put("pos_encodings", network.posEncodings().key);
            m.put("rope_theta", network.ropeTheta());
            m.put("rms_norm_eps", network.rmsNormEps());
            m.put("halt_max_steps", halting.haltMaxSteps());
            m.put("halt_exploration_prob", halting.haltExplorationProb());
            m.put("forward_dtype", forwardDtype.configName);
            m.put("loss_type", lossType.key);
            return m;
        }

        public Architecture withHalting(Halting h) {
            return new Architecture(family, network, h, forwardDtype, lossType);
        }

        public Architecture withForwardDtype(DataType d) {
            return new Architecture(family, network, halting, d, lossType);
        }

        /** P: puzzle-embedding tokens in front of the cells (the family's rule). */
        public int puzzleEmbLen() {
            return family.puzzleEmbLen(network);
        }
    }

    /** The configuration of a dataset shape and an architecture; refused when its buffers could not be allocated. */
    public ModelConfig(DataShape data, Architecture arch) {
        this.data = java.util.Objects.requireNonNull(data, "data");
        this.arch = java.util.Objects.requireNonNull(arch, "arch");
        checkSizes();
    }

    /** The reference architecture (hrm_v1.yaml) for a given data shape. */
    public static ModelConfig reference(int batchSize, int seqLen, int vocabSize, int numPuzzleIdentifiers) {
        return new ModelConfig(new DataShape(batchSize, seqLen, vocabSize, numPuzzleIdentifiers),
                new Architecture(new HrmFamily(2, 2, 4, 4), new Network(512, 8, 4.0, 512, PosEncoding.ROPE, 10000.0, 1e-5),
                        new Halting(16, 0.1), DataType.BFLOAT16, LossType.STABLEMAX));
    }

    /** Builds a config from reference-named keys; every key must be known and every value valid. */
    public static ModelConfig fromMap(Map<String, ?> m) {
        for (String k : m.keySet())
            if (!KEYS.contains(k)) throw new IllegalArgumentException(hrm.io.DidYouMean.unknownKey("", k, KEYS));
        Keys k = new Keys(m);
        DataShape d = new DataShape(k.intKey("batch_size", null), k.intKey("seq_len", null), k.intKey("vocab_size", null),
                k.intKey("num_puzzle_identifiers", 1));
        Map<String, Object> rest = new LinkedHashMap<>(m);
        rest.keySet().removeAll(DATA_KEYS);
        return new ModelConfig(d, Architecture.fromMap(rest));
    }

    /** The config under reference key names, as written into checkpoints. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", batchSize());
        m.put("seq_len", seqLen());
        m.put("num_puzzle_identifiers", numPuzzleIdentifiers());
        m.put("vocab_size", vocabSize());
        m.putAll(arch.toMap());
        return m;
    }

    /** Java arrays hold at most this many elements; every buffer of the model must fit in one. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    /**
     * Refuses a configuration whose buffers could not be allocated (before any int arithmetic on
     * their sizes could wrap around), naming the key that makes them too large.
     */
    private void checkSizes() {
        int hiddenSize = hiddenSize(), batchSize = batchSize();
        long tokens = (long) seqLen() + arch.puzzleEmbLen();
        if (tokens > 1 << 20) throw Keys.bad("seq_len", seqLen(), "plus the puzzle tokens must be at most 1048576");
        long inter = intermediateSize(expansion(), hiddenSize);
        long tokenInner = family().tokenInnerSize(expansion(), (int) tokens);
        long widest = Math.max(Math.max(3L * hiddenSize, 2 * inter), vocabSize());
        if (tokenInner > 0 && (long) batchSize * hiddenSize * 2 * tokenInner > MAX_ELEMENTS)
            throw Keys.bad("batch_size", batchSize, "batch_size x hidden_size x 2 x mlp_t's inner size " + tokenInner
                    + " exceeds one buffer's " + MAX_ELEMENTS + " (lower the batch or the sequence)");
        if ((long) batchSize * tokens * widest > MAX_ELEMENTS)
            throw Keys.bad("batch_size", batchSize, "batch_size x (seq_len + puzzle tokens) x " + widest + " = "
                    + batchSize * tokens * widest + " activations exceed one buffer's " + MAX_ELEMENTS + " (lower the batch or the sequence)");
        if ((long) numPuzzleIdentifiers() * puzzleEmbNdim() > MAX_ELEMENTS)
            throw Keys.bad("num_puzzle_identifiers", numPuzzleIdentifiers(), "x puzzle_emb_ndim " + puzzleEmbNdim() + " exceeds one buffer's " + MAX_ELEMENTS);
        long weights = trainableCount(tokens, inter, tokenInner);
        if (weights > MAX_ELEMENTS)
            throw Keys.bad("hidden_size", hiddenSize, "the model would have " + weights + " weights, more than one buffer's " + MAX_ELEMENTS);
    }

    /**
     * Elements of the trainable weights as Parameters lays them out: token embedding and lm_head
     * (vocab x d), learned positions, q_head (2 x d + 2), and per block qkv and o (or, with a token
     * MLP, its gate_up and down over {@code tokens}) then gate_up and down.
     */
    private long trainableCount(long tokens, long inter, long tokenInner) {
        long d = hiddenSize(), blocks = 0;
        for (ModelFamily.Level l : family().levels()) blocks += l.layers();
        long mixing = tokenInner > 0 ? 3 * tokenInner * tokens : 4 * d * d;
        long perBlock = mixing + 2 * inter * d + d * inter;
        return 2L * vocabSize() * d + (learnedPositions() ? tokens : 0) * d + 2 * d + 2 + perBlock * blocks;
    }

    /**
     * Every element of the model's state dict: the trainable weights (as {@link Parameters} lays
     * them out), H_init and L_init (in a family that has them), and the puzzle table. A checkpoint of
     * this model holds no more.
     */
    public long parameterCount() {
        return trainableCount(tokens(), intermediateSize(), tokenInnerSize()) + (family().initialStates() ? 2L * hiddenSize() : 0)
                + (long) numPuzzleIdentifiers() * puzzleEmbNdim();
    }

    /** The model in words, for messages: the family and the sizes its weights' shapes come from. */
    public String describe() {
        return family().className() + ", vocab_size " + vocabSize() + ", hidden_size " + hiddenSize() + family().describe()
                + ", pos_encodings " + posEncodings() + ", puzzle_emb_ndim " + puzzleEmbNdim();
    }

    public ModelConfig withBatchSize(int b) {
        return new ModelConfig(data.withBatchSize(b), arch);
    }

    /** The same model run for at most {@code m} segments (a trained model's weights do not depend on it). */
    public ModelConfig withHaltMaxSteps(int m) {
        return new ModelConfig(data, arch.withHalting(arch.halting().withMaxSteps(m)));
    }

    /** The same model computing in {@code dtype}. */
    public ModelConfig withForwardDtype(DataType dtype) {
        return new ModelConfig(data, arch.withForwardDtype(dtype));
    }

    /** The same model computing in the type a config names (float32 or bfloat16; anything else is refused naming forward_dtype). */
    public ModelConfig withForwardDtype(String dtype) {
        DataType d = DataType.byConfigName(dtype);
        if (d == null) throw Keys.bad("forward_dtype", dtype, "expected float32 or bfloat16");
        return withForwardDtype(d);
    }

    public ModelFamily family() {
        return arch.family();
    }

    public int batchSize() {
        return data.batchSize();
    }

    public int seqLen() {
        return data.seqLen();
    }

    public int vocabSize() {
        return data.vocabSize();
    }

    public int numPuzzleIdentifiers() {
        return data.numPuzzleIdentifiers();
    }

    public int puzzleEmbNdim() {
        return arch.network().puzzleEmbNdim();
    }

    public int hiddenSize() {
        return arch.network().hiddenSize();
    }

    public int numHeads() {
        return arch.network().numHeads();
    }

    public double expansion() {
        return arch.network().expansion();
    }

    public PosEncoding posEncodings() {
        return arch.network().posEncodings();
    }

    public double ropeTheta() {
        return arch.network().ropeTheta();
    }

    public double rmsNormEps() {
        return arch.network().rmsNormEps();
    }

    public int haltMaxSteps() {
        return arch.halting().haltMaxSteps();
    }

    public double haltExplorationProb() {
        return arch.halting().haltExplorationProb();
    }

    public LossType lossType() {
        return arch.lossType();
    }

    /** The activations' type: forward_dtype (master weights, gradients and optimiser state are float32 either way). */
    public DataType activationType() {
        return arch.forwardDtype();
    }

    /** P: puzzle-embedding tokens in front of the cells (TRM's puzzle_emb_len when set, else ceil(puzzle_emb_ndim / D)). */
    public int puzzleEmbLen() {
        return arch.puzzleEmbLen();
    }

    /**
     * ACT's halting rule for a segment's Q logits (exploration aside), the family's: q_halt >
     * q_continue, or with TRM's no_ACT_continue q_halt > 0. Training, evaluation's analyses and
     * solve all decide by it.
     */
    public boolean actHalts(float qHalt, float qContinue) {
        return family().actHalts(qHalt, qContinue);
    }

    /** It: the token MLP's inner width, HRM's I formula over the tokens (0 with attention). */
    public int tokenInnerSize() {
        return family().tokenInnerSize(expansion(), tokens());
    }

    /** T = P + S. */
    public int tokens() {
        return seqLen() + puzzleEmbLen();
    }

    public int headDim() {
        return hiddenSize() / numHeads();
    }

    /** I = 256 * ceil(round(expansion * D * 2 / 3) / 256), Python's round (halves to even). */
    public int intermediateSize() {
        return intermediateSize(expansion(), hiddenSize());
    }

    static int intermediateSize(double expansion, int hiddenSize) {
        double x = expansion * hiddenSize * 2.0 / 3.0;
        long r = Math.round(Math.rint(x));
        return (int) ((r + 255) / 256 * 256);
    }

    public boolean learnedPositions() {
        return posEncodings() == PosEncoding.LEARNED;
    }

    /** RoPE on q and k (pos_encodings rope; 'none' has no position information at all). */
    public boolean ropePositions() {
        return posEncodings() == PosEncoding.ROPE;
    }
}
