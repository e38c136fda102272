package hrm.model;

import hrm.tensor.Backend;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model family (docs/model.md §1.1, §5): its own configuration keys and their checks, its
 * parameter layout (the block stacks and their state-dict names), its inner model, its halting
 * rule, its FLOP count and the evaluation rules of its code base. Everything outside the model
 * layer asks the family object; nothing there asks which family it is. {@link Families} maps the
 * reference's {@code arch.name} to the families, one line each.
 */
public sealed interface ModelFamily permits HrmFamily, TrmFamily, TransformerFamily {

    /** The reference's arch.name (module@Class), as checkpoints write it. */
    default String name() {
        return Families.of(this).name();
    }

    /** The class name ({@code name} after the '@'). */
    default String className() {
        return name().substring(name().lastIndexOf('@') + 1);
    }

    /** The short lower-case name: what {@code hrm demo --model} takes and the API's ModelInfo says. */
    default String shortName() {
        return Families.of(this).shortName();
    }

    /** The family's own keys under the reference's names, in the order checkpoints write them. */
    void putKeys(Map<String, Object> m);

    /** The position encodings the family accepts. */
    default Set<PosEncoding> positionEncodings() {
        return EnumSet.of(PosEncoding.ROPE, PosEncoding.LEARNED);
    }

    /** Checks the family's keys against the common ones (throws naming the key and the value). */
    default void check(ModelConfig.Network n) {
    }

    /** One stack of blocks: its state-dict prefix ({@code H_level}) and its depth. */
    record Level(String prefix, int layers) {
    }

    /** The block stacks {@link Parameters} lays out, in state-dict order. */
    List<Level> levels();

    /** Whether the state has starting values, H_init and L_init, that a reset row takes (docs/model.md §2.1 and §6). */
    default boolean initialStates() {
        return true;
    }

    /**
     * Whether its trace's updates are its layers' outputs (a model without a recurrent state, whose
     * inner model reports {@link InnerModel.Trace#input} and then each layer) rather than z_H and z_L.
     */
    default boolean tracesLayers() {
        return !initialStates();
    }

    /** How an update is named in traces and analyses: "layer", or the module it changed, "H" or "L". */
    default String updateModule(boolean high) {
        return tracesLayers() ? "layer" : high ? "H" : "L";
    }

    /** P, the puzzle-embedding tokens in front of the cells: ceil(puzzle_emb_ndim / D) unless the family sets it. */
    default int puzzleEmbLen(ModelConfig.Network n) {
        return (n.puzzleEmbNdim() + n.hiddenSize() - 1) / n.hiddenSize();
    }

    /** It, the token MLP's inner width when the blocks mix tokens by an MLP (TRM's mlp_t); 0 for attention. */
    default int tokenInnerSize(double expansion, int tokens) {
        return 0;
    }

    /** The family's inner model over these parameters (docs/model.md §5). */
    InnerModel inner(Parameters params, Backend backend, boolean withGradients);

    /** ACT's halting rule for a segment's Q logits, exploration aside (docs/model.md §6). */
    default boolean actHalts(float qHalt, float qContinue) {
        return qHalt > qContinue;
    }

    /** Whether training computes the Q-continue target with one more segment (docs/model.md §6). */
    default boolean qContinueTargets() {
        return true;
    }

    /** Block passes of a whole segment. */
    int segmentPasses();

    /** Block passes the gradient goes through. */
    int gradientPasses();

    /** The family's layout in words, for messages: {@code ", H_layers 4, L_layers 4"}. */
    String describe();

    /** How ARC is scored for this family: by the rules of its code base. */
    default ArcRules arcRules() {
        return ArcRules.HRM;
    }
}
