package hrm.model;

import hrm.tensor.Backend;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TRM (docs/model.md §5.2, docs/trm.md): one network of L_layers blocks updates both states,
 * H_cycles cycles of L_cycles latent updates and one answer update, the last cycle back-propagated
 * in full. Its own keys: puzzle_emb_len (P when non-zero), mlp_t (the token MLP in place of
 * attention), no_ACT_continue (halting on q_halt alone, no Q-continue target); H_layers is
 * accepted and ignored.
 */
public record TrmFamily(int hCycles, int lCycles, int hLayers, int lLayers, int puzzleEmbLenKey, boolean mlpT, boolean noActContinue)
        implements ModelFamily {
    static final String NAME = "recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1";
    static final Families.Entry ENTRY = new Families.Entry(NAME, "trm", "a TRM", TrmFamily.class,
            Set.of("H_cycles", "L_cycles", "H_layers", "L_layers", "puzzle_emb_len", "mlp_t", "no_ACT_continue"),
            Set.of("puzzle_emb_len", "mlp_t", "no_ACT_continue"), TrmFamily::read);

    public TrmFamily {
        Keys.positive("H_cycles", hCycles);
        Keys.positive("L_cycles", lCycles);
        Keys.nonNegative("H_layers", hLayers); // TRM has no H network: H_layers is ignored
        Keys.nonNegative("puzzle_emb_len", puzzleEmbLenKey);
        Keys.positive("L_layers", lLayers);
        if (puzzleEmbLenKey > 1 << 16) throw Keys.bad("puzzle_emb_len", puzzleEmbLenKey, "must be at most 65536");
    }

    private static TrmFamily read(Keys k) {
        return new TrmFamily(k.intKey("H_cycles", null), k.intKey("L_cycles", null), k.intKey("H_layers", 0), k.intKey("L_layers", null),
                k.intKey("puzzle_emb_len", 16), k.boolKey("mlp_t", false), k.boolKey("no_ACT_continue", true));
    }

    @Override
    public void putKeys(Map<String, Object> m) {
        Keys.put(m, "H_cycles", hCycles, "L_cycles", lCycles, "H_layers", hLayers, "L_layers", lLayers,
                "puzzle_emb_len", puzzleEmbLenKey, "mlp_t", mlpT, "no_ACT_continue", noActContinue);
    }

    @Override
    public Set<PosEncoding> positionEncodings() {
        return EnumSet.allOf(PosEncoding.class);
    }

    @Override
    public void check(ModelConfig.Network n) {
        if (n.puzzleEmbNdim() == 0 && puzzleEmbLenKey != 0)
            throw Keys.bad("puzzle_emb_len", puzzleEmbLenKey, "must be 0 when puzzle_emb_ndim is 0 (there is no puzzle embedding to place)");
        if ((long) puzzleEmbLenKey * n.hiddenSize() < n.puzzleEmbNdim() && puzzleEmbLenKey != 0)
            throw Keys.bad("puzzle_emb_len", puzzleEmbLenKey, "x hidden_size " + n.hiddenSize() + " is smaller than puzzle_emb_ndim " + n.puzzleEmbNdim());
    }

    /** The one network, L_level (TRM has no H_level, whatever H_layers says). */
    @Override
    public List<Level> levels() {
        return List.of(new Level("L_level", lLayers));
    }

    @Override
    public int puzzleEmbLen(ModelConfig.Network n) {
        return puzzleEmbLenKey != 0 ? puzzleEmbLenKey : ModelFamily.super.puzzleEmbLen(n);
    }

    /** mlp_t's inner width, HRM's I formula over the tokens. */
    @Override
    public int tokenInnerSize(double expansion, int tokens) {
        return mlpT ? ModelConfig.intermediateSize(expansion, tokens) : 0;
    }

    @Override
    public InnerModel inner(Parameters params, Backend backend, boolean withGradients) {
        return new TrmInner(params, backend, withGradients, this);
    }

    /** With no_ACT_continue: q_halt > 0. */
    @Override
    public boolean actHalts(float qHalt, float qContinue) {
        return noActContinue ? qHalt > 0 : qHalt > qContinue;
    }

    @Override
    public boolean qContinueTargets() {
        return !noActContinue;
    }

    /** H_cycles x (L_cycles + 1) network calls. */
    @Override
    public int segmentPasses() {
        return hCycles * (lCycles + 1) * lLayers;
    }

    /** The whole last cycle. */
    @Override
    public int gradientPasses() {
        return (lCycles + 1) * lLayers;
    }

    @Override
    public String describe() {
        return ", L_layers " + lLayers + ", mlp_t " + mlpT;
    }

    @Override
    public ArcRules arcRules() {
        return ArcRules.TRM;
    }
}
