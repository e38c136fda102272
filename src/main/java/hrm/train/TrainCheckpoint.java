package hrm.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hrm.checkpoint.DType;
import hrm.checkpoint.NamedTensor;
import hrm.checkpoint.ParameterLoader;
import hrm.checkpoint.Safetensors;
import hrm.checkpoint.TensorMap;
import hrm.io.AtomicDirectory;
import hrm.model.ModelConfig;
import hrm.train.config.TrainConfig;
import hrm.train.log.ConfigYaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A training checkpoint, {@code <run>/step_<N>/}: everything {@link TrainState} holds, so that a
 * resumed run continues bit-identically.
 * <pre>
 *   model.safetensors      the weights under their state-dict names (what eval and solve load); with
 *                          ema the moving average in the trainable ones, as the author's trainer saves
 *   optimizer.safetensors  AdamATan2's moments over the flat trainable buffer (with ema also the live
 *                          weights, flat, that training continues from)
 *   carry.safetensors      the ACT carry: z_H, z_L, steps, halted, inputs, labels, puzzle ids
 *   trainer_state.json     step, pass, batches taken in the pass, Adam's step count, and what the
 *                          products were computed with (a resume on another path is told it is
 *                          no longer bit-identical)
 *   all_config.yaml        the resolved configuration
 * </pre>
 * The directory is written under a temporary name and renamed, so a crash mid-write leaves the
 * previous checkpoints as they were and no half-written one.
 */
public final class TrainCheckpoint {
    public static final String MODEL = "model.safetensors", OPTIMIZER = "optimizer.safetensors", CARRY = "carry.safetensors";
    public static final String STATE = "trainer_state.json", CONFIG = "all_config.yaml";
    /** Every file a checkpoint directory holds. */
    public static final java.util.Set<String> FILES = java.util.Set.of(MODEL, OPTIMIZER, CARRY, STATE, CONFIG);
    private static final int FORMAT = 1;
    /** With ema: the weights training continues from (model.safetensors holds their moving average). */
    private static final String LIVE_WEIGHTS = "weights.live";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMPUTED_WITH = "computed_with";

    private TrainCheckpoint() {}

