package hrm.cli;

import hrm.model.HrmConfig;
import hrm.tensor.DataType;
import picocli.CommandLine.Option;

/**
 * The model {@code hrm bench} times and {@code hrm tune} measures: the reference architecture at the
 * size bench_torch.py uses (or TRM as its {@code --model trm}), on random tokens, no dataset needed.
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
    @Option(names = "--layers", defaultValue = "4", description = "layers per module, H and L (default: ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--dtype", defaultValue = "bfloat16", description = "forward_dtype: bfloat16 (the training default, as the authors') or float32 (default: ${DEFAULT-VALUE})")
    String dtype;
    @Option(names = "--model", defaultValue = "hrm", description = "hrm, or trm (as bench_torch.py --model trm: H_cycles 3, L_cycles 6, 2 layers, 16 puzzle tokens; --layers is then ignored) (default: ${DEFAULT-VALUE})")
    String model;
    @Option(names = "--mlp-t", description = "trm only: the token-mixing MLP instead of attention, no position encoding")
    boolean mlpT;

    /** The configuration, the options checked first (exit 2 naming the option). */
    HrmConfig config() {
        if (!model.equals("hrm") && !model.equals("trm"))
            throw new IllegalArgumentException("--model: expected hrm or trm, got '" + model + "'");
        if (mlpT && !model.equals("trm")) throw new IllegalArgumentException("--mlp-t: only with --model trm");
        if (DataType.byConfigName(dtype) == null)
            throw new IllegalArgumentException("--dtype: expected float32 or bfloat16, got '" + dtype + "'");
        return model.equals("trm")
                ? new HrmConfig(batch, seq, hidden, 2, vocab, 3, 6, 0, 2, hidden, 4.0, heads, mlpT ? "none" : "rope", 10000, 1e-5,
                        16, 0.1, dtype, HrmConfig.LossType.STABLEMAX, HrmConfig.Arch.TRM, 16, mlpT, true)
                : new HrmConfig(batch, seq, hidden, 2, vocab, 2, 2, layers, layers, hidden, 4.0, heads,
                        "rope", 10000, 1e-5, 16, 0.1, dtype, HrmConfig.LossType.STABLEMAX);
    }

    /** "hrm", "trm" or "trm-mlp_t". */
    String name() {
        return model + (mlpT ? "-mlp_t" : "");
    }
}
