package hrm.train.log;

import hrm.io.ShellQuote;
import hrm.train.TrainListener;
import java.io.Closeable;
import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Connects a training run to its output: the progress bar (loss, accuracy, exact accuracy, lr, samples/s),
 * the metrics log and the plots in the run directory. Plots are redrawn after each evaluation and checkpoint,
 * at most every {@link #PLOT_INTERVAL_NANOS} during training otherwise, and on {@link #close()}.
 */
public final class RunLogListener implements TrainListener, Closeable {
    /** Longest time between two plot redraws while training runs without evaluations or checkpoints. */
    public static final long PLOT_INTERVAL_NANOS = 10L * 60 * 1_000_000_000L;

    private final RunDirectory run;
    private final MetricsLog log;
    private final long epochs;
    private final int globalBatchSize;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private ProgressBar bar;
    private long totalSteps = 1;
    private long lastPlotNanos;
    private int plottedRecords = -1;
    private final Map<String, Double> fields = new LinkedHashMap<>();

    /**
     * @param epochs          the run's epochs: a record's epoch is the number of whole epochs its step completes
     *                        (the reference's total_steps is epochs x steps per epoch)
     * @param globalBatchSize samples per optimiser step, for the samples/s field
     */
    RunLogListener(RunDirectory run, long epochs, int globalBatchSize, PrintStream out, boolean terminal,
                   LongSupplier nanoClock, InstantSource wallClock) {
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        this.run = run;
        this.epochs = epochs;
        this.globalBatchSize = globalBatchSize;
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.log = run.openMetrics(wallClock);
        this.lastPlotNanos = nanoClock.getAsLong();
    }

    /** Progress on standard error (redrawn in place on a terminal), real clocks. */
    public static RunLogListener onStderr(RunDirectory run, long epochs, int globalBatchSize) {
        Console console = System.console();
        return new RunLogListener(run, epochs, globalBatchSize, System.err, console != null && console.isTerminal(),
                System::nanoTime, InstantSource.system());
    }

    /** The metrics logged so far. */
    public MetricsLog metrics() {
        return log;
    }

    @Override
    public void onStart(long step, long totalSteps) {
        this.totalSteps = Math.max(1, totalSteps);
        // A run resumed from the checkpoint of `step` logs the steps after it again.
        log.truncateAfter(step);
        bar = new ProgressBar(this.totalSteps, Math.min(step, this.totalSteps), out, terminal, nanoClock, 100, 30.0);
    }

    @Override
    public void onStep(long step, long totalSteps, Map<String, Double> metrics) {
        if (bar == null) onStart(step - 1, totalSteps); // a caller that skipped onStart
        log.append(step, epochOf(step), metrics);
        copy(metrics, "train/loss", "loss");
        // accuracies are over the samples that halted in this step; a step where none did keeps the last shown
        Double halted = metrics.get("train/count");
        if (halted == null || halted > 0) {
            copy(metrics, "train/accuracy", "acc");
            copy(metrics, "train/exact_accuracy", "exact");
        }
        copy(metrics, "train/lr", "lr");
        // The smoothed rate up to the previous step: one step stale, which smoothing makes invisible.
        double stepsPerSecond = bar.stepsPerSecond();
        if (!Double.isNaN(stepsPerSecond)) fields.put("samples/s", stepsPerSecond * globalBatchSize);
        bar.update(step, fields);
        if (nanoClock.getAsLong() - lastPlotNanos >= PLOT_INTERVAL_NANOS) plot();
    }

    @Override
    public void onEval(long step, Map<String, Map<String, Double>> metrics) {
        Map<String, Double> flat = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder("eval at step ").append(step).append(':');
        for (Map.Entry<String, Map<String, Double>> set : metrics.entrySet()) {
            for (Map.Entry<String, Double> m : set.getValue().entrySet()) {
                flat.put(set.getKey() + "/" + m.getKey(), m.getValue());
                if (m.getKey().equals("exact_accuracy") || m.getKey().equals("accuracy"))
                    line.append(' ').append(set.getKey()).append('/').append(m.getKey()).append('=')
                            .append(ProgressBar.number(m.getValue()));
            }
        }
        if (flat.isEmpty()) return;
        log.append(step, epochOf(step), flat);
        message(line.toString());
        plot();
    }

    @Override
    public void onCheckpoint(long step, Path dir) {
        message("checkpoint " + ShellQuote.quote(dir)); // pasted into eval and solve
        plot();
    }

    /** Ends the progress line, draws the final plots and closes the metrics files. */
    @Override
    public void close() {
        try {
            if (bar != null) bar.finish();
            plot();
        } finally {
            log.close();
        }
    }

    int epochOf(long step) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, step) * epochs / totalSteps);
    }

    private void copy(Map<String, Double> metrics, String name, String label) {
        Double v = metrics.get(name);
        if (v != null) fields.put(label, v);
    }

    private void message(String line) {
        if (bar != null) bar.message(line);
        else out.println(line);
    }

    /** Redraws the plots unless nothing was logged since the last time (an evaluation then a checkpoint). */
    private void plot() {
        int records = log.records().size();
        if (records == plottedRecords) return;
        run.writePlots(log);
        plottedRecords = records;
        lastPlotNanos = nanoClock.getAsLong();
    }
}
