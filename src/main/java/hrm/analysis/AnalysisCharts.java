package hrm.analysis;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.stream.IntStream;

/** The analyses' pictures, as the paper draws them, rendered with XChart on a headless AWT. */
public final class AnalysisCharts {
    static final int WIDTH = 760, HEIGHT = 480;

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private AnalysisCharts() {}

    /**
     * Fig. 8: the participation ratios of z_H and z_L, trained and untrained, as bars; beside them
     * the PR against the number of trajectories (index n - 1: over the first n). {@code rows} says
     * what one sample is (per cell, or the whole state). With tL and uL null the states are a layered
     * model's layer outputs, one set: drawn as "layers".
     */
    public static void dimensionality(String rows, double[] tH, double[] tL, double[] uH, double[] uL, OutputStream out) throws IOException {
        int n = tH.length;
        CategoryChart bars = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Participation ratio over " + n + " trajectories (" + rows + ")").yAxisTitle("participation ratio").build();
        style(bars.getStyler());
        boolean layers = tL == null;
        bars.addSeries("trained", layers ? List.of("layers") : List.of("z_H", "z_L"), layers ? List.of(tH[n - 1]) : List.of(tH[n - 1], tL[n - 1]));
        bars.addSeries("untrained", layers ? List.of("layers") : List.of("z_H", "z_L"), layers ? List.of(uH[n - 1]) : List.of(uH[n - 1], uL[n - 1]));
        XYChart curve = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Participation ratio against trajectories")
                .xAxisTitle("trajectories").yAxisTitle("participation ratio").build();
        style(curve.getStyler());
        double[] x = IntStream.rangeClosed(1, n).asDoubleStream().toArray();
        String h = layers ? "layers" : "z_H";
        line(curve, h + " trained", x, tH, new Color(200, 40, 40), false);
        if (!layers) line(curve, "z_L trained", x, tL, new Color(40, 90, 200), false);
        line(curve, h + " untrained", x, uH, new Color(230, 150, 150), true);
        if (!layers) line(curve, "z_L untrained", x, uL, new Color(150, 180, 230), true);
        sideBySide(out, bars, curve);
    }

    /** Fig. 5c: accuracy against the number of segments allowed, at fixed depth and with the model's own halting. */
    public static void scaling(Scaling.Row[] rows, int trainedMaxSteps, OutputStream out) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Inference-time scaling (trained with at most " + trainedMaxSteps + " segments)")
                .xAxisTitle("segments allowed (M_max)").yAxisTitle("accuracy").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        double[] x = new double[rows.length], exact = new double[rows.length], cells = new double[rows.length],
                actExact = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            x[i] = rows[i].maxSteps();
            exact[i] = rows[i].exactAccuracy();
            cells[i] = rows[i].accuracy();
            actExact[i] = rows[i].actExactAccuracy();
        }
        line(chart, "exact accuracy, all segments", x, exact, new Color(200, 40, 40), false);
        line(chart, "cell accuracy, all segments", x, cells, new Color(40, 90, 200), false);
        line(chart, "exact accuracy, ACT halting", x, actExact, new Color(40, 150, 70), true);
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Fig. 3: the forward residual of each update (median, with the quartiles dashed) on one time
     * axis, z_L at its updates and z_H at its own; beside it the PCA trajectory of one example's
     * z_H and z_L states.
     */
    public static void residuals(Residuals.Result r, OutputStream out) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Forward residuals (" + r.examples() + " examples)")
                .xAxisTitle("update").yAxisTitle("||z^i - z^(i-1)|| / ||z^(i-1)||").build();
        style(chart.getStyler());
        // a log axis where the residuals span a decade or more (HRM's converge over decades); within one, XChart's log
        // axis would label no tick, so a linear one (a transformer's few layers)
        double lo = r.steps().stream().mapToDouble(Residuals.Step::q1).filter(v -> v > 0).min().orElse(1),
                hi = r.steps().stream().mapToDouble(Residuals.Step::q3).max().orElse(1);
        chart.getStyler().setYAxisLogarithmic(hi / lo >= 10);
        for (boolean high : new boolean[]{false, true}) {
            List<Residuals.Step> steps = r.steps().stream().filter(s -> s.high() == high && s.median() > 0).toList();
            if (steps.isEmpty()) continue;
            double[] x = steps.stream().mapToDouble(Residuals.Step::index).toArray();
            Color c = high ? new Color(200, 40, 40) : new Color(40, 90, 200);
            String z = r.layers() ? "layers" : high ? "z_H" : "z_L";
            line(chart, z + " median", x, steps.stream().mapToDouble(Residuals.Step::median).toArray(), c, false);
            XYSeries q1 = chart.addSeries(z + " quartiles", x, steps.stream().mapToDouble(s -> Math.max(s.q1(), 1e-12)).toArray());
            XYSeries q3 = chart.addSeries(z + " q3", x, steps.stream().mapToDouble(s -> Math.max(s.q3(), 1e-12)).toArray());
            for (XYSeries q : new XYSeries[]{q1, q3}) {
                q.setMarker(SeriesMarkers.NONE);
                q.setLineColor(c.brighter());
                q.setLineStyle(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{3f, 3f}, 0f));
            }
            q3.setShowInLegend(false);
        }
        if (r.layers()) {
            chart.setXAxisTitle("layer (segment after segment)");
            sideBySide(out, chart, pca(r.pcaH(), "layer outputs", r.pcaExample(), new Color(200, 40, 40)));
        } else {
            sideBySide(out, chart, pca(r.pcaH(), "z_H", r.pcaExample(), new Color(200, 40, 40)), pca(r.pcaL(), "z_L", r.pcaExample(), new Color(40, 90, 200)));
        }
    }

    private static XYChart pca(Pca.Projection p, String z, int example, Color color) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(z + " of example " + example + ", first two principal components")
                .xAxisTitle(String.format("PC1 (%.0f%% of the variance)", 100 * p.explained()[0]))
                .yAxisTitle(String.format("PC2 (%.0f%%)", 100 * (p.explained().length > 1 ? p.explained()[1] : 0))).build();
        style(chart.getStyler());
        double[][] c = p.coordinates();
        double[] x = new double[c.length], y = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            x[i] = c[i][0];
            y[i] = c[i].length > 1 ? c[i][1] : 0;
        }
        line(chart, z + " (update 1 to " + c.length + ")", x, y, color, false);
        XYSeries start = chart.addSeries("first", new double[]{x[0]}, new double[]{y[0]});
        start.setMarker(SeriesMarkers.SQUARE);
        start.setMarkerColor(Color.BLACK);
        start.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return chart;
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(x.length <= 64 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        if (dashed) s.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler s) {
        hrm.train.log.MetricsPlots.style(s);
    }

    private static void sideBySide(OutputStream out, Chart<?, ?>... charts) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH * charts.length, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < charts.length; i++) g.drawImage(BitmapEncoder.getBufferedImage(charts[i]), i * WIDTH, 0, null);
        g.dispose();
        ImageIO.write(image, "png", out);
    }
}
