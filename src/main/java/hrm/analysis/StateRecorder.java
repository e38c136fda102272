package hrm.analysis;

import hrm.model.ModelConfig;
import hrm.model.InnerModel;
import hrm.tensor.Backend;
import hrm.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Every z update of the segments run while it is attached ({@link InnerModel#setTrace}), copied to
 * the host in order: which module updated (H or L) and the whole state, batch x tokens x hidden.
 * The buffers are kept and reused from one batch to the next.
 */
public final class StateRecorder implements InnerModel.Trace {
    private final Backend be;
    private final int size;
    private final List<float[]> states = new ArrayList<>();
    private final List<Boolean> high = new ArrayList<>();
    private int count;

    public StateRecorder(Backend be, ModelConfig cfg) {
        this.be = be;
        this.size = cfg.batchSize() * cfg.tokens() * cfg.hiddenSize();
    }

    @Override
    public void update(boolean h, Tensor z) {
        if (count == states.size()) {
            states.add(new float[size]);
            high.add(h);
        }
        be.download(z, states.get(count), 0);
        high.set(count, h);
        count++;
    }

    /** Forgets the updates recorded (their buffers are reused). */
    public void clear() {
        count = 0;
    }

    /** Updates recorded since the last {@link #clear()}. */
    public int updates() {
        return count;
    }

    /** Whether update {@code u} was the H module's. */
    public boolean isHigh(int u) {
        return high.get(u);
    }

    /** The state after update {@code u}: batch x tokens x hidden. */
    public float[] state(int u) {
        return states.get(u);
    }
}
