package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.Version;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Every tensor of the model, under its state-dict name (docs/model.md §2.1), in the llm.c layout: all
 * trainable weights in one flat buffer (so the optimiser is one loop), gradients in a second one of
 * the same layout. The buffers that AdamATan2 does not train (H_init, L_init, the puzzle-embedding
 * table) are separate tensors.
 *
 * <p>The parameters count their writes (a {@link Version} that their tensors, not the gradients,
 * carry): whoever writes them (initialising, loading, the optimiser step, the moving average's swap)
 * calls {@link #written()} once when done, and the backend's bfloat16 copies of the weights are made
 * again from that, whatever kernel wrote.
 */
public final class Parameters {
    public static final String PREFIX = "model.inner.";

    /** One named tensor: its shape and where it sits. */
    public record Entry(String name, int[] shape, int offset, int size, boolean trainable) {
        public String shapeString() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
            return sb.append(")").toString();
        }
    }

    private final ModelConfig cfg;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Tensor flat;
    private final Tensor grads;
    private final Tensor hInit;
    private final Tensor lInit;
    private final Tensor puzzleTable;
    private final Weights weights;
    private final Version version = new Version();

    /** The parameters of a model to train: the weights and a gradient buffer beside them. */
    public Parameters(ModelConfig cfg, Backend backend) {
        this(cfg, backend, true);
    }

    /**
     * The parameters of a model that only runs forward (evaluation, solving, analyses): no gradient
     * buffer, which is as large as the weights (108 MB at 27 M parameters). {@link #grad} then throws.
     */
    public static Parameters forInference(ModelConfig cfg, Backend backend) {
        return new Parameters(cfg, backend, false);
    }

    /** The same tensors for a model of {@code cfg}, which differs from {@code p}'s only in its batch size. */
    private Parameters(Parameters p, ModelConfig cfg) {
        this.cfg = cfg;
        this.entries.putAll(p.entries);
        this.flat = p.flat;
        this.grads = p.grads;
        this.hInit = p.hInit;
        this.lInit = p.lInit;
        this.puzzleTable = p.puzzleTable;
        this.weights = p.weights;
    }

    /**
     * These parameters, the very same tensors (nothing is copied), for a model of {@code batchSize}
     * samples: no parameter depends on the batch size. Models of several batch sizes on one backend
     * share them.
     */
    public Parameters withBatchSize(int batchSize) {
        return batchSize == cfg.batchSize() ? this : new Parameters(this, cfg.withBatchSize(batchSize));
    }

    private Parameters(ModelConfig cfg, Backend backend, boolean withGradients) {
        this.cfg = cfg;
        int d = cfg.hiddenSize(), v = cfg.vocabSize(), inter = cfg.intermediateSize();
        int[] off = {0};
        add("embed_tokens.embedding_weight", off, v, d);
        if (cfg.learnedPositions()) add("embed_pos.embedding_weight", off, cfg.tokens(), d);
        add("lm_head.weight", off, v, d);
        add("q_head.weight", off, 2, d);
        add("q_head.bias", off, 2);
        int t = cfg.tokens(), tokenInner = cfg.tokenInnerSize();
        for (ModelFamily.Level level : cfg.family().levels()) {
            for (int i = 0; i < level.layers(); i++) {
                String p = level.prefix() + ".layers." + i + ".";
                if (tokenInner > 0) {
                    add(p + "mlp_t.gate_up_proj.weight", off, 2 * tokenInner, t);
                    add(p + "mlp_t.down_proj.weight", off, t, tokenInner);
                } else {
                    add(p + "self_attn.qkv_proj.weight", off, 3 * d, d);
                    add(p + "self_attn.o_proj.weight", off, d, d);
                }
                add(p + "mlp.gate_up_proj.weight", off, 2 * inter, d);
                add(p + "mlp.down_proj.weight", off, d, inter);
            }
        }
        flat = backend.allocate(off[0], DataType.FLOAT32, version);
        grads = withGradients ? backend.allocate(off[0]) : null;
        if (cfg.family().initialStates()) {
            hInit = backend.allocate(d, DataType.FLOAT32, version);
            lInit = backend.allocate(d, DataType.FLOAT32, version);
            entries.put(PREFIX + "H_init", new Entry(PREFIX + "H_init", new int[]{d}, 0, d, false));
            entries.put(PREFIX + "L_init", new Entry(PREFIX + "L_init", new int[]{d}, 0, d, false));
        } else {
            hInit = lInit = null;
        }
        if (cfg.puzzleEmbNdim() > 0) {
            long n = (long) cfg.numPuzzleIdentifiers() * cfg.puzzleEmbNdim();
            if (n > Integer.MAX_VALUE - 16)
                throw new IllegalArgumentException("num_puzzle_identifiers = " + cfg.numPuzzleIdentifiers() + ": puzzle table of " + n + " floats is too large");
            long free = Runtime.getRuntime().maxMemory() - (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
            if (4 * n > free / 2) // half of what the heap has left: the model's other buffers and the data need the rest
                throw new IllegalArgumentException("num_puzzle_identifiers = " + cfg.numPuzzleIdentifiers() + ": a puzzle table of "
                        + cfg.numPuzzleIdentifiers() + " x " + cfg.puzzleEmbNdim() + " floats needs " + (4 * n >> 20) + " MiB, more than half the "
                        + (free >> 20) + " MiB this JVM has free (raise -Xmx through HRM_JAVA_OPTS if the data really has that many puzzles)");
            puzzleTable = backend.allocate((int) n, DataType.FLOAT32, version);
            String name = PREFIX + "puzzle_emb.weights";
            entries.put(name, new Entry(name, new int[]{cfg.numPuzzleIdentifiers(), cfg.puzzleEmbNdim()}, 0, (int) n, false));
        } else {
            puzzleTable = null;
        }
        Map<String, Weights.BlockWeights[]> levels = new LinkedHashMap<>();
        for (ModelFamily.Level level : cfg.family().levels()) levels.put(level.prefix(), blocks(level));
        weights = new Weights(w("embed_tokens.embedding_weight"), cfg.learnedPositions() ? w("embed_pos.embedding_weight") : null,
                w("lm_head.weight"), w("q_head.weight"), w("q_head.bias"), Collections.unmodifiableMap(levels));
    }

    private Weights.Weight w(String shortName) {
        return new Weights.Weight(weight(shortName), grads == null ? null : weightGrad(shortName));
    }

    private Weights.BlockWeights[] blocks(ModelFamily.Level level) {
        Weights.BlockWeights[] out = new Weights.BlockWeights[level.layers()];
        for (int i = 0; i < out.length; i++) {
            String p = level.prefix() + ".layers." + i + ".";
            out[i] = cfg.tokenInnerSize() > 0
                    ? new Weights.BlockWeights(null, null, w(p + "mlp_t.gate_up_proj.weight"), w(p + "mlp_t.down_proj.weight"),
                            w(p + "mlp.gate_up_proj.weight"), w(p + "mlp.down_proj.weight"))
                    : new Weights.BlockWeights(w(p + "self_attn.qkv_proj.weight"), w(p + "self_attn.o_proj.weight"), null, null,
                            w(p + "mlp.gate_up_proj.weight"), w(p + "mlp.down_proj.weight"));
        }
        return out;
    }

    /**
     * Says that something has written these tensors: called once by every writer when it is done
     * (not by the kernels it ran), so that what the backend derives from them follows.
     */
    public void written() {
        version.bump();
    }

    /** Every trainable tensor as a typed field, for the model code. */
    public Weights weights() {
        return weights;
    }

    private void add(String shortName, int[] off, int... shape) {
        int size = 1;
        for (int s : shape) size = Math.multiplyExact(size, s);
        String name = PREFIX + shortName;
        entries.put(name, new Entry(name, shape, off[0], size, true));
        off[0] = Math.addExact(off[0], size);
    }

    public ModelConfig config() {
        return cfg;
    }

    /** All tensors, trainable ones first, in state-dict order. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) throw new IllegalArgumentException("no tensor named '" + name + "'");
        return e;
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** The storage of a tensor (a slice of the flat buffer, or a buffer of its own). */
    public Tensor tensor(String name) {
        Entry e = entry(name);
        if (e.trainable()) return flat.slice(e.offset(), e.size());
        return switch (name.substring(PREFIX.length())) {
            case "H_init" -> hInit;
            case "L_init" -> lInit;
            case "puzzle_emb.weights" -> puzzleTable;
            default -> throw new IllegalStateException(name);
        };
    }

    /** The gradient of a trainable tensor. */
    public Tensor grad(String name) {
        Entry e = entry(name);
        if (!e.trainable()) throw new IllegalArgumentException(name + " is not trained by gradient");
        if (grads == null) throw new IllegalStateException("parameters built for inference have no gradients (" + name + ")");
        return grads.slice(e.offset(), e.size());
    }

    public Tensor weight(String shortName) {
        return tensor(PREFIX + shortName);
    }

    public Tensor weightGrad(String shortName) {
        return grad(PREFIX + shortName);
    }

    public Tensor flat() {
        return flat;
    }

    /** The flat gradient buffer; parameters built for inference have none. */
    public Tensor grads() {
        if (grads == null) throw new IllegalStateException("parameters built for inference have no gradients");
        return grads;
    }

    /** Whether there is a gradient buffer (not for inference). */
    public boolean hasGradients() {
        return grads != null;
    }

    /** H_init, or null for a family without a recurrent state ({@link ModelFamily#initialStates}). */
    public Tensor hInit() {
        return hInit;
    }

    /** L_init, or null for a family without a recurrent state. */
    public Tensor lInit() {
        return lInit;
    }

    /** The puzzle-embedding table, or null when puzzle_emb_ndim is 0. */
    public Tensor puzzleTable() {
        return puzzleTable;
    }

    /** Number of trainable floats (the puzzle table not counted). */
    public int trainableSize() {
        return flat.size();
    }

    /**
     * Fresh initial values as docs/model.md §2.1 gives them: truncated normals (JAX-style, so the
     * standard deviation is exact), q_head zero with bias -5, puzzle table zero.
     */
    public void initialise(Backend backend, RandomGenerator rng) {
        int d = cfg.hiddenSize();
        for (Entry e : entries.values()) {
            String n = e.name().substring(PREFIX.length());
            float[] values = new float[e.size()];
            switch (n) {
                case "q_head.weight", "puzzle_emb.weights" -> { }
                case "q_head.bias" -> java.util.Arrays.fill(values, -5f);
                case "H_init", "L_init" -> TruncatedNormal.fill(values, 1.0, rng);
                default -> {
                    int fanIn = n.endsWith("mlp_t.gate_up_proj.weight") ? cfg.tokens()
                            : n.endsWith("mlp_t.down_proj.weight") ? cfg.tokenInnerSize()
                            : n.endsWith("down_proj.weight") ? cfg.intermediateSize() : d;
                    TruncatedNormal.fill(values, 1.0 / Math.sqrt(fanIn), rng);
                }
            }
            backend.upload(values, 0, tensor(e.name()));
        }
        written();
    }
}
