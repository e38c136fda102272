package hrm.checkpoint;

import hrm.model.ModelConfig;
import hrm.model.Parameters;
import hrm.tensor.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a state dict (names as docs/model.md §2.1, under {@code model.inner.}, optionally behind
 * torch.compile's {@code _orig_mod.} prefix) into {@link Parameters}. Every tensor of the model must
 * be there, nothing else may be, and every shape must match the configuration; all of that is
 * checked before anything is uploaded, so a refused file leaves the parameters as they were.
 * bfloat16 and float16 values widen to float32 exactly. {@link #stateDict} is the way back.
 */
public final class ParameterLoader {
    public static final String COMPILED_PREFIX = "_orig_mod.";

    private ParameterLoader() {}

    public static void load(TensorMap stateDict, Parameters params, Backend backend) {
        Map<String, NamedTensor> byName = normalised(stateDict);
        ModelConfig cfg = params.config();
        String where = stateDict.source() == null ? "" : stateDict.source() + ": ";
        List<String> missing = new ArrayList<>();
        for (Parameters.Entry e : params.entries()) if (!byName.containsKey(e.name())) missing.add(e.name());
        List<String> unexpected = new ArrayList<>();
        for (String n : byName.keySet()) if (!params.has(n)) unexpected.add(n);
        if (!missing.isEmpty() || !unexpected.isEmpty())
            throw new IllegalArgumentException(where + "the state dict does not fit the model"
                    + (missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing))
                    + (unexpected.isEmpty() ? "" : "; unexpected: " + String.join(", ", unexpected))
                    + " (model: " + cfg.describe() + ")");
        for (Parameters.Entry e : params.entries()) {
            NamedTensor t = byName.get(e.name());
            long[] want = Arrays.stream(e.shape()).asLongStream().toArray();
            if (!Arrays.equals(t.shape(), want))
                throw new IllegalArgumentException(where + "tensor '" + t.name() + "' has shape " + t.shapeString()
                        + ", the model expects " + NamedTensor.shapeString(want) + " (" + shapeRule(e.name(), cfg) + ")");
            if (!t.dtype().floating)
                throw new IllegalArgumentException(where + "tensor '" + t.name() + "' is " + t.dtype() + ", expected a floating-point type");
        }
        for (Parameters.Entry e : params.entries()) backend.upload(byName.get(e.name()).toFloats(), 0, params.tensor(e.name()));
        params.written();
    }

    /** Every tensor of the parameters as float32, under its state-dict name, in the model's order. */
    public static TensorMap stateDict(Parameters params, Backend backend) {
        TensorMap out = new TensorMap();
        for (Parameters.Entry e : params.entries()) {
            float[] v = new float[e.size()];
            backend.download(params.tensor(e.name()), v, 0);
            out.put(NamedTensor.ofFloats(e.name(), v, Arrays.stream(e.shape()).asLongStream().toArray()));
        }
        return out;
    }

    /** Names with the {@code _orig_mod.} prefix removed; the same name with and without it is an error. */
    static Map<String, NamedTensor> normalised(TensorMap stateDict) {
        Map<String, NamedTensor> out = new LinkedHashMap<>();
        for (NamedTensor t : stateDict.tensors()) {
            String n = t.name().startsWith(COMPILED_PREFIX) ? t.name().substring(COMPILED_PREFIX.length()) : t.name();
            if (out.put(n, t) != null)
                throw new IllegalArgumentException((stateDict.source() == null ? "" : stateDict.source() + ": ")
                        + "tensor '" + n + "' is stored twice (with and without " + COMPILED_PREFIX + ")");
        }
        return out;
    }

    /** Which configuration values a tensor's shape comes from, for the error message. */
    private static String shapeRule(String name, ModelConfig c) {
        String n = name.substring(Parameters.PREFIX.length());
        int d = c.hiddenSize();
        if (n.startsWith("embed_tokens") || n.startsWith("lm_head"))
            return "vocab_size " + c.vocabSize() + " x hidden_size " + d;
        if (n.startsWith("embed_pos"))
            return "seq_len " + c.seqLen() + " + " + c.puzzleEmbLen() + " puzzle tokens x hidden_size " + d;
        if (n.startsWith("puzzle_emb"))
            return "num_puzzle_identifiers " + c.numPuzzleIdentifiers() + " x puzzle_emb_ndim " + c.puzzleEmbNdim();
        if (n.startsWith("q_head")) return "2 Q values from hidden_size " + d;
        if (n.contains(".mlp_t."))
            return "mlp_t over seq_len " + c.seqLen() + " + " + c.puzzleEmbLen() + " puzzle tokens = " + c.tokens()
                    + ", width " + c.tokenInnerSize() + " from expansion " + c.expansion() + ": mlp_t weights fit one sequence length only";
        if (n.endsWith("gate_up_proj.weight") || n.endsWith("down_proj.weight"))
            return "MLP width " + c.intermediateSize() + " from expansion " + c.expansion() + ", hidden_size " + d;
        return "hidden_size " + d;
    }
}
