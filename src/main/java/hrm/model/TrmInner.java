package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * TRM's recursion (docs/model.md §5.2): one network updates both states. A cycle is L_cycles
 * latent updates z_L = net(z_L + z_H + e) and one answer update z_H = net(z_H + z_L); H_cycles - 1
 * cycles run without gradient, the last is back-propagated in full, so its L_cycles + 1 network
 * calls keep their activations (a tape of calls through the same weights, whose gradients add up)
 * and e receives the gradient of each of its L_cycles injections.
 */
final class TrmInner extends InnerModel {
    private final ReasoningModule net;
    /** The last cycle's calls: [0, L_cycles) the latent updates, [L_cycles] the answer update. */
    private final ReasoningModule.Saved[] tape;
    private final Tensor dE;
    private final int cycles, n;

    TrmInner(Parameters params, Backend backend, boolean withGradients, TrmFamily family) {
        super(params, backend, withGradients);
        net = new ReasoningModule(params.weights().level("L_level"));
        cycles = family.hCycles();
        n = family.lCycles();
        int calls = n + 1;
        tape = withGradients ? new ReasoningModule.Saved[calls] : null;
        if (withGradients)
            for (int i = 0; i < calls; i++) tape[i] = new ReasoningModule.Saved(be, shapes, family.lLayers(), mlp, true);
        dE = withGradients ? be.allocate(shapes.rows() * shapes.dim(), shapes.act()) : null;
    }

    @Override
    protected void iterate(Tensor zH, Tensor zL, boolean withGrad, Trace observer) {
        for (int c = 0; c < cycles; c++) {
            boolean keep = withGrad && c == cycles - 1;
            for (int l = 0; l < n; l++) {
                be.add(zH, embedded, injection);
                net.update(be, shapes, zL, injection, keep ? tape[l] : null, scratch, tmp);
                if (observer != null) observer.update(false, zL);
            }
            net.update(be, shapes, zH, zL, keep ? tape[n] : null, scratch, tmp);
            if (observer != null) observer.update(true, zH);
        }
    }

    @Override
    protected void highPass(Tensor zH, Tensor zL) {
        net.update(be, shapes, zH, zL, null, scratch, tmp);
    }

    @Override
    protected Tensor savedZH() {
        return tape[n].output();
    }

    @Override
    protected Tensor backwardRecursion(Tensor dz) {
        // the answer update z_H = net(z_H + z_L): its input's gradient is the last z_L's (z_H entered detached)
        net.backward(be, shapes, dz, tape[n], gradScratch, false);
        for (int l = n - 1; l >= 0; l--) {
            // z_L = net(z_L + z_H + e): the input's gradient goes to the previous z_L and to e
            net.backward(be, shapes, dz, tape[l], gradScratch, true);
            if (l == n - 1) be.copy(dz, dE);
            else be.add(dE, dz, dE);
        }
        return dE;
    }
}
