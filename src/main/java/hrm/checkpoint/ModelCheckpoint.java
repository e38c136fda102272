package hrm.checkpoint;

import java.util.Map;
import hrm.data.DatasetMetadata;
import hrm.model.ModelConfig;
import hrm.model.Parameters;
import hrm.tensor.Backend;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Model weights and their configuration, from any of the forms a user hands to eval or solve:
 * a {@code step_N} directory written by {@code hrm train} (model.safetensors + all_config.yaml),
 * a {@code .safetensors} file, or a released {@code torch.save} file, each of the last two with the
 * reference's all_config.yaml beside it. {@link #modelConfig} checks that a dataset fits.
 */
public record ModelCheckpoint(Path path, TensorMap stateDict, AllConfig config) {
    public static final String MODEL_FILE = "model.safetensors";
    private static final String EMBED = Parameters.PREFIX + "embed_tokens.embedding_weight";
    private static final String POSITIONS = Parameters.PREFIX + "embed_pos.embedding_weight";
    private static final String PUZZLES = Parameters.PREFIX + "puzzle_emb.weights";

    public static ModelCheckpoint read(Path path) {
        if (Files.isDirectory(path)) {
            Path model = path.resolve(MODEL_FILE);
            if (!Files.isRegularFile(model))
                throw new IllegalArgumentException(path + ": not a checkpoint directory (no " + MODEL_FILE
                        + "); give a step_N directory of hrm train, a .safetensors file or a released torch checkpoint file");
            return new ModelCheckpoint(path, Safetensors.read(model), AllConfig.read(path.resolve(AllConfig.FILE_NAME)));
        }
        if (!Files.isRegularFile(path)) throw new IllegalArgumentException(path + ": no such checkpoint");
        if (path.getFileName().toString().endsWith(".safetensors")) return new ModelCheckpoint(path, Safetensors.read(path), AllConfig.besides(path));
        AllConfig config = AllConfig.besides(path);
        return new ModelCheckpoint(path, TorchCheckpoint.read(path, shapes -> maxStateDictBytes(config, shapes)), config);
    }

    /**
     * What the state dict of the model described by the configuration can hold at most, with the data-
     * dependent sizes (vocabulary, puzzle count, learned positions) read off the tensors' shapes: 4 bytes
     * (float32) per element, plus 1 MiB. Sizes no model can have throw IllegalArgumentException.
     */
    static long maxStateDictBytes(AllConfig config, Map<String, long[]> shapes) {
        Map<String, long[]> byName = new java.util.HashMap<>();
        shapes.forEach((k, v) -> byName.put(k.startsWith(ParameterLoader.COMPILED_PREFIX) ? k.substring(ParameterLoader.COMPILED_PREFIX.length()) : k, v));
        long[] embed = byName.get(EMBED);
        if (embed == null || embed.length != 2 || embed[0] > Integer.MAX_VALUE)
            throw new IllegalArgumentException("no 2-d '" + EMBED + "' table of a sane size");
        long[] puzzles = byName.get(PUZZLES);
        long ids = puzzles != null && puzzles.length == 2 ? puzzles[0] : 1;
        if (ids > Integer.MAX_VALUE) throw new IllegalArgumentException("a puzzle table of " + ids + " rows");
        long[] pos = byName.get(POSITIONS);
        long seq = pos != null && pos.length == 2 ? cellsOf(config, pos[0], (int) embed[0], (int) ids) : 1;
        if (seq < 1 || seq > Integer.MAX_VALUE) throw new IllegalArgumentException("a position table of " + (pos == null ? 0 : pos[0]) + " rows");
        return 4 * config.modelConfig(1, (int) seq, (int) embed[0], (int) ids).parameterCount() + (1 << 20);
    }

    /** Cells a learned position table of this many rows covers: its rows less the configuration's puzzle tokens. */
    private static long cellsOf(AllConfig config, long positionRows, int vocab, int ids) {
        return positionRows - config.modelConfig(1, 1, vocab, ids).puzzleEmbLen();
    }

