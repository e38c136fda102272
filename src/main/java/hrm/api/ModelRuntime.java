package hrm.api;

import hrm.checkpoint.ModelCheckpoint;
import hrm.cli.Backends;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.Parameters;
import hrm.tensor.cpu.CpuBackend;

import java.io.PrintWriter;

/**
 * A checkpoint's weights loaded into a model of one shape (batch size, sequence length) on a CPU
 * backend of its own: the one place where checkpoint, backend, parameters and model are put
 * together, for {@link HrmModel} and for the commands (eval, solve --views, demo) that need a
 * model of another batch size. Not thread-safe: the backend runs one parallel loop at a time and
 * the model keeps its activations between calls; {@link HrmModel} locks around it.
 */
public final class ModelRuntime implements AutoCloseable {
    private final CpuBackend backend;
    private final Parameters params;
    private final HrmAct act;

    private ModelRuntime(CpuBackend backend, Parameters params) {
        this.backend = backend;
        this.params = params;
        this.act = new HrmAct(params, backend, false);
    }

    /**
     * The model {@code cfg} with the checkpoint's weights, on a backend of {@code threads} worker
     * threads (0: one per core) whose notices (the bfloat16 product path) go to {@code notes}. The
     * backend is closed again if the weights do not load, so a failure leaks no threads.
     */
    public static ModelRuntime open(ModelCheckpoint ckpt, ModelConfig cfg, int threads, PrintWriter notes) {
        CpuBackend be = Backends.cpu(threads, cfg.activationType(), notes);
        try {
            return new ModelRuntime(be, ckpt.load(cfg, be));
        } catch (RuntimeException | Error e) {
            be.close();
            throw e;
        }
    }

    /** The backend the model computes on. */
    public CpuBackend backend() {
        return backend;
    }

    /** The checkpoint's weights as loaded (inference only: no gradient buffer). */
    public Parameters params() {
        return params;
    }

    /** The model, for inference (no gradients). */
    public HrmAct act() {
        return act;
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
