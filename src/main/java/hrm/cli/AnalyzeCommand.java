package hrm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import hrm.analysis.AnalysisCharts;
import hrm.analysis.Dimensionality;
import hrm.analysis.Residuals;
import hrm.analysis.Scaling;
import hrm.api.ModelRuntime;
import hrm.checkpoint.ModelCheckpoint;
import hrm.data.PuzzleDataset;
import hrm.io.AtomicFiles;
import hrm.io.OutputDirectory;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.Parameters;
import hrm.tensor.Backend;
import hrm.train.log.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * {@code hrm analyze dimensionality|scaling --checkpoint PATH}: the evidence of the HRM paper measured
 * on any checkpoint (docs/analysis.md). Each analysis runs the test split through the evaluation
 * path, writes its numbers (JSON, CSV where tabular) and a PNG into the output directory and prints
 * a summary.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        header = "The paper's analyses: traces, convergence, scaling, dimensions",
        description = {"The HRM paper's analyses on a checkpoint (docs/analysis.md):",
                "  ./hrm analyze dimensionality --checkpoint CKPT [trajectories=100] [whole_state=true]   participation ratios of z_H and z_L (Fig. 8)",
                "  ./hrm analyze scaling --checkpoint CKPT [max_steps=64]              accuracy against the segments allowed (Fig. 5c)",
                "  ./hrm analyze residuals --checkpoint CKPT [examples=N] [example=0]  forward residuals per update, PCA of one example (Fig. 3)",
                "  ./hrm analyze trace --checkpoint CKPT [examples=0,1,2] [decode=paper|direct]   every segment's and update's prediction (Fig. 7)",
                "--checkpoint: see below; checkpoint=CKPT is accepted too.",
                "Common keys: data_path=DIR (default: the checkpoint's), global_batch_size=N, threads=N, forward_dtype=float32|bfloat16, seed=N."})
