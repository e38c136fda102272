package hrm.api;

import hrm.analysis.PuzzleRules;
import hrm.analysis.ReasoningTrace;
import hrm.checkpoint.ModelCheckpoint;
import hrm.cli.CheckpointResolver;
import hrm.data.PuzzleDataset;
import hrm.eval.SinglePuzzleRun;
import hrm.model.ModelConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A trained HRM or TRM, embedded: open a checkpoint, solve puzzles, trace the reasoning, evaluate a
 * dataset. {@code hrm solve}, {@code hrm eval} and the demo set their models up through this class
 * (or its {@link ModelRuntime}), so a JVM user gets exactly what the CLI prints.
 *
 * <pre>{@code
 * try (HrmModel m = HrmModel.open(Path.of("demo/run"))) {
 *     Answer a = m.solve(Puzzle.sudoku("631..44521....54..2...36543.12.26.45"));
 *     System.out.println(a.valid() + " " + a.answerText());
 * }
 * }</pre>
 *
 * <p><b>Thread safety.</b> An instance may be shared by threads: {@link #solve}, {@link #trace} and
 * {@link #prepare} take one lock around one model (batch size 1, one per puzzle size, each on its
 * own CPU backend), so puzzles from several threads run one after another, each on all the
 * backend's worker threads. A lock rather than a pool of models: a backend's worker pool runs one
 * parallel loop at a time and is not reentrant, and one backend already uses every core, so models
 * side by side would only compete for them (and multiply the weights' memory). Run several
 * instances for concurrency on a machine with cores to spare. {@link #evaluate} builds a model of the
 * dataset's batch size on a backend of its own for the call, and runs outside the lock.
 * {@link #close} waits for a call in progress; a call after it throws IllegalStateException.
 */
public final class HrmModel implements AutoCloseable {
    private final ModelCheckpoint ckpt;
    private final OpenOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    /** Models of batch size 1 by sequence length, built when a puzzle of that size first comes: a released checkpoint with RoPE records no size. */
    private final Map<Integer, ModelRuntime> models = new HashMap<>();
    private List<String> arcIdentifiers; // the training dataset's identifiers.json, read once
    private volatile boolean closed;

    private HrmModel(ModelCheckpoint ckpt, OpenOptions options) {
        this.ckpt = ckpt;
        this.options = options;
    }

    /** {@link #open(Path, OpenOptions)} with one thread per core, the checkpoint's dtype, no notes. */
    public static HrmModel open(Path checkpoint) {
        return open(checkpoint, OpenOptions.defaults());
    }

    /**
     * Opens what {@code hrm --checkpoint} accepts: a run directory of {@code hrm train} (its latest
     * step_N), a step_N directory, a .safetensors file, or a released torch checkpoint file, the
     * files with all_config.yaml beside them. Only the weights are read here; models are built when
     * first used. Anything else is an IllegalArgumentException of one line naming the path.
     */
    public static HrmModel open(Path checkpoint, OpenOptions options) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(options, "options");
        if (checkpoint.toString().isEmpty()) throw new IllegalArgumentException("checkpoint: an empty path");
        return of(ModelCheckpoint.read(CheckpointResolver.resolve(checkpoint, options.notes(), "hrm")), options);
    }

    /** A model of checkpoint contents already read (the CLI resolves the path itself, to name its command in the notes). */
    public static HrmModel of(ModelCheckpoint ckpt, OpenOptions options) {
        return new HrmModel(Objects.requireNonNull(ckpt, "ckpt"), Objects.requireNonNull(options, "options"));
    }

    /** What the checkpoint is: family, what it was trained on, size, vocabulary. */
    public ModelInfo info() {
        checkOpen();
        OptionalInt seq = ckpt.trainedSeqLen();
        ModelConfig cfg = ckpt.modelConfig(1, seq.orElse(1));
        String trained = switch (PuzzleFit.trainedOn(ckpt.vocabSize(), seq.orElse(0))) {
            case ARC -> "arc";
            case SUDOKU -> "sudoku";
            case MAZE -> "maze";
            case MAZE_OR_SUDOKU -> "maze or sudoku";
            case OTHER -> "other";
        };
        return new ModelInfo(ckpt.path(), cfg.family().shortName(), trained, seq, ckpt.vocabSize(), cfg.numPuzzleIdentifiers());
    }

    /** The checkpoint's contents, for callers that build models of other shapes ({@link ModelRuntime}). */
    public ModelCheckpoint checkpoint() {
        return ckpt;
    }

    /** The options it was opened with. */
    public OpenOptions options() {
        return options;
    }

    /**
     * Checks that this model can solve {@code p} (its kind, size and tokens: IllegalArgumentException
     * of one line naming what the checkpoint was trained on) and builds the model for its size, so
     * that a caller can refuse a puzzle before printing anything. {@link #solve} does this itself.
     */
    public void prepare(Puzzle p) {
        checkOpen();
        Objects.requireNonNull(p, "puzzle");
        if (p instanceof Puzzle.Sudoku s) s.checked();
        int[] tokens = p.tokens();
        if (!(p instanceof Puzzle.Tokens)) PuzzleFit.check(ckpt, p.kind(), tokens);
        else if (ckpt.vocabSize() <= java.util.Arrays.stream(tokens).max().orElse(0))
            throw new IllegalArgumentException("tokens: up to " + java.util.Arrays.stream(tokens).max().orElse(0) + ", beyond the checkpoint's vocabulary of " + ckpt.vocabSize());
        locked(() -> model(tokens.length));
    }

    /** The model's answer to {@code p}: the last of halt_max_steps segments (as evaluation takes it), checked. */
    public Answer solve(Puzzle p) {
        prepare(p);
        int[] tokens = p.tokens();
        int id = identifier(p);
        return Answer.of(p, locked(() -> SinglePuzzleRun.run(model(tokens.length).act(), tokens, id)));
    }

    /**
     * How the model reasons through {@code p} (the paper's Fig. 7), as {@code hrm analyze trace} and
     * {@code hrm solve --steps} show it: every segment's output and Q logits and every z update
     * inside it decoded. The last segment's prediction is {@link #solve}'s answer.
     */
    public ReasoningTrace.Example trace(Puzzle p) {
        prepare(p);
        int[] tokens = p.tokens();
        int id = identifier(p);
        PuzzleRules rules = PuzzleRules.forKind(p.kind(), tokens.length);
        return locked(() -> ReasoningTrace.run(model(tokens.length).act(), rules, 0, tokens, id, false));
    }

    /**
     * The test split of the dataset in {@code datasetDir} through the model at the checkpoint's
     * evaluation batch size (its global_batch_size), scored as {@code hrm eval} scores it; nothing
     * is written. A dataset the weights do not fit is an IllegalArgumentException naming the field.
     */
    public Evaluation evaluate(Path datasetDir) {
        checkOpen();
        PuzzleDataset test = PuzzleDataset.open(datasetDir, "test");
        ModelConfig cfg = configured(ckpt.modelConfig(ckpt.config().training().globalBatchSize(), test.metadata(), datasetDir));
        try (ModelRuntime rt = ModelRuntime.open(ckpt, cfg, options.threads(), options.notes())) {
            return Evaluation.run(rt.act(), test, List.of());
        }
    }

    /**
     * The row of the puzzle-embedding table the training dataset gave an ARC task of this name
     * (its identifiers.json), if that dataset is here and names it; solving an ARC puzzle without one
     * uses the blank identifier 0.
     */
    public OptionalInt arcIdentifier(String task) {
        checkOpen();
        if (task == null) return OptionalInt.empty();
        List<String> ids = locked(() -> {
            if (arcIdentifiers == null) {
                Path data = Path.of(ckpt.config().training().dataPath());
                arcIdentifiers = Files.isDirectory(data) ? PuzzleDataset.open(data, "train").identifiers() : List.of();
            }
            return arcIdentifiers;
        });
        int i = ids.indexOf(task);
        return i > 0 ? OptionalInt.of(i) : OptionalInt.empty();
    }

    /** Frees every model's backend. Waits for a call in progress; later calls throw IllegalStateException. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (ModelRuntime m : models.values()) m.close();
            models.clear();
        } finally {
            lock.unlock();
        }
    }

    private int identifier(Puzzle p) {
        return switch (p) {
            case Puzzle.Tokens t -> t.puzzleIdentifier();
            case Puzzle.Arc a -> arcIdentifier(a.task()).orElse(0);
            default -> 0;
        };
    }

    /** The batch-1 model for puzzles of {@code seqLen} tokens; the lock is held. */
    private ModelRuntime model(int seqLen) {
        ModelRuntime m = models.get(seqLen);
        if (m != null) return m;
        ModelConfig cfg = configured(ckpt.modelConfig(1, seqLen));
        if (ckpt.trainedSeqLen().isEmpty())
            options.notes().println("note: " + ckpt.path() + " does not record the puzzle size it was trained on (its training data is not here); running it on this "
                    + seqLen + "-cell puzzle as given");
        m = ModelRuntime.open(ckpt, cfg, options.threads(), options.notes());
        models.put(seqLen, m);
        return m;
    }

    private ModelConfig configured(ModelConfig cfg) {
        return options.forwardDtype() == null ? cfg : cfg.withForwardDtype(options.forwardDtype());
    }

    private <T> T locked(java.util.function.Supplier<T> work) {
        lock.lock();
        try {
            checkOpen(); // again under the lock: close() may have run meanwhile
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("this HrmModel is closed");
    }
}
