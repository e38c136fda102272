package hrm.cli;

import hrm.checkpoint.ModelCheckpoint;
import hrm.data.PuzzleDataset;
import hrm.eval.views.PuzzleKind;
import hrm.eval.views.ViewSet;
import hrm.eval.views.ViewsScorer;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.runtime.CheckpointResolver;
import hrm.tensor.Backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code views=K}, {@code views_seed=N} and {@code ensemble=[CK2,CK3]} keys of {@code hrm eval}:
 * everything is checked before the evaluation starts (the views drawn, every member's configuration
 * compared), so a bad key costs no evaluation time. A member is named as {@code --checkpoint} is
 * ({@link CheckpointResolver}: a run directory means its latest step_N). Kept out of EvalCommand so
 * that command stays one page.
 */
final class EvalViews {
    static final Set<String> KEYS = Set.of("views", "views_seed", "ensemble");

    private final ViewSet views;
    private final List<ModelCheckpoint> members;
    private final List<ModelConfig> memberConfigs;

    private EvalViews(ViewSet views, List<ModelCheckpoint> members, List<ModelConfig> memberConfigs) {
        this.views = views;
        this.members = members;
        this.memberConfigs = memberConfigs;
    }

    /**
     * The plan for this dataset, or null where it has no views (ARC, unknown data) and none were
     * asked for; refused, naming the key, where they were asked for there or do not fit.
     */
    static EvalViews plan(Map<String, String> kv, PuzzleDataset test, Path data, ModelConfig cfg, java.io.PrintWriter notes) {
        int k = KeyValues.positiveInt(kv, "views", 1);
        long seed = KeyValues.longValue(kv, "views_seed", 0);
        List<String> ensemble = ensemble(kv.get("ensemble"));
        PuzzleKind kind = PuzzleKind.of(test);
        if (kind instanceof PuzzleKind.Other o) {
            if (!ensemble.isEmpty())
                throw new IllegalArgumentException("ensemble: votes over checkpoints exist for Sudoku and maze datasets only, not for " + o.what());
            if (k == 1) return null;
        }
        ViewSet views = ViewSet.draw(kind, k, seed);
        List<ModelCheckpoint> members = new ArrayList<>();
        List<ModelConfig> configs = new ArrayList<>();
        for (String m : ensemble) {
            ModelCheckpoint member;
            ModelConfig mc;
            try {
                member = ModelCheckpoint.read(CheckpointResolver.resolve(Path.of(m), notes, "hrm eval: ensemble member"));
                mc = member.modelConfig(cfg.batchSize(), test.metadata(), data).withForwardDtype(cfg.activationType());
            } catch (RuntimeException e) {
                if (!Main.isBadInput(e)) throw e;
                throw new IllegalArgumentException("ensemble member " + m + ": " + hrm.io.ErrorText.of(e), e);
            }
            String differs = differs(cfg, mc);
            if (differs != null)
                throw new IllegalArgumentException("ensemble member " + m + ": " + differs + " (members must share the architecture)");
            members.add(member);
            configs.add(mc);
        }
        return new EvalViews(views, members, configs);
    }

    /** The sink for the evaluation: the checkpoint's own model first, then the members loaded on the same backend. */
    ViewsScorer scorer(HrmAct act, Backend be) {
        List<HrmAct> acts = new ArrayList<>(List.of(act));
        for (int i = 0; i < members.size(); i++) acts.add(new HrmAct(members.get(i).load(memberConfigs.get(i), be), be, false));
        return new ViewsScorer(acts, views);
    }

    /** What differs between the checkpoint's model and a member's, among the things a vote needs shared; null if nothing. */
    private static String differs(ModelConfig a, ModelConfig b) {
        if (!a.family().name().equals(b.family().name())) return "arch " + b.family().name() + " differs from the checkpoint's " + a.family().name();
        if (a.hiddenSize() != b.hiddenSize()) return "hidden_size " + b.hiddenSize() + " differs from the checkpoint's " + a.hiddenSize();
        if (!a.family().levels().equals(b.family().levels()))
            return "the layers (" + b.family().describe().substring(2) + ") differ from the checkpoint's (" + a.family().describe().substring(2) + ")";
        if (a.vocabSize() != b.vocabSize()) return "vocab_size " + b.vocabSize() + " differs from the checkpoint's " + a.vocabSize();
        if (a.seqLen() != b.seqLen()) return "seq_len " + b.seqLen() + " differs from the checkpoint's " + a.seqLen();
        return null;
    }

    /** {@code [a,b]} or {@code a,b}: checkpoint paths. */
    static List<String> ensemble(String v) {
        if (v == null) return List.of();
        String s = v.strip();
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        List<String> out = new ArrayList<>();
        for (String p : s.split(",")) {
            if (p.isBlank()) throw new IllegalArgumentException("ensemble = " + v + ": expected [CHECKPOINT,CHECKPOINT,...]");
            out.add(p.strip());
        }
        return out;
    }
}
