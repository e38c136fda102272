package hrm.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.analysis.PuzzleRules;
import hrm.analysis.ReasoningTrace;
import hrm.analysis.TraceJson;
import hrm.api.Answer;
import hrm.api.AnswerJson;
import hrm.api.HrmModel;
import hrm.api.ModelInfo;
import hrm.api.Puzzle;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.ServerConnector;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hrm serve}: a model behind HTTP (Javalin), and a page that solves a puzzle step by step and browses a dataset.
 * <ul>
 * <li>POST /api/solve {@code {"kind", "puzzle"}}, optionally {@code "views": K, "views_seed": N}: exactly what
 * {@code hrm solve --json} (with {@code --views K --views-seed N}) prints ({@link AnswerJson});</li>
 * <li>POST /api/trace, same body: the trace as {@code hrm analyze trace}'s trace.json, one example;</li>
 * <li>GET /api/model: what the checkpoint was trained on and its size, so the page opens on that kind and size;</li>
 * <li>GET /api/datasets, /api/datasets/groups, /puzzles, /splits (with a data directory, and its evaluation): a dataset's
 * groups, puzzles and examples, a page at a time, and each example's prediction ({@link DatasetListing});</li>
 * <li>GET /, /app.js, /browse.js, /style.css, ...: the page, from the jar ({@link StaticFiles}); nothing else is served.</li>
 * </ul>
 * Errors are {@code {"error": "..."}} naming the field: 400 bad input, 413 a body over 1 MiB, 503 a
 * full queue, 504 past the time limit ({@link ModelQueue}). Concurrent /api/solve requests for
 * puzzles of one size that wait for the model run as one batch, each answered exactly as alone.
 */
public final class HrmServer implements AutoCloseable {
    /** Requests that may wait for the model; more are refused with 503. */
    public static final int QUEUE_LENGTH = 64;
    /** How long a request may wait and run before it is answered 504. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(60);
    /**
     * The most waiting /api/solve requests run as one batch unless told otherwise ({@code hrm serve
     * --batch N}). Measured 2026-12-06 on 2 vCPUs (AMD EPYC, --threads 2), 8 concurrent clients, the
     * 27 M reference architecture: 1.08-1.27 requests/s batched against 0.94-1.07 one at a time
     * (a batch of 8 puzzles took 0.74-0.82 s a puzzle, one alone 0.89-1.0 s: the products are
     * compute-bound already at one puzzle's 82 rows); --batch 4 and 8 measured alike (1.27-1.34 and
     * 1.32), and 8 lets 8 clients share one forward.
     */
    public static final int DEFAULT_BATCH = 8;
    /** The largest body taken: a puzzle is at most a 30x30 grid, far below this. */
    static final long MAX_BODY = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Solver solver;
    private final DatasetListing datasets;
    private final ModelQueue queue;
    private final Javalin app;

    /** Where it listens unless told otherwise: this machine only, as the API runs the model for anyone who reaches it. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * Serves {@code model} (and the dataset in {@code data}, may be null) on host:port ({@code host}
     * null: {@link #DEFAULT_HOST}; port 0: any free port); listening on return.
     */
    public static HrmServer start(HrmModel model, Path data, String host, int port) {
        return start(model, data, null, host, port);
    }

    /** As {@link #start(HrmModel, Path, String, int)}, with {@code evaluation} (may be null) of the test split of {@code data}. */
    public static HrmServer start(HrmModel model, Path data, DatasetEvaluation evaluation, String host, int port) {
        return start(model, data, evaluation, host, port, DEFAULT_BATCH);
    }

    /**
     * As {@link #start(HrmModel, Path, DatasetEvaluation, String, int)}, running up to {@code batch}
     * waiting /api/solve requests for puzzles of one size as one batch (1: one at a time); each is
     * answered exactly as alone.
     */
    public static HrmServer start(HrmModel model, Path data, DatasetEvaluation evaluation, String host, int port, int batch) {
        return new HrmServer(Solver.of(model), data, evaluation, host == null ? DEFAULT_HOST : host, port, QUEUE_LENGTH, TIME_LIMIT, batch);
    }

    /** A server with its queue length and time limit chosen (tests fill the queue with a length of 1). */
    HrmServer(Solver solver, Path data, String host, int port, int queueLength, Duration limit) {
        this(solver, data, null, host, port, queueLength, limit);
    }

    HrmServer(Solver solver, Path data, DatasetEvaluation evaluation, String host, int port, int queueLength, Duration limit) {
        this(solver, data, evaluation, host, port, queueLength, limit, DEFAULT_BATCH);
    }

