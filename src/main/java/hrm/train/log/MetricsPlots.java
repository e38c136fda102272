package hrm.train.log;

import hrm.io.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of the metric curves against the optimiser step, one per group of comparable metrics (training
 * losses, training accuracies, ACT steps, learning rate, evaluation accuracies...), written atomically into
 * {@code <run>/plots/}. Rendered with XChart on a headless AWT: no display is needed.
 */
public final class MetricsPlots {
    public static final String DIR = "plots";
    public static final int WIDTH = 900;
    public static final int HEIGHT = 540;
    /** Series with at most this many points (evaluations, short runs) get a marker on each point. */
    private static final int MARKER_LIMIT = 60;

    static {
        // Must be set before AWT first starts; a training run has no display, and a server may have none at all.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private MetricsPlots() {}

    /** A chart: its file name (without .png), title and y-axis title. */
    record Group(String file, String title, String yAxis) {}

    private static final Group TRAIN_LOSS = new Group("train_loss", "Training loss", "loss per sample");
    private static final Group TRAIN_ACCURACY = new Group("train_accuracy", "Training accuracy", "accuracy");
    private static final Group TRAIN_STEPS = new Group("train_steps", "Training: ACT segments per halted sample", "segments");
    private static final Group TRAIN_LR = new Group("train_lr", "Learning rate", "learning rate");
    private static final Group TRAIN_OTHER = new Group("train_other", "Training: other metrics", "value");
    private static final Group EVAL_ACCURACY = new Group("eval_accuracy", "Evaluation accuracy", "accuracy");
    private static final Group EVAL_LOSS = new Group("eval_loss", "Evaluation loss", "loss per sample");
    private static final Group EVAL_STEPS = new Group("eval_steps", "Evaluation: ACT segments per sample", "segments");
    private static final Group EVAL_OTHER = new Group("eval_other", "Evaluation: other metrics", "value");
    private static final List<Group> ALL = List.of(TRAIN_LOSS, TRAIN_ACCURACY, TRAIN_STEPS, TRAIN_LR, TRAIN_OTHER,
            EVAL_ACCURACY, EVAL_LOSS, EVAL_STEPS, EVAL_OTHER);

    /** Training metrics are {@code train/NAME}; evaluation metrics {@code SET/NAME}, as the reference logs them. */
    static Group groupOf(String metric) {
        boolean train = metric.startsWith("train/");
        String name = metric.substring(metric.lastIndexOf('/') + 1);
        if (name.contains("accuracy")) return train ? TRAIN_ACCURACY : EVAL_ACCURACY;
        if (name.contains("loss")) return train ? TRAIN_LOSS : EVAL_LOSS;
        if (name.equals("steps")) return train ? TRAIN_STEPS : EVAL_STEPS;
        if (train && name.equals("lr")) return TRAIN_LR;
        return train ? TRAIN_OTHER : EVAL_OTHER;
    }

    /**
     * Draws every group that has data into {@code runDir/plots/GROUP.png} and removes the charts of groups
     * that no longer have any (after a resume truncated them). Returns the files written.
     */
    public static List<Path> write(Path runDir, List<MetricsRecord> records) {
        Map<Group, Map<String, Series>> groups = curves(records);
        Path dir = runDir.resolve(DIR);
        List<Path> written = new ArrayList<>();
        for (Group g : ALL) {
            Path file = dir.resolve(g.file() + ".png");
            Map<String, Series> series = groups.get(g);
            if (series == null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(file + ": " + hrm.io.ErrorText.of(e), e);
                }
                continue;
            }
            XYChart chart = chart(g, series);
            AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
            written.add(file);
        }
        return written;
    }

