package hrm.checkpoint;

import hrm.model.HrmConfig;
import hrm.model.Parameters;
import hrm.tensor.Backend;

import java.nio.file.Path;

/**
 * A checkpoint as the reference releases it: the {@code torch.save} state dict (read safely by
 * {@link TorchCheckpoint}) and the {@code all_config.yaml} beside it.
 */
public record ReleasedCheckpoint(Path file, TensorMap stateDict, AllConfig config) {
    private static final String EMBED = Parameters.PREFIX + "embed_tokens.embedding_weight";
    private static final String PUZZLES = Parameters.PREFIX + "puzzle_emb.weights";

    public static ReleasedCheckpoint read(Path file) {
        AllConfig config = AllConfig.besides(file);
        return new ReleasedCheckpoint(file, TorchCheckpoint.read(file), config);
    }

    /** The model for a dataset: its sequence length, vocabulary and puzzle count, and a batch size. */
    public HrmConfig modelConfig(int batchSize, int seqLen, int vocabSize, int numPuzzleIdentifiers) {
        return config.modelConfig(batchSize, seqLen, vocabSize, numPuzzleIdentifiers);
    }

    /** The model with the vocabulary and puzzle count the checkpoint was trained with (read off its tensors). */
    public HrmConfig modelConfig(int batchSize, int seqLen) {
        return config.modelConfig(batchSize, seqLen, rows(EMBED), hasTensor(PUZZLES) ? rows(PUZZLES) : 1);
    }

    /** Fresh parameters for {@code cfg} on {@code backend}, filled from the state dict (checked by {@link ParameterLoader}). */
    public Parameters load(HrmConfig cfg, Backend backend) {
        Parameters p = new Parameters(cfg, backend);
        ParameterLoader.load(stateDict, p, backend);
        return p;
    }

    private boolean hasTensor(String name) {
        return ParameterLoader.normalised(stateDict).containsKey(name);
    }

    private int rows(String name) {
        NamedTensor t = ParameterLoader.normalised(stateDict).get(name);
        if (t == null) throw new IllegalArgumentException(file + ": no tensor '" + name + "' to read the size from");
        if (t.rank() != 2 || t.dim(0) > Integer.MAX_VALUE)
            throw new IllegalArgumentException(file + ": tensor '" + t.name() + "' has shape " + t.shapeString() + ", expected a 2-d table");
        return (int) t.dim(0);
    }
}