public final class AnalyzeCommand implements java.util.concurrent.Callable<Integer> {
    private static final Set<String> COMMON = Set.of("data_path", "global_batch_size", "threads", "forward_dtype", "seed");
    /** What an analysis writes; an output directory holding anything else is not ours to write into. */
    static final OutputDirectory.Kind KIND = new OutputDirectory.Kind("an analysis output directory",
            dir -> OutputDirectory.onlyFiles(dir, hrm.analysis.AnalysisFiles::isOwnFile));
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    CheckpointOption checkpoint;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "ANALYSIS", description = "dimensionality, scaling, residuals or trace")
    String analysis;

    @picocli.CommandLine.Parameters(index = "1..*", paramLabel = "KEY=VALUE")
    List<String> args = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "where the numbers and pictures go (default: <checkpoint>/analysis, or <file>.analysis)")
    Path output;

    @Option(names = "--overwrite", description = "replace this analysis's earlier files in the output directory")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        Set<String> known = new TreeSet<>(COMMON);
        switch (analysis) {
            case "dimensionality" -> known.addAll(Set.of("trajectories", "whole_state"));
            case "scaling" -> known.add("max_steps");
            case "residuals" -> known.addAll(Set.of("examples", "example"));
            case "trace" -> known.addAll(Set.of("examples", "decode"));
            default -> throw new IllegalArgumentException("unknown analysis '" + analysis + "'"
                    + hrm.io.DidYouMean.hint(analysis, List.of("dimensionality", "scaling", "residuals", "trace"), "") + " (dimensionality, scaling, residuals or trace)");
        }
        Map<String, String> kv = KeyValues.parse(args, known, Set.of(CheckpointOption.KEY));
        Path ckptPath = checkpoint.resolve();
        Path dir = output != null ? output : Files.isDirectory(ckptPath) ? ckptPath.resolve("analysis") : Path.of(ckptPath + ".analysis");
        checkWritable(dir);
        ModelCheckpoint ckpt = ModelCheckpoint.read(ckptPath);
        Path data = Path.of(kv.getOrDefault("data_path", ckpt.config().training().dataPath()));
        PuzzleDataset test = PuzzleDataset.open(data, "test");
        int threads = hrm.tensor.cpu.ThreadCount.check("threads", KeyValues.positiveInt(kv, "threads", hrm.tensor.cpu.WorkerPool.defaultThreads()));
        PrintWriter out = spec.commandLine().getOut();
        return switch (analysis) {
            case "dimensionality" -> dimensionality(ckpt, test, kv, threads, dir, out);
            case "residuals" -> residuals(ckpt, test, kv, threads, dir, out);
            case "trace" -> trace(ckpt, test, kv, threads, dir, out);
            default -> scaling(ckpt, test, kv, threads, dir, out);
        };
    }

    private int dimensionality(ModelCheckpoint ckpt, PuzzleDataset test, Map<String, String> kv, int threads, Path dir, PrintWriter out) throws Exception {
        int n = KeyValues.positiveInt(kv, "trajectories", (int) Math.min(100, test.examples()));
        ModelConfig cfg = config(ckpt, test, kv, (int) Math.min(Math.min(n, 8), test.examples())); // Dimensionality.run checks n // every update of a batch is kept: 8 rows bound the memory at reference size
        long seed = KeyValues.longValue(kv, "seed", 0);
        boolean whole = KeyValues.booleanValue(kv, "whole_state", false);
        Dimensionality.Curve trained, untrained;
        try (ModelRuntime rt = ModelRuntime.open(ckpt, cfg, threads, spec.commandLine().getErr())) {
            Backend be = rt.backend();
            ProgressBar bar = ProgressBar.onStderr(2L * n, 0);
            trained = Dimensionality.run(rt.act(), be, test, n, whole, done -> bar.update(done, Map.of()));
            Parameters fresh = Parameters.forInference(cfg, be);
            fresh.initialise(be, new SplittableRandom(seed));
            untrained = Dimensionality.run(new HrmAct(fresh, be, false), be, test, n, whole, done -> bar.update(n + done, Map.of()));
            bar.finish();
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", ckpt.path().toString());
        report.put("data_path", test.dir().toString());
        report.put("trajectories", n);
        report.put("segments", cfg.haltMaxSteps());
        report.put("untrained_seed", seed);
        // a model without a recurrent state (the transformer) traces its layers' outputs: one set of states, no z_L
        boolean layered = cfg.family().tracesLayers();
        if (layered) report.put("states", "the layers' outputs (a model without a recurrent state: no z_H, z_L)");
        report.put("trained", pair(trained, n, layered));
        report.put("untrained", pair(untrained, n, layered));
        List<Object> by = new ArrayList<>();
        for (int k = 1; k <= n; k++) by.add(Map.of("trajectories", k, "trained", pair(trained, k, layered), "untrained", pair(untrained, k, layered)));
        report.put("by_trajectories", by);
        if (whole) {
            List<Object> wholeBy = new ArrayList<>();
            for (int k = 1; k <= n; k++)
                wholeBy.add(Map.of("trajectories", k, "trained", wholePair(trained, k, layered), "untrained", wholePair(untrained, k, layered)));
            report.put("whole_state", Map.of("trained", wholePair(trained, n, layered), "untrained", wholePair(untrained, n, layered), "by_trajectories", wholeBy));
        }
        write(dir, "dimensionality.json", JSON.writeValueAsString(report));
        AtomicFiles.write(dir.resolve("dimensionality.png"), o -> AnalysisCharts.dimensionality("a row per cell and update", trained.zH(), layered ? null : trained.zL(), untrained.zH(), layered ? null : untrained.zL(), o));
        if (whole) AtomicFiles.write(dir.resolve("dimensionality-whole-state.png"), o -> AnalysisCharts.dimensionality("a row per update", trained.wholeH(), layered ? null : trained.wholeL(), untrained.wholeH(), layered ? null : untrained.wholeL(), o));
        if (layered) {
            out.printf("participation ratio of the layers' outputs over %d trajectories: trained %.2f; untrained %.2f%n", n, trained.zH()[n - 1], untrained.zH()[n - 1]);
            if (whole) out.printf("whole-state participation ratio (a row per layer): trained %.2f; untrained %.2f%n", trained.wholeH()[n - 1], untrained.wholeH()[n - 1]);
        } else {
            out.printf("participation ratio over %d trajectories: trained z_H %.2f, z_L %.2f; untrained z_H %.2f, z_L %.2f (the paper, 27 M Sudoku model: 89.95, 30.22; 40.75, 42.09)%n",
                    n, trained.zH()[n - 1], trained.zL()[n - 1], untrained.zH()[n - 1], untrained.zL()[n - 1]);
            if (whole)
                out.printf("whole-state participation ratio (a row per update): trained z_H %.2f, z_L %.2f; untrained z_H %.2f, z_L %.2f%n",
                        trained.wholeH()[n - 1], trained.wholeL()[n - 1], untrained.wholeH()[n - 1], untrained.wholeL()[n - 1]);
        }
        out.println("written: " + dir.resolve("dimensionality.json") + ", " + dir.resolve("dimensionality.png")
                + (whole ? ", " + dir.resolve("dimensionality-whole-state.png") : ""));
        return 0;
    }

    private int scaling(ModelCheckpoint ckpt, PuzzleDataset test, Map<String, String> kv, int threads, Path dir, PrintWriter out) throws Exception {
        ModelConfig base = config(ckpt, test, kv, KeyValues.positiveInt(kv, "global_batch_size", ckpt.config().training().globalBatchSize()));
        int trainedMax = base.haltMaxSteps();
        int maxSteps = KeyValues.positiveInt(kv, "max_steps", Math.max(16, 2 * trainedMax));
        if (maxSteps > 4096) throw new IllegalArgumentException("max_steps = " + maxSteps + ": at most 4096");
        ModelConfig cfg = base.withHaltMaxSteps(maxSteps);
        Scaling.Row[] rows;
        try (ModelRuntime rt = ModelRuntime.open(ckpt, cfg, threads, spec.commandLine().getErr())) {
            ProgressBar bar = ProgressBar.onStderr(test.examples(), 0);
            rows = Scaling.run(rt.act(), test, done -> bar.update(done, Map.of()));
            bar.finish();
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", ckpt.path().toString());
        report.put("data_path", test.dir().toString());
        report.put("examples", test.examples());
        report.put("trained_halt_max_steps", trainedMax);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Scaling.Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("max_steps", r.maxSteps());
            m.put("accuracy", r.accuracy());
            m.put("exact_accuracy", r.exactAccuracy());
            m.put("act_accuracy", r.actAccuracy());
            m.put("act_exact_accuracy", r.actExactAccuracy());
            m.put("act_mean_steps", r.actMeanSteps());
            list.add(m);
        }
        report.put("rows", list);
        write(dir, "scaling.json", JSON.writeValueAsString(report));
        write(dir, "scaling.csv", csv(list));
        AtomicFiles.write(dir.resolve("scaling.png"), o -> AnalysisCharts.scaling(rows, trainedMax, o));
        Scaling.Row atTrained = rows[Math.min(trainedMax, maxSteps) - 1], last = rows[maxSteps - 1];
        out.printf("exact accuracy: %.2f%% at 1 segment, %.2f%% at %d (trained), %.2f%% at %d; with ACT halting %.2f%% at %d (%.2f segments on average)%n",
                100 * rows[0].exactAccuracy(), 100 * atTrained.exactAccuracy(), atTrained.maxSteps(), 100 * last.exactAccuracy(), maxSteps,
                100 * last.actExactAccuracy(), maxSteps, last.actMeanSteps());
        out.println("written: " + dir.resolve("scaling.json") + ", " + dir.resolve("scaling.csv") + ", " + dir.resolve("scaling.png"));
        return 0;
    }

    private int residuals(ModelCheckpoint ckpt, PuzzleDataset test, Map<String, String> kv, int threads, Path dir, PrintWriter out) throws Exception {
        int n = KeyValues.positiveInt(kv, "examples", (int) Math.min(1000, test.examples()));
        if (n > test.examples())
            throw new IllegalArgumentException("examples = " + n + ": the test split of " + test.dir() + " has " + test.examples() + " examples");
        int example = KeyValues.nonNegativeInt(kv, "example", 0);
        ModelConfig cfg = config(ckpt, test, kv, Math.min(n, 32));
        Residuals.Result r;
        try (ModelRuntime rt = ModelRuntime.open(ckpt, cfg, threads, spec.commandLine().getErr())) {
            ProgressBar bar = ProgressBar.onStderr(n, 0);
            r = Residuals.run(rt.act(), rt.params(), rt.backend(), test, n, example, done -> bar.update(done, Map.of()));
            bar.finish();
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", ckpt.path().toString());
        report.put("data_path", test.dir().toString());
        report.put("examples", r.examples());
        List<Map<String, Object>> updates = new ArrayList<>();
        for (Residuals.Step s : r.steps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("update", s.index());
            m.put("segment", s.segment());
            m.put("module", cfg.family().updateModule(s.high()));
            m.put("mean", s.mean());
            m.put("q1", s.q1());
            m.put("median", s.median());
            m.put("q3", s.q3());
            updates.add(m);
        }
        report.put("updates", updates);
        Map<String, Object> pca = new LinkedHashMap<>();
        pca.put("example", r.pcaExample());
        pca.put(r.layers() ? "layers" : "z_H", Map.of("explained", r.pcaH().explained(), "points", r.pcaH().coordinates()));
        if (r.pcaL() != null) pca.put("z_L", Map.of("explained", r.pcaL().explained(), "points", r.pcaL().coordinates()));
        report.put("pca", pca);
        write(dir, "residuals.json", JSON.writeValueAsString(report));
        write(dir, "residuals.csv", csv(updates));
        AtomicFiles.write(dir.resolve("residuals.png"), o -> AnalysisCharts.residuals(r, o));
        out.printf("forward residuals over %d examples, %d updates: %s%n", r.examples(), r.steps().size(), summary(r.steps(), r.layers()));
        out.println("written: " + dir.resolve("residuals.json") + ", " + dir.resolve("residuals.csv") + ", " + dir.resolve("residuals.png"));
        return 0;
    }

    private int trace(ModelCheckpoint ckpt, PuzzleDataset test, Map<String, String> kv, int threads, Path dir, PrintWriter out) throws Exception {
        List<Integer> indices = new ArrayList<>();
        for (String part : kv.getOrDefault("examples", "0").split(",")) {
            try {
                int i = Integer.parseInt(part.strip());
                if (i < 0 || i >= test.examples()) throw new NumberFormatException();
                indices.add(i);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("examples = " + kv.get("examples") + ": '" + part.strip() + "' is not an example of the test split of "
                        + test.dir() + " (0 to " + (test.examples() - 1) + ")");
            }
        }
        String decode = kv.getOrDefault("decode", "paper");
        if (!decode.equals("paper") && !decode.equals("direct"))
            throw new IllegalArgumentException("decode = " + decode + ": expected paper (one more H pass, as the paper's Fig. 7) or direct (the output head on z_H)");
        ModelConfig cfg = config(ckpt, test, kv, 1);
        hrm.analysis.PuzzleRules rules = hrm.analysis.PuzzleRules.of(test);
        List<hrm.analysis.ReasoningTrace.Example> traced = new ArrayList<>();
        try (ModelRuntime rt = ModelRuntime.open(ckpt, cfg, threads, spec.commandLine().getErr())) {
            HrmAct act = rt.act();
            for (int index : indices) {
                ExampleRef ref = ExampleRef.of(test, index);
                int[] inputs = new int[cfg.seqLen()];
                ref.set().input(ref.local(), inputs, 0);
                traced.add(hrm.analysis.ReasoningTrace.run(act, rules, index, inputs, ref.puzzleIdentifier(), decode.equals("direct")));
            }
        }
        List<Object> examples = new ArrayList<>();
        for (hrm.analysis.ReasoningTrace.Example ex : traced) examples.add(hrm.analysis.TraceJson.example(ex, rules));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("checkpoint", ckpt.path().toString());
        report.put("data_path", test.dir().toString());
        report.put("task", rules.kind());
        report.put("decode", decode);
        report.put("examples", examples);
        write(dir, "trace.json", JSON.writeValueAsString(report));
        for (hrm.analysis.ReasoningTrace.Example ex : traced)
            AtomicFiles.write(dir.resolve("trace-" + ex.index() + ".png"), o -> hrm.analysis.TraceStrips.draw(ex, rules, o));
        for (hrm.analysis.ReasoningTrace.Example ex : traced) {
            int halt = 0;
            for (int k = 0; k < ex.segments().size(); k++) if (ex.segments().get(k).actHaltsHere()) halt = k + 1;
            out.printf("example %d: %d segments, %d updates each; ACT halts %s%n", ex.index(), ex.segments().size(),
                    ex.segments().getFirst().updates().size(), halt > 0 ? "after segment " + halt : "never before the limit");
        }
        out.println("written: " + dir.resolve("trace.json") + " and trace-<example>.png");
        return 0;
    }

    /** Example {@code index} of a test split in file order (its sets one after the other), as its set and its index there. */
    record ExampleRef(hrm.data.PuzzleSet set, int local) {
        static ExampleRef of(PuzzleDataset test, long index) {
            long left = index;
            for (hrm.data.PuzzleSet s : test.sets()) {
                if (left < s.examples()) return new ExampleRef(s, (int) left);
                left -= s.examples();
            }
            throw new IllegalArgumentException("example " + index + " is outside the test split of " + test.dir());
        }

        /** The puzzle-embedding row of the example's puzzle. */
        int puzzleIdentifier() {
            int p = 0;
            while (set.puzzleStart(p + 1) <= local) p++;
            return set.puzzleIdentifier(p);
        }
    }

    /** The median residual of the first and last update of each module. */
    private static String summary(List<Residuals.Step> steps, boolean layers) {
        if (layers)
            return String.format("layer outputs (no recurrent state): median %.3g at the first layer, %.3g at the last", steps.getFirst().median(), steps.getLast().median());
        StringBuilder s = new StringBuilder();
        for (boolean high : new boolean[]{true, false}) {
            List<Residuals.Step> m = steps.stream().filter(x -> x.high() == high).toList();
            if (m.isEmpty()) continue;
            if (!s.isEmpty()) s.append("; ");
            s.append(String.format("z_%s median %.3g at its first update, %.3g at its last", high ? "H" : "L", m.getFirst().median(), m.getLast().median()));
        }
        return s.toString();
    }

    /** The rows of a JSON table as CSV: the first row's keys as the header, the same columns in every row. */
    private static String csv(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(String.join(",", rows.getFirst().keySet())).append('\n');
        for (Map<String, Object> row : rows) {
            StringBuilder line = new StringBuilder();
            for (Object v : row.values()) line.append(line.isEmpty() ? "" : ",").append(v);
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** The checkpoint's model for this dataset at a batch size, in the dtype asked for. */
    private static ModelConfig config(ModelCheckpoint ckpt, PuzzleDataset test, Map<String, String> kv, int batch) {
        ModelConfig cfg = ckpt.modelConfig(batch, test.metadata(), test.dir());
        return kv.containsKey("forward_dtype") ? cfg.withForwardDtype(kv.get("forward_dtype")) : cfg;
    }

    /** PR of z_H and z_L over the first n trajectories, a row per cell and update ({@code layered}: of the layers' outputs alone). */
    private static Map<String, Double> pair(Dimensionality.Curve c, int n, boolean layered) {
        return pair(c.zH(), c.zL(), n, layered);
    }

    /** The same, a row per update (the whole-state variant). */
    private static Map<String, Double> wholePair(Dimensionality.Curve c, int n, boolean layered) {
        return pair(c.wholeH(), c.wholeL(), n, layered);
    }

    private static Map<String, Double> pair(double[] zH, double[] zL, int n, boolean layered) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (layered) {
            m.put("layers", zH[n - 1]);
            return m;
        }
        m.put("z_H", zH[n - 1]);
        m.put("z_L", zL[n - 1]);
        return m;
    }

    /** The directory holds only analyses' files, and this analysis's own only with --overwrite. */
    private void checkWritable(Path dir) {
        String why = OutputDirectory.refusal(dir, true, "--overwrite", KIND);
        if (why != null) throw new IllegalArgumentException(dir + ": " + why);
        if (!overwrite)
            for (String name : OutputDirectory.entries(dir))
                if (name.startsWith(analysis + "."))
                    throw new IllegalArgumentException(dir + ": holds an earlier " + analysis + " analysis (" + name + "); add --overwrite to replace it");
    }

    private static void write(Path dir, String name, String text) {
        AtomicFiles.write(dir.resolve(name), o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
