package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.DataType;
import hrm.tensor.Tensor;

/**
 * The H or L module (or TRM's one network): z = blocks(state + injection). Runs either without saving anything (the
 * no-gradient iterations, in place on one buffer) or saving every block's activations for the
 * one-step gradient.
 */
final class ReasoningModule {
    private final Block[] blocks;

    ReasoningModule(Weights.BlockWeights[] layers) {
        blocks = new Block[layers.length];
        for (int i = 0; i < layers.length; i++) blocks[i] = new Block(layers[i]);
    }

    int layers() {
        return blocks.length;
    }

    /** state = module(state + injection), in place, nothing saved. */
    void forwardInference(Backend be, Shapes s, Tensor state, Tensor injection, BlockActivations scratch, Tensor tmp) {
        be.add(state, injection, state);
        blocksInPlace(be, s, state, scratch, tmp);
    }

    private void blocksInPlace(Backend be, Shapes s, Tensor z, BlockActivations scratch, Tensor tmp) {
        for (Block b : blocks) b.forward(be, s, z, z, scratch, tmp);
    }

    /** What the gradient pass keeps: the module input and, per block, activations and output. */
    static final class Saved {
        final Tensor input;
        final BlockActivations[] acts;
        final Tensor[] outputs;

        /** Gate/up kept with bfloat16 activations, recomputed with float32 (see BlockActivations). */
        Saved(Backend be, Shapes s, int layers, BlockActivations.MlpScratch mlp) {
            this(be, s, layers, mlp, s.act() == DataType.BFLOAT16);
        }

        /** keepGateUp: every block keeps its MLP's gate/up output for the backward (see BlockActivations). */
        Saved(Backend be, Shapes s, int layers, BlockActivations.MlpScratch mlp, boolean keepGateUp) {
            input = be.allocate(s.rows() * s.dim(), s.act());
            acts = new BlockActivations[layers];
            outputs = new Tensor[layers];
            for (int i = 0; i < layers; i++) {
                acts[i] = new BlockActivations(be, s, mlp, keepGateUp);
                outputs[i] = be.allocate(s.rows() * s.dim(), s.act());
            }
        }

        Tensor output() {
            return outputs[outputs.length - 1];
        }
    }

    /** saved.output() = module(state + injection), keeping what the backward needs. */
    void forwardSaving(Backend be, Shapes s, Tensor state, Tensor injection, Saved saved, Tensor tmp) {
        be.add(state, injection, saved.input);
        blocksSaving(be, s, saved, tmp, null);
    }

    /**
     * out = module(input), nothing added to the input first (the transformer's one pass): keeping
     * the activations in {@code saved} when not null (its output then copied into out), else in
     * {@code scratch}.
     */
    void apply(Backend be, Shapes s, Tensor input, Tensor out, Saved saved, BlockActivations scratch, Tensor tmp) {
        apply(be, s, input, out, saved, scratch, tmp, null);
    }

    /** As {@link #apply}, handing each block's output to {@code eachBlock} (not null: the analyses' per-layer trace). */
    void apply(Backend be, Shapes s, Tensor input, Tensor out, Saved saved, BlockActivations scratch, Tensor tmp,
               java.util.function.Consumer<Tensor> eachBlock) {
        if (saved == null) {
            be.copy(input, out);
            for (Block b : blocks) {
                b.forward(be, s, out, out, scratch, tmp);
                if (eachBlock != null) eachBlock.accept(out);
            }
            return;
        }
        be.copy(input, saved.input);
        blocksSaving(be, s, saved, tmp, eachBlock);
        be.copy(saved.output(), out);
    }

    /** The blocks from saved.input, each keeping its activations and output. */
    private void blocksSaving(Backend be, Shapes s, Saved saved, Tensor tmp, java.util.function.Consumer<Tensor> eachBlock) {
        Tensor x = saved.input;
        for (int i = 0; i < blocks.length; i++) {
            blocks[i].forward(be, s, x, saved.outputs[i], saved.acts[i], tmp);
            x = saved.outputs[i];
            if (eachBlock != null) eachBlock.accept(x);
        }
    }

    /**
     * state = module(state + injection), in place: keeping the activations in {@code saved} (its
     * output then copied into state) when not null, else without saving (in {@code scratch}).
     */
    void update(Backend be, Shapes s, Tensor state, Tensor injection, Saved saved, BlockActivations scratch, Tensor tmp) {
        if (saved == null) {
            forwardInference(be, s, state, injection, scratch, tmp);
            return;
        }
        forwardSaving(be, s, state, injection, saved, tmp);
        be.copy(saved.output(), state);
    }

    /**
     * From the gradient at the output to the gradient at (state + injection), in place in grad;
     * the weight gradients are overwritten, or added to with {@code accumulate}.
     */
    void backward(Backend be, Shapes s, Tensor grad, Saved saved, BlockGradScratch g, boolean accumulate) {
        for (int i = blocks.length - 1; i >= 0; i--) {
            Tensor x = i == 0 ? saved.input : saved.outputs[i - 1];
            blocks[i].backward(be, s, grad, x, saved.outputs[i], saved.acts[i], grad, g, accumulate);
        }
    }
}
