package hrm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hrm.api.Evaluation;
import hrm.api.ModelRuntime;
import hrm.checkpoint.ModelCheckpoint;
import hrm.data.PuzzleDataset;
import hrm.eval.PredictionSink;
import hrm.eval.PredictionWriter;
import hrm.io.AtomicDirectory;
import hrm.io.OutputDirectory;
import hrm.io.ShellQuote;
import hrm.model.ModelConfig;
import hrm.tensor.cpu.ThreadCount;
import hrm.tensor.cpu.WorkerPool;
import hrm.train.config.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code hrm eval --checkpoint PATH [data_path=DIR]}: the reference's evaluate.py. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        header = "Evaluate a checkpoint on a dataset's test split",
        description = {"Evaluate a checkpoint on a dataset's test split (the reference's evaluate.py):",
                "  ./hrm eval --checkpoint checkpoints/<project>/<run> [data_path=DIR] [global_batch_size=N] [threads=N] [forward_dtype=float32|bfloat16]",
                "--checkpoint: see below; checkpoint=PATH (as evaluate.py takes it) is accepted too.",
                "forward_dtype: what to compute in (default: the checkpoint's configuration; bfloat16 where it does not say, as the authors').",
                "views=K [views_seed=N] [ensemble=[CK2,CK3]]: test-time views (Sudoku, mazes): metrics.json gains views.single|vote|verified|oracle (docs/analysis.md).",
                "Prints the metrics per set (reference names), ARC pass@K, and saves the predictions."})
public final class EvalCommand implements Callable<Integer> {
    private static final Set<String> KEYS = union(Set.of("data_path", "global_batch_size", "threads", "forward_dtype"), EvalViews.KEYS);

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    CheckpointOption checkpoint;

    @picocli.CommandLine.Parameters(paramLabel = "KEY=VALUE")
    List<String> args = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "where predictions and metrics go (default: <checkpoint>/eval, or <file>.eval)")
    Path output;

    @Option(names = "--overwrite", description = "replace an earlier evaluation's output directory (nothing else is ever replaced)")
    boolean overwrite;

    /** An earlier evaluation's output: metrics.json and the prediction files, nothing else. */
    /** TRM's ARC answers, two per test input (evaluators/arc.py's submission.json). */
    private static final String SUBMISSION = "submission.json";
    static final OutputDirectory.Kind KIND = new OutputDirectory.Kind("an evaluation output directory (metrics.json and predictions)",
            dir -> Files.isRegularFile(dir.resolve("metrics.json"))
                    && OutputDirectory.onlyFiles(dir, PredictionWriter::isEvaluationFile));

    @Override
    public Integer call() throws IOException {
        Map<String, String> kv = KeyValues.parse(args, KEYS, Set.of(CheckpointOption.KEY));
        int threads = ThreadCount.check("threads", KeyValues.positiveInt(kv, "threads", WorkerPool.defaultThreads())); // before any work
        Path ckptPath = checkpoint.resolve();
        Path dir = output != null ? output : Files.isDirectory(ckptPath) ? ckptPath.resolve("eval") : Path.of(ckptPath + ".eval");
        OutputDirectory.checkWritable(dir, overwrite, "--overwrite", KIND); // before the evaluation, not after it
        ModelCheckpoint ckpt = ModelCheckpoint.read(ckptPath);
        TrainConfig training = ckpt.config().training();
        Path data = Path.of(kv.getOrDefault("data_path", training.dataPath()));
        PuzzleDataset test = PuzzleDataset.open(data, "test");
        int batch = KeyValues.positiveInt(kv, "global_batch_size", training.globalBatchSize());
        ModelConfig cfg = ckpt.modelConfig(batch, test.metadata(), data);
        if (kv.containsKey("forward_dtype")) cfg = cfg.withForwardDtype(kv.get("forward_dtype"));
        EvalViews viewPlan = EvalViews.plan(kv, test, data, cfg, spec.commandLine().getErr()); // views=, ensemble=: checked before any evaluation
        PrintWriter out = spec.commandLine().getOut();
        try (ModelRuntime rt = ModelRuntime.open(ckpt, cfg, threads, spec.commandLine().getErr())) {
            PredictionWriter predictions = new PredictionWriter(cfg.seqLen());
            hrm.eval.views.ViewsScorer views = viewPlan == null ? null : viewPlan.scorer(rt.act(), rt.backend());
            List<PredictionSink> sinks = new ArrayList<>(List.of(predictions));
            if (views != null) sinks.add(views);
            long t0 = System.nanoTime();
            Evaluation ev = Evaluation.run(rt.act(), test, sinks); // the scoring hrm.api.HrmModel#evaluate returns
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("checkpoint", ckptPath.toString());
            report.put("data_path", data.toString());
            report.put("examples", test.examples());
            report.put("seconds", seconds);
            report.putAll(ev.sets());
            if (ev.arc() != null) report.put("ARC", ev.arc());
            if (ev.maze() != null) report.put("maze", ev.maze());
            if (views != null) report.put("views", views.metrics());
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
            out.println(json);
            OutputDirectory.checkWritable(dir, overwrite, "--overwrite", KIND); // nothing else appeared there meanwhile
            String submission = ev.arcScorer() != null && ev.arcScorer().rules().submission() ? new ObjectMapper().writeValueAsString(ev.arcScorer().submission()) : null;
            writeAtomically(dir, predictions, json, submission);
            spec.commandLine().getErr().println("hrm eval: predictions and metrics.json in " + ShellQuote.quote(dir));
        }
        return 0;
    }

    private static void writeAtomically(Path dir, PredictionWriter predictions, String json, String submission) throws IOException {
        try (AtomicDirectory building = AtomicDirectory.begin(dir, "writing")) {
            predictions.write(building.path());
            Files.writeString(building.path().resolve("metrics.json"), json);
            if (submission != null) Files.writeString(building.path().resolve(SUBMISSION), submission);
            building.commit();
        }
    }
}
