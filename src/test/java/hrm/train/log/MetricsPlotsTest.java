package hrm.train.log;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsPlotsTest {
    @TempDir
    Path dir;

    /** A made-up run: 300 training steps, an evaluation every 100. */
    static List<MetricsRecord> run(int steps) {
        List<MetricsRecord> records = new ArrayList<>();
        for (int step = 1; step <= steps; step++) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("train/lm_loss", 2.0 * Math.exp(-step / 80.0) + 0.05 * Math.sin(step));
            m.put("train/q_halt_loss", 0.7 * Math.exp(-step / 150.0));
            m.put("train/accuracy", 1 - 0.9 * Math.exp(-step / 60.0));
            m.put("train/exact_accuracy", 1 - Math.exp(-step / 200.0));
            m.put("train/q_halt_accuracy", 0.5 + 0.4 * (1 - Math.exp(-step / 100.0)));
            m.put("train/steps", 16 - 10 * (1 - Math.exp(-step / 120.0)));
            m.put("train/lr", 1e-4 * Math.min(1.0, step / 100.0));
            records.add(new MetricsRecord(step, step / 100, 1.7e9 + step, m));
            if (step % 100 == 0) {
                records.add(new MetricsRecord(step, step / 100, 1.7e9 + step, Map.of(
                        "all/accuracy", 1 - 0.8 * Math.exp(-step / 100.0),
                        "all/exact_accuracy", 1 - Math.exp(-step / 150.0),
                        "all/steps", 16.0)));
            }
        }
        return records;
    }

    private List<String> pngs() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(MetricsPlots.DIR))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesOneReadablePngPerGroup() throws IOException {
        List<Path> written = MetricsPlots.write(dir, run(300));
        assertEquals("true", System.getProperty("java.awt.headless"));
        assertEquals(List.of("eval_accuracy.png", "eval_steps.png", "train_accuracy.png", "train_loss.png",
                "train_lr.png", "train_steps.png"), pngs(), "one chart per group with data, no temporary files");
        assertEquals(6, written.size());
        for (Path png : written) {
            byte[] bytes = Files.readAllBytes(png);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4), png.toString());
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is not a readable image");
            assertEquals(MetricsPlots.WIDTH, image.getWidth());
            assertEquals(MetricsPlots.HEIGHT, image.getHeight());
            assertTrue(distinctColours(image) > 10, png + " looks blank");
        }
    }

    @Test
    void theCurvesShowTheData() throws IOException {
        MetricsPlots.write(dir, run(300));
        byte[] first = Files.readAllBytes(dir.resolve(MetricsPlots.DIR).resolve("train_loss.png"));
        List<MetricsRecord> changed = new ArrayList<>();
        for (MetricsRecord r : run(300)) {
            Map<String, Double> m = new LinkedHashMap<>(r.metrics());
            m.computeIfPresent("train/lm_loss", (k, v) -> v * 0.5);
            changed.add(new MetricsRecord(r.step(), r.epoch(), r.wallTime(), m));
        }
        MetricsPlots.write(dir, changed);
        byte[] second = Files.readAllBytes(dir.resolve(MetricsPlots.DIR).resolve("train_loss.png"));
        assertFalse(Arrays.equals(first, second), "a different loss curve must give a different picture");
        byte[] lr = Files.readAllBytes(dir.resolve(MetricsPlots.DIR).resolve("train_lr.png"));
        MetricsPlots.write(dir, run(300));
        assertArrayEquals(lr, Files.readAllBytes(dir.resolve(MetricsPlots.DIR).resolve("train_lr.png")),
                "the same data draws the same picture");
    }

    @Test
    void singlePointsAndFlatLinesAreDrawn() throws IOException {
        List<MetricsRecord> records = new ArrayList<>(run(1));
        records.add(new MetricsRecord(1, 0, 1.7e9, Map.of("all/exact_accuracy", 0.0, "all/steps", 16.0)));
        List<Path> written = MetricsPlots.write(dir, records);
        assertEquals(6, written.size());
        for (Path png : written) assertEquals(MetricsPlots.WIDTH, ImageIO.read(png.toFile()).getWidth(), png.toString());
    }

    /**
     * The demo early on: a sample halts every 4th step only, so the per-halted-sample metrics exist at those
     * steps alone; a curve joins them rather than dropping to 0 in between (or at a NaN).
     */
    @Test
    void missingPointsAreSkippedNotDrawnAsZero() throws IOException {
        List<MetricsRecord> records = new ArrayList<>();
        for (int step = 1; step <= 40; step++) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("train/lm_loss", 2.0 / step);
            if (step % 4 == 0) m.put("train/q_halt_accuracy", step == 20 ? Double.NaN : 0.5 + step / 100.0);
            records.add(new MetricsRecord(step, 0, 1.7e9 + step, m));
        }
        MetricsPlots.Series q = MetricsPlots.curves(records).get(MetricsPlots.groupOf("train/q_halt_accuracy")).get("train/q_halt_accuracy");
        assertArrayEquals(new double[] {4, 8, 12, 16, 24, 28, 32, 36, 40}, q.x());
        assertArrayEquals(new double[] {0.54, 0.58, 0.62, 0.66, 0.74, 0.78, 0.82, 0.86, 0.9}, q.y(), 1e-12);
        List<Path> written = MetricsPlots.write(dir, records);
        assertTrue(written.contains(dir.resolve(MetricsPlots.DIR).resolve("train_accuracy.png")), written.toString());
        assertNotNull(ImageIO.read(dir.resolve(MetricsPlots.DIR).resolve("train_accuracy.png").toFile()));
    }

    @Test
    void chartsOfGroupsWithoutDataAreRemoved() throws IOException {
        MetricsPlots.write(dir, run(300));
        MetricsPlots.write(dir, run(99)); // resumed before the first evaluation
        assertEquals(List.of("train_accuracy.png", "train_loss.png", "train_lr.png", "train_steps.png"), pngs());
    }

    @Test
    void longSeriesAreThinnedToTheirEnvelope() {
        MetricsPlots.Series s = new MetricsPlots.Series();
        java.util.Random rng = new java.util.Random(5);
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (int i = 0; i < 100_000; i++) {
            double y = rng.nextGaussian() + (i == 77_777 ? 50 : 0);
            min = Math.min(min, y);
            max = Math.max(max, y);
            s.add(i + 1, y);
        }
        MetricsPlots.Series t = s.thinned(900);
        double[] x = t.x(), y = t.y();
        assertTrue(x.length <= 1802 && x.length >= 900, "points kept: " + x.length);
        for (int i = 1; i < x.length; i++) assertTrue(x[i] > x[i - 1], "steps stay in order");
        assertEquals(max, Arrays.stream(y).max().orElseThrow(), "the spike survives");
        assertEquals(min, Arrays.stream(y).min().orElseThrow());
        assertEquals(1, x[0], "the curve still starts at the first step");
        assertEquals(100_000, x[x.length - 1], "and ends at the last");
        MetricsPlots.Series small = new MetricsPlots.Series();
        small.add(1, 1);
        assertSame(small, small.thinned(900));
    }

    @Test
    void metricsGoToTheirGroups() {
        assertEquals("train_loss", MetricsPlots.groupOf("train/lm_loss").file());
        assertEquals("train_accuracy", MetricsPlots.groupOf("train/q_halt_accuracy").file());
        assertEquals("train_steps", MetricsPlots.groupOf("train/steps").file());
        assertEquals("train_lr", MetricsPlots.groupOf("train/lr").file());
        assertEquals("train_other", MetricsPlots.groupOf("train/samples_per_sec").file());
        assertEquals("eval_accuracy", MetricsPlots.groupOf("all/exact_accuracy").file());
        assertEquals("eval_steps", MetricsPlots.groupOf("all/steps").file());
        assertEquals("eval_other", MetricsPlots.groupOf("all/pass@2").file());
    }

    private static int distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3)
            for (int x = 0; x < image.getWidth(); x += 3) colours.add(image.getRGB(x, y));
        return colours.size();
    }
}
