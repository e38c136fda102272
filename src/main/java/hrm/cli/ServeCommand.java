package hrm.cli;

import hrm.api.HrmModel;
import hrm.api.OpenOptions;
import hrm.checkpoint.ModelCheckpoint;
import hrm.serve.DatasetEvaluation;
import hrm.serve.HrmServer;
import hrm.tensor.cpu.ThreadCount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code hrm serve --checkpoint CK [--data DIR [--eval EVAL_DIR]] [--host H] [--port P] [--threads N] [--batch N]}: the
 * model over HTTP and a page that solves a Sudoku step by step and browses the dataset ({@link HrmServer}). The
 * options are checked before the model is read, --eval against --data's test split ({@link DatasetEvaluation}).
 * Prints the URL once listening; SIGTERM or Ctrl-C stops the server and closes the model (a shutdown hook), within seconds.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Serve a model over HTTP, with a page solving a Sudoku step by step",
        description = {"  ./hrm serve --checkpoint CKPT            (then open the URL it prints)",
                "  ./hrm serve --checkpoint CKPT --data data/sudoku-extreme-1k-aug-1000 --port 8080",
                "  ./hrm serve --checkpoint CKPT --data DIR --eval CKPT/eval      (browse an evaluation's failures)",
                "POST /api/solve and /api/trace take {\"kind\": \"sudoku\", \"puzzle\": \"...\"} and answer what",
                "hrm solve --json prints and the trace of hrm analyze trace; GET /api/datasets lists --data.",
                "The page browses --data (groups, puzzles, examples) and, with --eval, each example's prediction.",
                "Listens on 127.0.0.1 only unless --host says otherwise: the API runs the model for anyone who can reach it."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    CheckpointOption checkpointOption;

    @Option(names = "--data", paramLabel = "DIR", description = "a dataset directory (the authors' layout) for GET /api/datasets")
    Path data;

    @Option(names = "--eval", paramLabel = "EVAL_DIR", description = "an hrm eval output directory of --data's test split: the page shows each example's prediction and browses the failures")
    Path eval;

    @Option(names = "--host", description = "address to listen on (default 127.0.0.1: this machine only)")
    String host = HrmServer.DEFAULT_HOST;

    @Option(names = "--port", description = "port to listen on (default 8080; 0: any free port)")
    int port = 8080;

    @Option(names = "--threads", description = "worker threads of the model (default: all cores)")
    Integer threads;

    @Option(names = "--batch", paramLabel = "N", description = "run up to N waiting /api/solve requests for puzzles of one size as one batch, "
            + "each answered exactly as alone (default " + HrmServer.DEFAULT_BATCH + "; 1: one at a time)")
    int batch = HrmServer.DEFAULT_BATCH;

    @Override
    public Integer call() throws InterruptedException {
        int workers = ThreadCount.orDefault("--threads", threads);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port " + port + ": expected 0 to 65535");
        if (batch < 1 || batch > HrmModel.MAX_BATCH) throw new IllegalArgumentException("--batch " + batch + ": expected 1 to " + HrmModel.MAX_BATCH);
        if (data != null && !Files.isDirectory(data)) throw new IllegalArgumentException("--data " + data + ": not a directory");
        DatasetEvaluation evaluation = evaluation();
        HrmModel model = HrmModel.of(ModelCheckpoint.read(checkpointOption.resolve()), new OpenOptions(workers, null, spec.commandLine().getErr()));
        HrmServer server;
        try {
            server = HrmServer.start(model, data, evaluation, host, port, batch);
        } catch (RuntimeException e) {
            model.close();
            throw new IllegalArgumentException("--host " + host + " --port " + port + ": cannot listen there (" + e.getMessage() + ")", e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM / Ctrl-C run the hooks: stop taking requests, then free the model's threads
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            model.close();
            stopped.countDown();
        }, "hrm-serve-stop"));
        spec.commandLine().getOut().println("hrm serve: listening on " + server.url());
        spec.commandLine().getOut().flush();
        stopped.await(); // the server's threads serve; this one waits for the hook
        return 0;
    }

    /** --eval read and matched to --data's test split, before the model is read; null without --eval. */
    private DatasetEvaluation evaluation() {
        if (eval == null) return null;
        if (data == null) throw new IllegalArgumentException("--eval " + eval + ": needs --data DIR, the dataset it evaluated");
        if (!Files.isDirectory(eval)) throw new IllegalArgumentException("--eval " + eval + ": not a directory");
        try {
            return DatasetEvaluation.open(data, eval);
        } catch (hrm.data.DatasetException e) {
            throw new IllegalArgumentException("--data " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--eval " + e.getMessage(), e);
        }
    }
}