    HrmServer(Solver solver, Path data, DatasetEvaluation evaluation, String host, int port, int queueLength, Duration limit, int batch) {
        if (batch < 1 || batch > HrmModel.MAX_BATCH) throw new IllegalArgumentException("batch: " + batch + ", expected 1 to " + HrmModel.MAX_BATCH);
        this.solver = solver;
        this.datasets = data == null ? null : new DatasetListing(data, evaluation);
        this.queue = new ModelQueue(queueLength, limit, batch, solver);
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            cfg.http.maxRequestSize = MAX_BODY;
            cfg.routes.before("/api/*", this::limitBody);
            cfg.routes.post("/api/solve", ctx -> json(ctx, solve(ctx.body())));
            cfg.routes.post("/api/trace", ctx -> json(ctx, trace(ctx.body())));
            cfg.routes.get("/api/datasets", ctx -> json(ctx, datasets().examples(ctx.queryParamMap())));
            cfg.routes.get("/api/datasets/groups", ctx -> json(ctx, datasets().groups(ctx.queryParamMap())));
            cfg.routes.get("/api/datasets/puzzles", ctx -> json(ctx, datasets().puzzles(ctx.queryParamMap())));
            cfg.routes.get("/api/datasets/splits", ctx -> json(ctx, datasets == null ? DatasetListing.none() : datasets.splits()));
            cfg.routes.get("/api/model", ctx -> json(ctx, model()));
            StaticFiles.FILES.forEach((path, file) -> {
                byte[] bytes = StaticFiles.read(file[0]); // read once, and a missing file fails at start, not on a request
                cfg.routes.get(path, ctx -> ctx.contentType(file[1]).result(bytes));
            });
            cfg.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            // the model's own refusals (a checkpoint trained on another kind or size of puzzle) are about the puzzle
            cfg.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, "puzzle: " + e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error: " + e));
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) error(ctx, 404, "not found: " + ctx.path());
            });
        });
        app.start();
    }

    /** The object /api/solve answers: {@code hrm solve --json}'s for this puzzle (and its views). */
    Map<String, Object> solve(String body) {
        PuzzleRequest r = PuzzleRequest.parse(body);
        // plain solves wait to share a batch; views are a batch of their own
        Answer a = r.views() == 1 ? queue.solve(r.puzzle()) : queue.run(() -> solver.solve(r.puzzle(), r.views(), r.viewsSeed()));
        return JSON.convertValue(AnswerJson.of(a, null), Map.class);
    }

    /** The object /api/trace answers: trace.json's fields (checkpoint, task, decode) with this puzzle as its one example. */
    Map<String, Object> trace(String body) {
        Puzzle p = PuzzleRequest.parse(body).puzzle();
        ReasoningTrace.Example ex = queue.run(() -> solver.trace(p));
        PuzzleRules rules = PuzzleRules.forKind(p.kind(), ex.input().length);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", solver.checkpoint());
        report.put("task", rules.kind());
        report.put("decode", "paper");
        report.put("examples", List.of(TraceJson.example(ex, rules)));
        return report;
    }

    /** The object /api/model answers: the checkpoint, what it was trained on ({@link ModelInfo#trainedOn}), its cells (null: not recorded). */
    Map<String, Object> model() {
        ModelInfo info = solver.info();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("checkpoint", solver.checkpoint());
        o.put("family", info.family());
        o.put("trained_on", info.trainedOn());
        o.put("cells", info.seqLen().isPresent() ? info.seqLen().getAsInt() : null);
        o.put("vocab_size", info.vocabSize());
        return o;
    }

    private DatasetListing datasets() {
        if (datasets == null) throw new ApiError(404, "data: no dataset is served (start hrm serve with --data DIR)");
        return datasets;
    }

    /** 413 before the body is read, where its length is declared (Javalin checks undeclared lengths against maxRequestSize). */
    private void limitBody(Context ctx) {
        if (ctx.req().getContentLengthLong() > MAX_BODY)
            throw new ApiError(413, "body: " + ctx.req().getContentLengthLong() + " bytes, more than the " + MAX_BODY + " taken");
    }

    private static void json(Context ctx, Object o) {
        try {
            ctx.contentType("application/json").result(JSON.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of numbers and strings always writes", e);
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status);
        json(ctx, Map.of("error", message == null ? "error " + status : message));
    }

    /** Requests waiting for the model, for tests that fill the queue. */
    int waiting() {
        return queue.waiting();
    }

    /** How many times the model has been called (a batch of requests counts once), for tests of batching. */
    long modelCalls() {
        return queue.modelCalls();
    }

    /** The port listened on (the one chosen when 0 was asked). */
    public int port() {
        return app.port();
    }

    /** The address listened on: 127.0.0.1 unless another host was asked for. */
    public InetSocketAddress address() {
        ServerConnector c = (ServerConnector) app.jettyServer().server().getConnectors()[0];
        return new InetSocketAddress(c.getHost(), c.getLocalPort());
    }

    /** The page's URL. */
    public String url() {
        String h = address().getHostString();
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port() + "/";
    }

    /** Stops listening and the queue; the model is the caller's to close. */
    @Override
    public void close() {
        app.stop();
        queue.close();
    }
}
