package hrm.model;

import hrm.tensor.Backend;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HRM (docs/model.md §5.1): an H module of H_layers blocks and an L module of L_layers blocks,
 * H_cycles x L_cycles updates of z_L and H_cycles of z_H per segment, the one-step gradient.
 */
public record HrmFamily(int hCycles, int lCycles, int hLayers, int lLayers) implements ModelFamily {
    static final String NAME = "hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1";
    static final Families.Entry ENTRY = new Families.Entry(NAME, "hrm", "an HRM", HrmFamily.class,
            Set.of("H_cycles", "L_cycles", "H_layers", "L_layers"), Set.of(), HrmFamily::read);

    public HrmFamily {
        Keys.positive("H_cycles", hCycles);
        Keys.positive("L_cycles", lCycles);
        Keys.positive("H_layers", hLayers);
        Keys.positive("L_layers", lLayers);
    }

    private static HrmFamily read(Keys k) {
        return new HrmFamily(k.intKey("H_cycles", null), k.intKey("L_cycles", null), k.intKey("H_layers", null), k.intKey("L_layers", null));
    }

    @Override
    public void putKeys(Map<String, Object> m) {
        Keys.put(m, "H_cycles", hCycles, "L_cycles", lCycles, "H_layers", hLayers, "L_layers", lLayers);
    }

    @Override
    public List<Level> levels() {
        return List.of(new Level("H_level", hLayers), new Level("L_level", lLayers));
    }

    @Override
    public InnerModel inner(Parameters params, Backend backend, boolean withGradients) {
        return new HrmInner(params, backend, withGradients, this);
    }

    @Override
    public int segmentPasses() {
        return hCycles * lCycles * lLayers + hCycles * hLayers;
    }

    /** The last L and the last H update. */
    @Override
    public int gradientPasses() {
        return lLayers + hLayers;
    }

    @Override
    public String describe() {
        return ", H_layers " + hLayers + ", L_layers " + lLayers;
    }
}