    /** The model for this dataset at a batch size; refused when the dataset does not fit the weights. */
    public ModelConfig modelConfig(int batchSize, DatasetMetadata data, Path dataDir) {
        int vocab = rows(EMBED);
        int ids = has(PUZZLES) ? rows(PUZZLES) : 1;
        if (data.vocabSize() != vocab)
            throw new IllegalArgumentException(dataDir + ": vocab_size " + data.vocabSize() + " does not fit the checkpoint " + path
                    + ", trained with a vocabulary of " + vocab);
        if (has(PUZZLES) && data.numPuzzleIdentifiers() > ids)
            throw new IllegalArgumentException(dataDir + ": num_puzzle_identifiers " + data.numPuzzleIdentifiers()
                    + " does not fit the checkpoint " + path + ", whose puzzle-embedding table has " + ids + " rows");
        java.util.OptionalInt seq = recordedSeqLen();
        if (seq.isPresent() && seq.getAsInt() != data.seqLen())
            throw new IllegalArgumentException(dataDir + ": seq_len " + data.seqLen() + " does not fit the checkpoint " + path
                    + ", trained on sequences of " + seq.getAsInt());
        ModelConfig cfg = config.modelConfig(batchSize, data.seqLen(), vocab, ids);
        if (has(POSITIONS) && rows(POSITIONS) != cfg.tokens())
            throw new IllegalArgumentException(dataDir + ": seq_len " + data.seqLen() + " does not fit the checkpoint " + path
                    + ", whose learned positions cover " + (rows(POSITIONS) - cfg.puzzleEmbLen()) + " cells");
        return cfg;
    }

    /** The model for a dataset shape given outright (no checks beyond the configuration's own). */
    public ModelConfig modelConfig(int batchSize, int seqLen, int vocabSize, int numPuzzleIdentifiers) {
        return config.modelConfig(batchSize, seqLen, vocabSize, numPuzzleIdentifiers);
    }

    /** The model with the vocabulary and puzzle count the checkpoint was trained with (read off its tensors). */
    public ModelConfig modelConfig(int batchSize, int seqLen) {
        java.util.OptionalInt trained = trainedSeqLen();
        if (trained.isPresent() && trained.getAsInt() != seqLen)
            throw new IllegalArgumentException("the puzzle has " + seqLen + " cells; the checkpoint " + path + " was trained on "
                    + trained.getAsInt() + "-cell puzzles");
        return config.modelConfig(batchSize, seqLen, rows(EMBED), has(PUZZLES) ? rows(PUZZLES) : 1);
    }

    /** The vocabulary the checkpoint was trained with: the rows of its token embedding. */
    public int vocabSize() {
        return rows(EMBED);
    }

    /** The seq_len our own checkpoints record in their metadata, if this one does. */
    private java.util.OptionalInt recordedSeqLen() {
        String seq = stateDict.metadata().get("seq_len");
        if (seq == null) return java.util.OptionalInt.empty();
        try {
            int n = Integer.parseInt(seq.strip());
            if (n > 0) return java.util.OptionalInt.of(n);
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new CheckpointFormatException(path, "metadata field 'seq_len' = '" + seq + "' is not a positive integer");
    }

    /**
     * The sequence length the checkpoint was trained on, where anything tells: its metadata, its
     * learned position table, or the training dataset its configuration names when that is here.
     * Released checkpoints with RoPE record none: then it is empty.
     */
    public java.util.OptionalInt trainedSeqLen() {
        java.util.OptionalInt recorded = recordedSeqLen();
        if (recorded.isPresent()) return recorded;
        if (has(POSITIONS)) return java.util.OptionalInt.of((int) cellsOf(config, rows(POSITIONS), rows(EMBED), has(PUZZLES) ? rows(PUZZLES) : 1));
        String data = config.training().dataPath();
        if (data != null && !data.isEmpty() && Files.isRegularFile(Path.of(data, "train", "dataset.json"))) {
            try {
                return java.util.OptionalInt.of(hrm.data.DatasetMetadata.read(Path.of(data, "train", "dataset.json")).seqLen());
            } catch (RuntimeException unreadable) {
                return java.util.OptionalInt.empty(); // the dataset is not what decides here; the weights still load
            }
        }
        return java.util.OptionalInt.empty();
    }

    /**
     * Fresh parameters for {@code cfg} on {@code backend}, filled from the state dict (checked by
     * {@link ParameterLoader}), for inference: no gradient buffer.
     */
    public Parameters load(ModelConfig cfg, Backend backend) {
        Parameters p = Parameters.forInference(cfg, backend);
        ParameterLoader.load(stateDict, p, backend);
        return p;
    }

    private boolean has(String name) {
        return ParameterLoader.normalised(stateDict).containsKey(name);
    }

    private int rows(String name) {
        NamedTensor t = ParameterLoader.normalised(stateDict).get(name);
        if (t == null) throw new IllegalArgumentException(path + ": no tensor '" + name + "'");
        if (t.rank() != 2 || t.dim(0) > Integer.MAX_VALUE)
            throw new IllegalArgumentException(path + ": tensor '" + t.name() + "' has shape " + t.shapeString() + ", expected a 2-d table");
        return (int) t.dim(0);
    }
}
