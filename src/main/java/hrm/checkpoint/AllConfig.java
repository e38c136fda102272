package hrm.checkpoint;

import hrm.model.ModelConfig;
import hrm.train.config.ConfigException;
import hrm.train.config.ConfigLoader;
import hrm.train.config.TrainConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code all_config.yaml} the reference writes beside its checkpoints: the training run's keys
 * at the top level and the model under {@code arch:} (with {@code name} and {@code loss: {name,
 * loss_type}}). It is read the way a training configuration is ({@link ConfigLoader}: SnakeYAML's
 * safe constructor, {@code ${.hidden_size}} interpolations; {@link TrainConfig}: every key known
 * and every value checked), so errors name the file and the key. The data-derived model keys
 * (batch size, sequence length, vocabulary, puzzle identifiers) are not in the file, as in the
 * reference: {@link #modelConfig} takes them.
 */
public final class AllConfig {
    public static final String FILE_NAME = "all_config.yaml";

    private final Path file;
    private final TrainConfig training;

    private AllConfig(Path file, TrainConfig training) {
        this.file = file;
        this.training = training;
    }

    /** The {@code all_config.yaml} in the same directory as a checkpoint file. */
    public static AllConfig besides(Path checkpoint) {
        Path yaml = checkpoint.toAbsolutePath().resolveSibling(FILE_NAME);
        if (!Files.isRegularFile(yaml))
            throw new IllegalArgumentException(checkpoint + ": no " + FILE_NAME + " beside it (" + yaml + "); the released checkpoints come with one");
        return read(yaml);
    }

    public static AllConfig read(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".yaml")) throw new IllegalArgumentException(file + ": expected a .yaml file");
        try {
            var map = new ConfigLoader(file.toAbsolutePath().getParent()).load(name.substring(0, name.length() - 5), List.of());
            return new AllConfig(file, TrainConfig.fromMap(map));
        } catch (ConfigException e) {
            String m = hrm.io.ErrorText.of(e);
            throw new ConfigException(m.startsWith(file.toAbsolutePath().toString()) ? m : file + ": " + m, e);
        }
    }

    public Path file() {
        return file;
    }

    /** Every key of the file, checked. */
    public TrainConfig training() {
        return training;
    }

    /**
     * The model configuration: arch's keys plus the data-derived ones, as the reference builds it
     * ({@code batch_size = global_batch_size / world size}, the rest from the dataset's metadata).
     */
    public ModelConfig modelConfig(int batchSize, int seqLen, int vocabSize, int numPuzzleIdentifiers) {
        try {
            return training.modelConfig(batchSize, seqLen, vocabSize, numPuzzleIdentifiers);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
    }
}
