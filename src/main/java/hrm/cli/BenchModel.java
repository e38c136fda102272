package hrm.cli;

import hrm.model.ModelConfig;
import hrm.tensor.DataType;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model {@code hrm bench} times and {@code hrm tune} measures: the reference architecture at the
 * size bench_torch.py uses (or TRM as its {@code --model trm}; or the paper's transformer baseline, which has no
 * peer there), on random tokens, no dataset needed.
 */
final class BenchModel {
    @Option(names = "--batch", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--seq", defaultValue = "81", description = "puzzle cells; one puzzle-embedding token is added (default: ${DEFAULT-VALUE})")
    int seq;
    @Option(names = "--vocab", defaultValue = "11", description = "vocabulary size (default: ${DEFAULT-VALUE})")
    int vocab;
    @Option(names = "--hidden", defaultValue = "512", description = "hidden size (default: ${DEFAULT-VALUE})")
    int hidden;
    @Option(names = "--heads", defaultValue = "8", description = "attention heads (default: ${DEFAULT-VALUE})")
    int heads;
    @Option(names = "--layers", defaultValue = "4", description = "layers per module, H and L; the transformer stacks twice as many, HRM's weights (default: ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--dtype", defaultValue = "bfloat16", description = "forward_dtype: bfloat16 (the training default, as the authors') or float32 (default: ${DEFAULT-VALUE})")
    String dtype;
    @Option(names = "--model", defaultValue = "hrm", description = "hrm; trm (as bench_torch.py --model trm: H_cycles 3, L_cycles 6, 2 layers, 16 puzzle tokens; --layers is then ignored); or transformer (config/arch/transformer.yaml: 2 x --layers blocks, one pass a segment, halt_max_steps 1) (default: ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--mlp-t", description = "trm only: the token-mixing MLP instead of attention, no position encoding")
    boolean tokenMlp;

    /** The configuration, the options checked first (exit 2 naming the option). */
    ModelConfig config() {
        if (!model.equals("hrm") && !model.equals("trm") && !model.equals("transformer"))
            throw new IllegalArgumentException("--model: expected hrm, trm or transformer, got '" + model + "'");
        if (tokenMlp && !model.equals("trm")) throw new IllegalArgumentException("--mlp-t: only with --model trm");
        if (DataType.byConfigName(dtype) == null)
            throw new IllegalArgumentException("--dtype: expected float32 or bfloat16, got '" + dtype + "'");
        Map<String, Object> m = new LinkedHashMap<>(Map.of("batch_size", batch, "seq_len", seq, "vocab_size", vocab, "num_puzzle_identifiers", 2,
                "puzzle_emb_ndim", hidden, "hidden_size", hidden, "num_heads", heads, "expansion", 4.0, "halt_max_steps", 16,
                "halt_exploration_prob", 0.1));
        m.put("forward_dtype", dtype);
        if (model.equals("transformer")) {
            m.putAll(Map.of("name", "Transformer_ACTV1", "num_layers", 2 * layers, "halt_max_steps", 1));
        } else if (model.equals("trm")) {
            m.putAll(Map.of("name", "TinyRecursiveReasoningModel_ACTV1", "H_cycles", 3, "L_cycles", 6, "L_layers", 2, "puzzle_emb_len", 16,
                    "mlp_t", tokenMlp, "pos_encodings", tokenMlp ? "none" : "rope"));
        } else {
            m.putAll(Map.of("name", "HierarchicalReasoningModel_ACTV1", "H_cycles", 2, "L_cycles", 2, "H_layers", layers, "L_layers", layers));
        }
        return ModelConfig.fromMap(m);
    }

    /** Blocks per module (TRM: its one network's; the transformer: its one stack's). */
    int layers() {
        return switch (model) {
            case "trm" -> 2;
            case "transformer" -> 2 * layers;
            default -> layers;
        };
    }

    /** "hrm", "trm", "trm-mlp_t" or "transformer". */
    String name() {
        return model + (tokenMlp ? "-mlp_t" : "");
    }
}
