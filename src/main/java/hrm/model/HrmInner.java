package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * HRM's recursion (docs/model.md §5.1): H_cycles x L_cycles updates of z_L by the L module and H_cycles
 * updates of z_H by the H module, all without gradient but the last L and the last H update (the
 * one-step gradient).
 */
final class HrmInner extends InnerModel {
    private final ReasoningModule hLevel, lLevel;
    private final ReasoningModule.Saved savedL, savedH;
    private final int hc, lc;

    HrmInner(Parameters params, Backend backend, boolean withGradients, HrmFamily family) {
        super(params, backend, withGradients);
        Weights w = params.weights();
        hLevel = new ReasoningModule(w.level("H_level"));
        lLevel = new ReasoningModule(w.level("L_level"));
        savedL = withGradients ? new ReasoningModule.Saved(be, shapes, family.lLayers(), mlp) : null;
        savedH = withGradients ? new ReasoningModule.Saved(be, shapes, family.hLayers(), mlp) : null;
        hc = family.hCycles();
        lc = family.lCycles();
    }

    @Override
    protected void iterate(Tensor zH, Tensor zL, boolean withGrad, Trace observer) {
        for (int h = 0; h < hc; h++) {
            for (int l = 0; l < lc; l++) {
                if (h == hc - 1 && l == lc - 1) continue;
                be.add(zH, embedded, injection);
                lLevel.forwardInference(be, shapes, zL, injection, scratch, tmp);
                if (observer != null) observer.update(false, zL);
            }
            if (h != hc - 1) {
                hLevel.forwardInference(be, shapes, zH, zL, scratch, tmp);
                if (observer != null) observer.update(true, zH);
            }
        }
        be.add(zH, embedded, injection);
        lLevel.update(be, shapes, zL, injection, withGrad ? savedL : null, scratch, tmp);
        if (observer != null) observer.update(false, zL);
        hLevel.update(be, shapes, zH, zL, withGrad ? savedH : null, scratch, tmp);
        if (observer != null) observer.update(true, zH);
    }

    @Override
    protected void highPass(Tensor zH, Tensor zL) {
        hLevel.forwardInference(be, shapes, zH, zL, scratch, tmp);
    }

    @Override
    protected Tensor savedZH() {
        return savedH.output();
    }

    @Override
    protected Tensor backwardRecursion(Tensor dz) {
        hLevel.backward(be, shapes, dz, savedH, gradScratch, false); // dz: gradient at z_H + z_L, i.e. at the new z_L
        lLevel.backward(be, shapes, dz, savedL, gradScratch, false); // dz: gradient at z_L + z_H + e, i.e. at e
        return dz;
    }
}