    /**
     * Per group, each metric's points. A record without the metric (undefined at that step: an accuracy
     * over halted samples where none halted) and a non-finite value (a diverged value would flatten the
     * whole axis) add no point, so the line joins the defined points on either side instead of dropping
     * to a stand-in value.
     */
    static Map<Group, Map<String, Series>> curves(List<MetricsRecord> records) {
        Map<Group, Map<String, Series>> groups = new LinkedHashMap<>();
        for (MetricsRecord r : records) {
            for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
                double v = e.getValue();
                if (!Double.isFinite(v)) continue;
                groups.computeIfAbsent(groupOf(e.getKey()), g -> new LinkedHashMap<>())
                        .computeIfAbsent(e.getKey(), k -> new Series()).add(r.step(), v);
            }
        }
        return groups;
    }

    /** The project's charts' look: white, light grid, the legend below in one row. */
    public static void style(org.knowm.xchart.style.AxesChartStyler style) {
        style.setChartBackgroundColor(Color.WHITE);
        style.setPlotBackgroundColor(Color.WHITE);
        style.setPlotGridLinesColor(new Color(220, 220, 220));
        style.setLegendPosition(Styler.LegendPosition.OutsideS);
        style.setLegendLayout(Styler.LegendLayout.Horizontal);
        style.setLegendBorderColor(Color.WHITE);
    }

    static XYChart chart(Group g, Map<String, Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(g.title())
                .xAxisTitle("optimiser step").yAxisTitle(g.yAxis()).build();
        var style = chart.getStyler();
        style(style);
        style.setXAxisDecimalPattern("#,##0");
        if (g == TRAIN_LR) style.setYAxisDecimalPattern("0.0E0");
        if (g == TRAIN_ACCURACY || g == EVAL_ACCURACY) {
            style.setYAxisMin(0.0);
            style.setYAxisMax(1.0);
        }
        for (Map.Entry<String, Series> e : series.entrySet()) {
            Series s = e.getValue().thinned(WIDTH);
            XYSeries xy = chart.addSeries(e.getKey(), s.x(), s.y());
            xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            xy.setMarker(s.size <= MARKER_LIMIT ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        breakEqualSpacing(chart, series.values().iterator().next());
        return chart;
    }

    /**
     * XChart puts the x ticks of equally spaced data (a step logged every N steps) on data points, and its
     * check that their labels fit lets them run into each other ("101111121..."). One invisible point half a
     * step off the grid, inside the data's range, sends it to its ordinary round-number ticks instead.
     */
    private static void breakEqualSpacing(XYChart chart, Series first) {
        if (first.size < 2 || first.xs[1] == first.xs[0]) return;
        XYSeries hidden = chart.addSeries(" ", new double[] {(first.xs[0] + first.xs[1]) / 2},
                new double[] {first.ys[0]});
        hidden.setShowInLegend(false);
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setLineColor(new Color(0, 0, 0, 0));
    }

    /** One curve's points, in step order (records are). */
    static final class Series {
        private double[] xs = new double[16];
        private double[] ys = new double[16];
        private int size;

        void add(double x, double y) {
            if (size == xs.length) {
                xs = java.util.Arrays.copyOf(xs, size * 2);
                ys = java.util.Arrays.copyOf(ys, size * 2);
            }
            xs[size] = x;
            ys[size++] = y;
        }

        /**
         * At most two points per bucket of {@code buckets} (a pixel column, roughly): each bucket's lowest
         * and highest, in their order, plus the first and the last point. The drawn envelope is the same, and a run of 100,000 steps draws as
         * fast as one of 2,000.
         */
        Series thinned(int buckets) {
            if (size <= 2 * buckets) return this;
            Series out = new Series();
            out.add(xs[0], ys[0]); // the first and the last point are always kept
            int last = 0; // index of the last point kept
            for (int b = 0; b < buckets; b++) {
                int from = (int) ((long) size * b / buckets), to = (int) ((long) size * (b + 1) / buckets);
                int lo = from, hi = from;
                for (int i = from + 1; i < to; i++) {
                    if (ys[i] < ys[lo]) lo = i;
                    if (ys[i] > ys[hi]) hi = i;
                }
                for (int i : new int[] {Math.min(lo, hi), Math.max(lo, hi)}) {
                    if (i > last) {
                        out.add(xs[i], ys[i]);
                        last = i;
                    }
                }
            }
            if (last != size - 1) out.add(xs[size - 1], ys[size - 1]);
            return out;
        }

        double[] x() {
            return java.util.Arrays.copyOf(xs, size);
        }

        double[] y() {
            return java.util.Arrays.copyOf(ys, size);
        }
    }
}
