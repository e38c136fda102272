package hrm.api;

import hrm.analysis.PuzzleRules;
import hrm.analysis.ReasoningTrace;
import hrm.checkpoint.ModelCheckpoint;
import hrm.data.PuzzleDataset;
import hrm.eval.SinglePuzzleRun;
import hrm.eval.SinglePuzzleRun.Segment;
import hrm.model.ModelConfig;
import hrm.runtime.CheckpointResolver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * <p><b>Thread safety.</b> An instance may be shared by threads: {@link #solve}, {@link #solveAll},
 * {@link #trace} and {@link #prepare} take one lock around the models: one CPU backend and one set
 * of weights per puzzle size, with a model of each batch size used on them (batch size 1 for a
 * {@link #solve} or a trace, the number of puzzles of one size for {@link #solveAll}, at most
 * {@value #MAX_BATCH}; the views of {@link #solve(Puzzle, int, long)} likewise). Calls from several
 * threads run one after another, each on all the backend's worker threads; to have several
 * callers' puzzles share one forward, hand them to {@link #solveAll} together ({@code hrm serve}
 * gathers the requests that wait for the model). A batch changes no answer: every row computes
 * bit for bit what it computes alone ({@link ModelRuntime#openSampleExact}). A lock rather than a
 * pool of models: a backend's worker pool runs one parallel loop at a time and is not reentrant,
 * and one backend already uses every core, so models side by side would only compete for them (and
 * multiply the weights' memory). {@link #evaluate} builds a model of the dataset's batch size on a
 * backend of its own for the call, and runs outside the lock. {@link #close} waits for a call in
 * progress; a call after it throws IllegalStateException.
 */
public final class HrmModel implements AutoCloseable {
    private final ModelCheckpoint ckpt;
    private final OpenOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    /** The most puzzles {@link #solveAll} runs in one batch, and the most views of one. */
    public static final int MAX_BATCH = TestTimeViews.MAX_BATCH;
    /**
     * A sample-exact runtime by sequence length (its models of every batch size on one backend and
     * one set of weights), built when a puzzle of that size first comes: a released checkpoint with
     * RoPE records no size.
     */
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
        return solveAll(List.of(p)).get(0);
    }

    /**
     * The answers to {@code puzzles}, in their order, each exactly what {@link #solve(Puzzle)}
     * answers it alone: the puzzles of one size run together as the rows of batches of at most
     * {@value #MAX_BATCH}, each row computing bit for bit what it computes in a batch of one. Every
     * puzzle is checked ({@link #prepare}) before any runs.
     */
    public List<Answer> solveAll(List<Puzzle> puzzles) {
        for (Puzzle p : puzzles) prepare(p);
        Map<Integer, List<Integer>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < puzzles.size(); i++) bySize.computeIfAbsent(puzzles.get(i).tokens().length, k -> new ArrayList<>()).add(i);
        Answer[] out = new Answer[puzzles.size()];
        for (Map.Entry<Integer, List<Integer>> size : bySize.entrySet())
            for (int from = 0; from < size.getValue().size(); from += MAX_BATCH) {
                List<Integer> rows = size.getValue().subList(from, Math.min(size.getValue().size(), from + MAX_BATCH));
                List<int[]> tokens = rows.stream().map(i -> puzzles.get(i).tokens()).toList();
                int[] ids = rows.stream().mapToInt(i -> identifier(puzzles.get(i))).toArray();
                List<List<Segment>> runs = locked(() -> SinglePuzzleRun.runAll(model(size.getKey()).act(rows.size()), tokens, ids));
                for (int r = 0; r < rows.size(); r++) out[rows.get(r)] = Answer.of(puzzles.get(rows.get(r)), runs.get(r));
            }
        return List.of(out);
    }

    /**
     * {@link #solve(Puzzle)} with test-time views, as {@code hrm solve --views K --views-seed N}
     * answers: the puzzle's {@code views} views (the identity, then {@code views - 1} distinct
     * symmetries drawn from {@code seed}: relabelled digits and permuted bands, stacks, rows and
     * columns of a Sudoku, the dihedral group of a maze) run through the model as the rows of
     * batches of at most {@value #MAX_BATCH}, each answer mapped back, and the answer is the most voted one that
     * passes the puzzle's own check (else the most voted); {@link Answer#views()} says how many
     * agreed. Segments and halted_at are the plain solve's. One view is {@link #solve(Puzzle)}.
     * Refused like {@link #checkViews}.
     */
    public Answer solve(Puzzle p, int views, long seed) {
        hrm.eval.views.ViewSet set = TestTimeViews.draw(Objects.requireNonNull(p, "puzzle"), views, seed);
        Answer plain = solve(p);
        if (set == null) return plain;
        int[] tokens = p.tokens(), answer = new int[tokens.length];
        int id = identifier(p);
        Answer.Views vote = locked(() -> TestTimeViews.vote(model(tokens.length).act(Math.min(views, MAX_BATCH)), tokens, id, set, answer));
        return plain.chosen(answer, vote);
    }

    /**
     * Refuses, without running anything, what {@link #solve(Puzzle, int, long)} would refuse: an
     * IllegalArgumentException of one line starting "views: " for fewer than one view, more than
     * the puzzle has distinct symmetries, or views of an ARC grid or raw tokens (they have none).
     */
    public static void checkViews(Puzzle p, int views) {
        TestTimeViews.draw(Objects.requireNonNull(p, "puzzle"), views, 0);
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

    /** The runtime for puzzles of {@code seqLen} tokens (its act() of batch size 1); the lock is held. */
    private ModelRuntime model(int seqLen) {
        ModelRuntime m = models.get(seqLen);
        if (m != null) return m;
        ModelConfig cfg = configured(ckpt.modelConfig(1, seqLen));
        if (ckpt.trainedSeqLen().isEmpty())
            options.notes().println("note: " + ckpt.path() + " does not record the puzzle size it was trained on (its training data is not here); running it on this "
                    + seqLen + "-cell puzzle as given");
        m = ModelRuntime.openSampleExact(ckpt, cfg, options.threads(), options.notes());
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