    /**
     * Writes the checkpoint of {@code s}; {@code computedWith} names the kernels that computed it
     * (the dtype, the product path and its version), as {@link #computedWith(Path)} reads it back.
     */
    public static void write(Path dir, TrainConfig cfg, Trainer trainer, TrainState s, String computedWith) {
        try (AtomicDirectory building = AtomicDirectory.begin(dir, "writing")) {
            Path tmp = building.path();
            TensorMap[] held = new TensorMap[1];
            if (trainer.ema() != null) trainer.ema().withShadow(() -> held[0] = ParameterLoader.stateDict(trainer.params(), trainer.backend()));
            else held[0] = ParameterLoader.stateDict(trainer.params(), trainer.backend());
            TensorMap model = held[0];
            ModelConfig m = trainer.modelConfig();
            // the data shape is not in all_config.yaml (the reference derives it from the dataset): keep it for eval's checks
            model.putMetadata("format", "hrm-java").putMetadata("step", Long.toString(s.step()))
                    .putMetadata("seq_len", Integer.toString(m.seqLen())).putMetadata("vocab_size", Integer.toString(m.vocabSize()))
                    .putMetadata("num_puzzle_identifiers", Integer.toString(m.numPuzzleIdentifiers()));
            Safetensors.write(tmp.resolve(MODEL), model);
            TensorMap opt = new TensorMap()
                    .put(NamedTensor.ofFloats("adam.m", s.adamM(), s.adamM().length))
                    .put(NamedTensor.ofFloats("adam.v", s.adamV(), s.adamV().length));
            if (s.emaShadow() != null) opt.put(NamedTensor.ofFloats(LIVE_WEIGHTS, s.weights(), s.weights().length));
            Safetensors.write(tmp.resolve(OPTIMIZER), opt);
            // the carry of the whole global batch (every rank's rows, in rank order): independent of the number of ranks
            int b = s.carrySteps().length, t = m.tokens(), d = m.hiddenSize(), seq = m.seqLen();
            byte[] halted = new byte[b];
            for (int i = 0; i < b; i++) halted[i] = (byte) (s.carryHalted()[i] ? 1 : 0);
            TensorMap carry = new TensorMap()
                    .put(NamedTensor.ofFloats("z_H", s.carryZH(), b, t, d))
                    .put(NamedTensor.ofFloats("z_L", s.carryZL(), b, t, d))
                    .put(NamedTensor.ofInts("steps", s.carrySteps(), b))
                    .put(NamedTensor.ofBytes("halted", DType.BOOL, halted, b))
                    .put(NamedTensor.ofInts("inputs", s.carryInputs(), b, seq))
                    .put(NamedTensor.ofInts("labels", s.carryLabels(), b, seq))
                    .put(NamedTensor.ofInts("puzzle_identifiers", s.carryPuzzleIdentifiers(), b));
            Safetensors.write(tmp.resolve(CARRY), carry);
            ObjectNode st = JSON.createObjectNode();
            st.put("format", FORMAT).put("step", s.step()).put("pass", s.pass()).put("batches_in_pass", s.batchesInPass())
                    .put("pass_finished", s.passFinished()).put("adam_steps", s.adamSteps());
            if (computedWith != null) st.put(COMPUTED_WITH, computedWith);
            Files.writeString(tmp.resolve(STATE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(st), StandardCharsets.UTF_8);
            ConfigYaml.write(tmp.resolve(CONFIG), cfg.toMap());
            building.commit(); // the same step again (a resumed run): the new one replaces the old
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    /** Loads a checkpoint into a trainer built from the same configuration. */
    public static void restore(Path dir, Trainer trainer) {
        JsonNode st = readState(dir);
        ParameterLoader.load(Safetensors.read(dir.resolve(MODEL)), trainer.params(), trainer.backend());
        TensorMap opt = Safetensors.read(dir.resolve(OPTIMIZER));
        TensorMap carry = Safetensors.read(dir.resolve(CARRY));
        int[] haltedBytes = tensor(carry, "halted", dir).toInts();
        boolean[] halted = new boolean[haltedBytes.length];
        for (int i = 0; i < halted.length; i++) halted[i] = haltedBytes[i] != 0;
        float[] live = null, shadow = null;
        if (opt.has(LIVE_WEIGHTS)) { // trained with ema: the state dict holds the average, the live weights are beside the moments
            live = opt.get(LIVE_WEIGHTS).toFloats();
            shadow = new float[trainer.params().trainableSize()];
            trainer.backend().download(trainer.params().flat(), shadow, 0);
        }
        trainer.restore(new TrainState(st.get("step").asLong(), st.get("pass").asInt(), st.get("batches_in_pass").asInt(),
                st.get("pass_finished").asBoolean(), live, null, null, null, // the rest of the weights: loaded above
                tensor(opt, "adam.m", dir).toFloats(), tensor(opt, "adam.v", dir).toFloats(), st.get("adam_steps").asLong(),
                tensor(carry, "z_H", dir).toFloats(), tensor(carry, "z_L", dir).toFloats(), tensor(carry, "steps", dir).toInts(),
                halted, tensor(carry, "inputs", dir).toInts(), tensor(carry, "labels", dir).toInts(),
                tensor(carry, "puzzle_identifiers", dir).toInts(), shadow));
    }

    /** The optimiser step a checkpoint was saved at. */
    public static long step(Path dir) {
        return readState(dir).get("step").asLong();
    }

    /** What the checkpoint's run computed with (see {@link #write}); null for a checkpoint that does not say. */
    public static String computedWith(Path dir) {
        JsonNode c = readState(dir).get(COMPUTED_WITH);
        return c == null || !c.isTextual() ? null : c.asText();
    }

    private static NamedTensor tensor(TensorMap m, String name, Path dir) {
        if (!m.has(name)) throw new IllegalArgumentException(m.source() + ": no tensor '" + name + "' (not a checkpoint of this version?)");
        return m.get(name);
    }

    private static JsonNode readState(Path dir) {
        Path f = dir.resolve(STATE);
        if (!Files.isRegularFile(f))
            throw new IllegalArgumentException(dir + ": not a training checkpoint (no " + STATE + "); resume takes a step_<N> directory written by hrm train, or its run directory");
        try {
            JsonNode st = JSON.readTree(f.toFile());
            for (String k : new String[] {"format", "step", "pass", "batches_in_pass", "pass_finished", "adam_steps"})
                if (st.get(k) == null) throw new IllegalArgumentException(f + ": missing '" + k + "'");
            if (st.get("format").asInt() != FORMAT)
                throw new IllegalArgumentException(f + ": format " + st.get("format") + ", this version reads " + FORMAT);
            return st;
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": not valid JSON: " + hrm.io.ErrorText.of(e), e);
        }
    }

    /** The configuration saved with a checkpoint. */
    public static Path configFile(Path dir) {
        return dir.resolve(CONFIG);
    }

    /** {@code dir} itself if it is a checkpoint, else the checkpoint of the highest step inside it. */
    public static Path locate(Path dir) {
        if (Files.isRegularFile(dir.resolve(STATE))) return dir;
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such directory");
        return latest(dir).orElseThrow(() -> new IllegalArgumentException(dir + ": no step_<N> checkpoint inside"
                + (Files.exists(dir.resolve(CONFIG)) ? " (the run stopped before its first checkpoint: run the same command with --overwrite to start it again)" : "")));
    }

    /**
     * The complete checkpoint of the highest step inside the run directory {@code runDir} (by number:
     * step_10 after step_9), if there is one. Shared by {@code --resume} and every command that loads
     * a checkpoint, so that all of them take the same one.
     */
    public static Optional<Path> latest(Path runDir) {
        try (Stream<Path> s = Files.list(runDir)) {
            return s.filter(p -> stepNumber(p) >= 0 && isComplete(p)).max(Comparator.comparingLong(TrainCheckpoint::stepNumber));
        } catch (IOException e) {
            throw new UncheckedIOException(runDir + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    /**
     * Whether {@code dir} holds every file a checkpoint has. {@link #write} renames a whole directory
     * into place, so a step_N missing one was not written by it whole (a copy in part, a deletion
     * interrupted): it is passed over rather than loaded and refused.
     */
    public static boolean isComplete(Path dir) {
        for (String f : FILES) if (!Files.isRegularFile(dir.resolve(f))) return false;
        return true;
    }

    /** N of a path named step_N, or -1 for any other name (N of more than 18 digits included: no step gets there). */
    public static long stepNumber(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().matches("step_\\d{1,18}") ? Long.parseLong(name.toString().substring(5)) : -1;
    }
}
