package hrm.model;

import hrm.tensor.Backend;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HRM paper's baseline (docs/model.md §5.4): HRM's blocks stacked num_layers deep, one forward
 * pass per segment from the input embedding, no recurrence and no state carried between segments,
 * every layer back-propagated. With halt_max_steps 1 it is the paper's direct prediction ("Direct
 * pred"). Its one key: num_layers.
 */
public record TransformerFamily(int numLayers) implements ModelFamily {
    static final String NAME = "transformer@Transformer_ACTV1";
    static final Families.Entry ENTRY = new Families.Entry(NAME, "transformer", "a transformer", TransformerFamily.class,
            Set.of("num_layers"), Set.of("num_layers"), TransformerFamily::read);

    public TransformerFamily {
        Keys.positive("num_layers", numLayers);
    }

    private static TransformerFamily read(Keys k) {
        return new TransformerFamily(k.intKey("num_layers", null));
    }

    @Override
    public void putKeys(Map<String, Object> m) {
        m.put("num_layers", numLayers);
    }

    /** One stack, under {@code net.}: model.inner.net.layers.i.* */
    @Override
    public List<Level> levels() {
        return List.of(new Level("net", numLayers));
    }

    /** No recurrent state: nothing to start it from. */
    @Override
    public boolean initialStates() {
        return false;
    }

    @Override
    public InnerModel inner(Parameters params, Backend backend, boolean withGradients) {
        return new TransformerInner(params, backend, withGradients);
    }

    @Override
    public int segmentPasses() {
        return numLayers;
    }

    /** Every layer. */
    @Override
    public int gradientPasses() {
        return numLayers;
    }

    @Override
    public String describe() {
        return ", num_layers " + numLayers;
    }
}
