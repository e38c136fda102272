package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * The transformer baseline's segment (docs/model.md §5.4): z_H = net(e), num_layers blocks from
 * the input embedding; the carry's state is neither read nor continued (z_L stays unused), so every
 * segment recomputes the same output from the input. The backward runs through every layer to e.
 * Traced, it reports e, then each layer's output as an update (the paper's deep network of Fig. 3).
 */
final class TransformerInner extends InnerModel {
    private final ReasoningModule net;
    private final ReasoningModule.Saved saved;

    TransformerInner(Parameters params, Backend backend, boolean withGradients) {
        super(params, backend, withGradients);
        Weights.BlockWeights[] layers = params.weights().level("net");
        net = new ReasoningModule(layers);
        saved = withGradients ? new ReasoningModule.Saved(be, shapes, layers.length, mlp) : null;
    }

    @Override
    protected void iterate(Tensor zH, Tensor zL, boolean withGrad, Trace observer) {
        if (observer == null) {
            net.apply(be, shapes, embedded, zH, withGrad ? saved : null, scratch, tmp);
            return;
        }
        observer.input(embedded);
        net.apply(be, shapes, embedded, zH, withGrad ? saved : null, scratch, tmp, z -> observer.update(true, z));
    }

    /** Nothing: the output is final after the one pass (there is no H module to run again). */
    @Override
    protected void highPass(Tensor zH, Tensor zL) {
    }

    @Override
    protected Tensor savedZH() {
        return saved.output();
    }

    @Override
    protected Tensor backwardRecursion(Tensor dz) {
        net.backward(be, shapes, dz, saved, gradScratch, false); // the input was e itself: dz becomes the gradient at e
        return dz;
    }
}
