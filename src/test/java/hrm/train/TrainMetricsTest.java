package hrm.train;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.model.Metrics;
import hrm.model.Metrics.Metric;
import hrm.train.log.MetricsLog;
import hrm.train.log.MetricsPlots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the trainer logs per step: the reference's normalisation, and nothing where a ratio has no samples. */
class TrainMetricsTest {
    private static final List<String> PER_HALTED = List.of("train/accuracy", "train/exact_accuracy", "train/q_halt_accuracy", "train/steps");

    private static Metrics sums(double count) {
        Metrics m = new Metrics();
        m.set(Metric.COUNT, count);
        m.set(Metric.ACCURACY, 0.75 * count);
        m.set(Metric.EXACT_ACCURACY, 0.5 * count);
        m.set(Metric.Q_HALT_ACCURACY, 0.25 * count);
        m.set(Metric.STEPS, 3 * count);
        m.set(Metric.LM_LOSS, 8);
        m.set(Metric.Q_HALT_LOSS, 2);
        return m;
    }

    @Test
    void perHaltedSampleMetricsAreDividedByTheHaltedCount() {
        Map<String, Double> m = Trainer.trainMetrics(sums(4), 16, 1e-4);
        assertEquals(0.75, m.get("train/accuracy"));
        assertEquals(0.5, m.get("train/exact_accuracy"));
        assertEquals(0.25, m.get("train/q_halt_accuracy"));
        assertEquals(3.0, m.get("train/steps"));
        assertEquals((8 + 0.5 * 2) / 16.0, m.get("train/loss"), "losses per global batch");
        assertEquals(0.5, m.get("train/lm_loss"));
        assertEquals(4.0, m.get("train/count"));
    }

    @Test
    void aStepWhereNothingHaltedHasNoPerHaltedSampleMetrics() {
        Map<String, Double> m = Trainer.trainMetrics(sums(0), 16, 1e-4);
        for (String k : PER_HALTED) assertFalse(m.containsKey(k), k + " is undefined without halted samples, not 0: " + m);
        assertEquals(List.of("train/loss", "train/lm_loss", "train/q_halt_loss", "train/count", "train/lr"), List.copyOf(m.keySet()),
                "the losses (per global batch) are still defined");
        assertEquals(0.0, m.get("train/count"));
    }

    /** Through the log files as a run writes them, and into the plots. */
    @Test
    void theWrittenLogLeavesThemOutAndThePlotsTakeIt(@TempDir Path run) throws IOException {
        try (MetricsLog log = MetricsLog.open(run, () -> Instant.ofEpochSecond(1_764_000_000L))) {
            log.append(1, 0, Trainer.trainMetrics(sums(0), 16, 1e-4)); // the first steps of a run: nothing halts yet
            log.append(2, 0, Trainer.trainMetrics(sums(0), 16, 1e-4));
            log.append(3, 0, Trainer.trainMetrics(sums(5), 16, 1e-4));
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = Files.readAllLines(run.resolve(MetricsLog.JSONL)).stream().map(l -> {
            try {
                return json.readTree(l);
            } catch (IOException e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertEquals(3, lines.size());
        for (int i = 0; i < 2; i++) {
            assertFalse(lines.get(i).has("train/q_halt_accuracy"), "no q_halt_accuracy without halted samples: " + lines.get(i));
            assertFalse(lines.get(i).has("train/accuracy"), lines.get(i).toString());
            assertEquals(0.5, lines.get(i).get("train/lm_loss").doubleValue());
        }
        assertEquals(0.25, lines.get(2).get("train/q_halt_accuracy").doubleValue());

        List<String> csv = Files.readAllLines(run.resolve(MetricsLog.CSV));
        List<String> header = List.of(csv.getFirst().split(",", -1));
        int q = header.indexOf("train/q_halt_accuracy");
        assertTrue(q > 0, csv.getFirst());
        assertEquals("", csv.get(1).split(",", -1)[q], "an empty cell, not 0: " + csv.get(1));
        assertEquals("0.25", csv.get(3).split(",", -1)[q]);

        List<Path> plots = MetricsPlots.write(run, MetricsLog.readRecords(run));
        assertTrue(plots.contains(run.resolve(MetricsPlots.DIR).resolve("train_accuracy.png")), plots.toString());
    }
}
