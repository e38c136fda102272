package hrm.model;

import hrm.tensor.Tensor;

import java.util.Map;

/**
 * The model's tensors as typed fields, looked up by state-dict name once (in {@link Parameters}),
 * so the model code never spells a name: each weight with its gradient beside it; the blocks per
 * stack of the family's layout ({@link ModelFamily#levels}), by state-dict prefix.
 */
public record Weights(Weight embedTokens, Weight embedPositions, Weight lmHead, Weight qHead, Weight qBias,
                      Map<String, BlockWeights[]> levels) {

    /** A trainable tensor and its gradient (views into the flat buffers). */
    public record Weight(Tensor value, Tensor grad) {}

    /**
     * One block's matrices (docs/model.md §2.1, §3): attention's qkv and o, or, with TRM's mlp_t, the token
     * MLP's gate_up and down over the token axis (the other pair is then null); then the MLP's.
     */
    public record BlockWeights(Weight qkv, Weight o, Weight tokenGateUp, Weight tokenDown, Weight gateUp, Weight down) {
        public boolean mlpT() {
            return tokenGateUp != null;
        }
    }

    /** The blocks of the stack under {@code prefix} (e.g. {@code L_level}). */
    public BlockWeights[] level(String prefix) {
        BlockWeights[] b = levels.get(prefix);
        if (b == null) throw new IllegalArgumentException("no block stack " + prefix + " in this model");
        return b;
    }
}
