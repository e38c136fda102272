package hrm.analysis;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
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
     * the PR against the number of trajectories.
     */
    public static void dimensionality(Dimensionality.Curve trained, Dimensionality.Curve untrained, OutputStream out) throws IOException {
        int n = trained.trajectories();
        CategoryChart bars = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Participation ratio over " + n + " trajectories").yAxisTitle("participation ratio").build();
        style(bars.getStyler());
        bars.addSeries("trained", List.of("z_H", "z_L"), List.of(trained.zH()[n - 1], trained.zL()[n - 1]));
        bars.addSeries("untrained", List.of("z_H", "z_L"), List.of(untrained.zH()[n - 1], untrained.zL()[n - 1]));
        XYChart curve = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Participation ratio against trajectories")
                .xAxisTitle("trajectories").yAxisTitle("participation ratio").build();
        style(curve.getStyler());
        double[] x = IntStream.rangeClosed(1, n).asDoubleStream().toArray();
        line(curve, "z_H trained", x, trained.zH(), new Color(200, 40, 40), false);
        line(curve, "z_L trained", x, trained.zL(), new Color(40, 90, 200), false);
        line(curve, "z_H untrained", x, untrained.zH(), new Color(230, 150, 150), true);
        line(curve, "z_L untrained", x, untrained.zL(), new Color(150, 180, 230), true);
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

    private static void line(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(x.length <= 64 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setMarkerColor(color);
        if (dashed) s.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(220, 220, 220));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
    }

    private static void sideBySide(OutputStream out, Chart<?, ?>... charts) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH * charts.length, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < charts.length; i++) g.drawImage(BitmapEncoder.getBufferedImage(charts[i]), i * WIDTH, 0, null);
        g.dispose();
        ImageIO.write(image, "png", out);
    }
}
