package hrm.cli;

import hrm.runtime.Backends;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.Exploration;
import hrm.model.FlopCount;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.Parameters;
import hrm.tensor.Backend;
import hrm.tensor.DataType;
import hrm.tensor.TimingBackend;
import hrm.tensor.cpu.ThreadCount;
import hrm.train.OptimiserSettings;
import hrm.train.TrainStep;
import hrm.train.TrainingStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Times whole ACT segments on the reference architecture, the way the PyTorch peer's
 * bench_torch.py does (train: forward, target-Q pass, backward and both optimisers). The dtype
 * defaults to training's (bfloat16); each JSON line says which product path ran ({@code matmul},
 * {@code path}: oneDNN or the Java kernels).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Time training and evaluation steps (one JSON line per mode)",
        description = "Per mode one JSON line: samples/s, GFLOP/s, peak memory and the compute path; --profile adds the time per operation.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--mode", description = "train, eval or both (default: ${DEFAULT-VALUE})", defaultValue = "both")
    String mode;
    @Mixin
    BenchModel shape = new BenchModel();
    @Option(names = "--steps", defaultValue = "5", description = "timed steps after 2 warm-up steps (default: ${DEFAULT-VALUE})")
    int steps;
    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;
    @Option(names = "--profile", description = "also print the time per backend operation (stderr)")
    boolean profile;
    @Override
    public Integer call() throws Exception {
        if (!mode.equals("train") && !mode.equals("eval") && !mode.equals("both"))
            throw new IllegalArgumentException("--mode: expected train, eval or both, got '" + mode + "'");
        shape.config(); // checks the options before anything runs
        int t = ThreadCount.orDefault("--threads", threads);
        for (String m : mode.equals("both") ? new String[]{"train", "eval"} : new String[]{mode})
            System.out.println(new ObjectMapper().writeValueAsString(run(m, t)));
        return 0;
    }

    Map<String, Object> run(String m, int t) {
        boolean train = m.equals("train");
        ModelConfig cfg = shape.config();
        int batch = cfg.batchSize(), seq = cfg.seqLen(), vocab = cfg.vocabSize();
        try (Backend cpu = Backends.cpu(t, cfg.activationType())) {
            TimingBackend timing = profile ? new TimingBackend(cpu) : null;
            Backend be = profile ? timing : cpu;
            Parameters p = train ? new Parameters(cfg, be) : Parameters.forInference(cfg, be);
            p.initialise(be, new SplittableRandom(0));
            // the step the trainer runs (TrainingStep.run: the segment, then the optimisers)
            TrainingStep trainer = train ? new TrainStep(p, be, new OptimiserSettings(1e-4, 1e-4, 1.0, 1.0, 0.9, 0.95)) : null;
            HrmAct act = train ? trainer.local().act() : new HrmAct(p, be, false);
            SplittableRandom rng = new SplittableRandom(1);
            int[] inputs = new int[batch * seq], labels = new int[batch * seq], ids = new int[batch];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = 1 + rng.nextInt(vocab - 1);
                labels[i] = 1 + rng.nextInt(vocab - 1);
            }
            java.util.Arrays.fill(ids, 1);
            Batch b = new Batch(inputs, labels, ids);
            Carry carry = act.initialCarry();
            Exploration explore = Exploration.seeded(new SplittableRandom(2));
            long[] done = {0};
            Runnable step = () -> {
                if (train) trainer.run(++done[0], carry, b, explore, 1e-4, 1e-4);
                else act.evalStep(carry, b);
            };
            step.run();
            step.run();
            System.err.println(m + ": " + cpu.describe(cfg.activationType()));
            if (timing != null) timing.reset();
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) step.run();
            double sec = (System.nanoTime() - start) / 1e9 / steps;
            if (timing != null) {
                printProfile(m, timing, sec * steps);
                double products = (train ? FlopCount.trainSegmentProducts(cfg) : FlopCount.evalSegmentProducts(cfg)) * batch * steps;
                double all = (train ? FlopCount.trainSegment(cfg) : FlopCount.evalSegment(cfg)) * batch * steps;
                System.err.println(productSummary(timing.totals(), products, all, sec * steps));
            }
            double flops = (train ? FlopCount.trainSegment(cfg) : FlopCount.evalSegment(cfg)) * batch;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("engine", "hrm-java");
            out.put("model", shape.name());
            out.put("mode", m);
            out.put("dtype", shape.dtype);
            out.put("matmul", cpu.productsLabel(cfg.activationType()));
            // which product path ran, as a training run's header and checkpoints record it
            out.put("path", cpu.computePath(cfg.activationType()));
            out.put("threads", t);
            out.put("batch", batch);
            out.put("seq", seq);
            out.put("hidden", cfg.hiddenSize());
            out.put("layers", shape.layers());
            out.put("sec_per_step", round(sec, 4));
            out.put("samples_per_sec", round(batch / sec, 2));
            out.put("gflops", round(flops / sec / 1e9, 1));
            out.put("peak_rss_mb", PeakMemory.rssMegabytes());
            return out;
        }
    }

    /**
     * Where a step's time goes against its products' rate: the matrix products' share of the time
     * and the rate they ran at (their flops counted from the shapes), the whole step's rate (all its
     * flops, attention's included, over all its time) as a fraction of that, and the shares of
     * attention and of everything else.
     */
    static String productSummary(Map<String, long[]> totals, double productFlops, double allFlops, double totalSec) {
        double products = 0, attention = 0;
        for (var e : totals.entrySet()) {
            double sec = e.getValue()[0] / 1e9;
            if (e.getKey().startsWith("linear")) products += sec;
            else if (e.getKey().startsWith("attention")) attention += sec;
        }
        double productRate = productFlops / products, stepRate = allFlops / totalSec;
        return String.format(java.util.Locale.ROOT,
                "  products: %.1f%% of the time at %.0f GFLOP/s (the model's flops; what training recomputes not counted); the whole step at %.0f GFLOP/s, %.0f%% of the products' rate; attention %.1f%% of the time, the rest %.1f%%",
                100 * products / totalSec, productRate / 1e9, stepRate / 1e9, 100 * stepRate / productRate,
                100 * attention / totalSec, 100 * (totalSec - products - attention) / totalSec);
    }

    private static void printProfile(String mode, TimingBackend timing, double totalSec) {
        System.err.printf("%s: time per operation over the timed steps%n", mode);
        double covered = 0;
        var rows = new java.util.ArrayList<>(timing.totals().entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        for (var e : rows) {
            double sec = e.getValue()[0] / 1e9;
            covered += sec;
            System.err.printf("  %-28s %8.3f s %5.1f%% %7d calls%n", e.getKey(), sec, 100 * sec / totalSec, e.getValue()[1]);
        }
        System.err.printf("  %-28s %8.3f s %5.1f%%%n", "(outside the backend)", totalSec - covered, 100 * (totalSec - covered) / totalSec);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
