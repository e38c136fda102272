package hrm.api;

import hrm.checkpoint.ModelCheckpoint;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.InnerModel;
import hrm.model.Parameters;
import hrm.runtime.Backends;
import hrm.tensor.Backend;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * A checkpoint's weights loaded into a model of one shape (batch size, sequence length) on a CPU
 * backend of its own: the one place where checkpoint, backend, parameters and model are put
 * together, for {@link HrmModel} and for the commands (eval, demo, analyze) that need a model of
 * another batch size. A runtime opened with {@link #openSampleExact} also holds models of other
 * batch sizes ({@link #act(int)}) on the same backend and weights, each sample of which computes
 * exactly as the model of one sample computes it. Not thread-safe: the backend runs one parallel
 * loop at a time and the models keep their activations between calls; {@link HrmModel} locks
 * around it.
 */
public final class ModelRuntime implements AutoCloseable {
    private final Backend backend;
    private final Parameters params;
    private final HrmAct act;
    private final boolean sampleExact;
    private final Map<Integer, HrmAct> bySize = new HashMap<>();

    private ModelRuntime(Backend backend, Parameters params, boolean sampleExact) {
        this.backend = backend;
        this.params = params;
        this.act = new HrmAct(params, backend, false);
        this.sampleExact = sampleExact;
        bySize.put(params.config().batchSize(), act);
    }

    /**
     * The model {@code cfg} with the checkpoint's weights, on a backend of {@code threads} worker
     * threads (0: one per core) whose notices (the bfloat16 product path) go to {@code notes}. The
     * backend is closed again if the weights do not load, so a failure leaks no threads.
     */
    public static ModelRuntime open(ModelCheckpoint ckpt, ModelConfig cfg, int threads, PrintWriter notes) {
        return open(ckpt, cfg, Backends.cpu(threads, cfg.activationType(), notes), false);
    }

    /**
     * As {@link #open}, {@code cfg} of batch size 1, for models of several batch sizes
     * ({@link #act(int)}) whose every sample computes bit for bit what the model of one sample
     * computes, so that a puzzle's answer does not depend on the puzzles batched with it: each
     * kernel computes a row the same whatever rows are beside it, and where bfloat16 products are
     * chosen by measurement each takes the path of its one-sample product
     * ({@link Backends#sampleExact}).
     */
    public static ModelRuntime openSampleExact(ModelCheckpoint ckpt, ModelConfig cfg, int threads, PrintWriter notes) {
        if (cfg.batchSize() != 1) throw new IllegalArgumentException("a sample-exact runtime starts from the model of batch size 1, not " + cfg.batchSize());
        return open(ckpt, cfg, Backends.sampleExact(threads, cfg.activationType(), notes, InnerModel.forwardProducts(cfg)), true);
    }

    private static ModelRuntime open(ModelCheckpoint ckpt, ModelConfig cfg, Backend be, boolean sampleExact) {
        try {
            return new ModelRuntime(be, ckpt.load(cfg, be), sampleExact);
        } catch (RuntimeException | Error e) {
            be.close();
            throw e;
        }
    }

    /** The backend the models compute on. */
    public Backend backend() {
        return backend;
    }

    /** The checkpoint's weights as loaded (inference only: no gradient buffer). */
    public Parameters params() {
        return params;
    }

    /** The model of the configuration opened, for inference (no gradients). */
    public HrmAct act() {
        return act;
    }

    /**
     * The model for batches of {@code batchSize} samples, on this backend and these weights (built
     * on first use and kept: its activations are allocated once); only in a runtime opened with
     * {@link #openSampleExact}, where each of its samples computes exactly as {@link #act()} does.
     */
    public HrmAct act(int batchSize) {
        if (!sampleExact) throw new IllegalStateException("models of other batch sizes need a runtime opened with openSampleExact");
        if (batchSize < 1) throw new IllegalArgumentException("batch size " + batchSize + ", expected 1 or more");
        return bySize.computeIfAbsent(batchSize, n -> new HrmAct(params.withBatchSize(n), backend, false));
    }

    /** The model's configuration (batch size, sequence length, dtype). */
    public ModelConfig config() {
        return act.inner().config();
    }

    /** Stops the backend's worker threads. */
    @Override
    public void close() {
        backend.close();
    }
}
