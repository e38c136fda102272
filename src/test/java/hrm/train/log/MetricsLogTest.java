package hrm.train.log;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path dir;

    private final AtomicLong millis = new AtomicLong(1_764_000_000_000L);
    private final InstantSource clock = () -> Instant.ofEpochMilli(millis.addAndGet(1500));

    private static Map<String, Double> train(double loss, double acc, double exact) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train/loss", loss);
        m.put("train/accuracy", acc);
        m.put("train/exact_accuracy", exact);
        return m;
    }

    private List<String> lines(String file) throws IOException {
        return Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void writesJsonLinesAndCsv() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            log.append(1, 0, train(2.5, 0.25, 0.0));
            log.append(2, 0, train(2.0, 0.5, 0.125));
        }
        List<String> jsonl = lines(MetricsLog.JSONL);
        assertEquals(2, jsonl.size());
        JsonNode first = new ObjectMapper().readTree(jsonl.get(0));
        assertEquals(1, first.get("step").asLong());
        assertEquals(0, first.get("epoch").asInt());
        assertEquals(1_764_000_001.5, first.get("wall_time").asDouble());
        assertEquals(2.5, first.get("train/loss").asDouble());
        List<String> names = new ArrayList<>();
        first.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("step", "epoch", "wall_time", "train/loss", "train/accuracy", "train/exact_accuracy"), names);
        assertEquals(List.of(
                "step,epoch,wall_time,train/loss,train/accuracy,train/exact_accuracy",
                "1,0,1764000001.5,2.5,0.25,0.0",
                "2,0,1764000003,2.0,0.5,0.125"), lines(MetricsLog.CSV));
    }

    @Test
    void csvColumnsGrowWhenNewMetricsAppear() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            log.append(1, 0, train(2.5, 0.25, 0.0));
            log.append(2, 1, train(2.0, 0.5, 0.125));
            log.append(2, 1, Map.of("all/exact_accuracy", 0.75)); // evaluation at the same step
            log.append(3, 1, Map.of("train/loss", 1.5, "train/lr", 1e-4));
            assertEquals(List.of("train/loss", "train/accuracy", "train/exact_accuracy", "all/exact_accuracy", "train/lr"),
                    log.metricNames());
        }
        assertEquals(List.of(
                "step,epoch,wall_time,train/loss,train/accuracy,train/exact_accuracy,all/exact_accuracy,train/lr",
                "1,0,1764000001.5,2.5,0.25,0.0,,",
                "2,1,1764000003,2.0,0.5,0.125,,",
                "2,1,1764000004.5,,,,0.75,",
                "3,1,1764000006,1.5,,,,1.0E-4"), lines(MetricsLog.CSV));
        assertEquals(4, lines(MetricsLog.JSONL).size());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(MetricsLog.CSV, MetricsLog.JSONL),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void stepsMayNotGoBackwards() {
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            log.append(5, 0, train(1, 1, 1));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> log.append(4, 0, train(1, 1, 1)));
            assertTrue(e.getMessage().contains("truncateAfter"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> log.append(6, 0, Map.of("step", 1.0)));
        }
    }

    @Test
    void reopeningKeepsRecordsAndTruncatesAfterTheResumeStep() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            for (int step = 1; step <= 6; step++) log.append(step, step / 3, train(3.0 / step, 0.1 * step, 0));
            log.append(6, 2, Map.of("all/accuracy", 0.5));
        }
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            assertEquals(7, log.records().size());
            assertEquals(0.5, log.records().getLast().metrics().get("all/accuracy"));
            // Resume from the checkpoint of step 4: steps 5 and 6 will be run again.
            log.truncateAfter(4);
            assertEquals(List.of(1L, 2L, 3L, 4L), log.records().stream().map(MetricsRecord::step).toList());
            assertEquals(List.of("train/loss", "train/accuracy", "train/exact_accuracy"), log.metricNames());
            log.append(5, 1, train(0.5, 0.9, 0.5));
        }
        List<String> csv = lines(MetricsLog.CSV);
        assertEquals("step,epoch,wall_time,train/loss,train/accuracy,train/exact_accuracy", csv.getFirst());
        assertEquals(List.of("1", "2", "3", "4", "5"), csv.stream().skip(1).map(l -> l.split(",")[0]).toList());
        assertTrue(csv.getLast().startsWith("5,1,"), csv.getLast());
        assertTrue(csv.getLast().endsWith(",0.5,0.9,0.5"), csv.getLast());
        List<String> jsonl = lines(MetricsLog.JSONL);
        assertEquals(5, jsonl.size());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), jsonl.stream().map(MetricsLog::parse).map(MetricsRecord::step).toList());
    }

    @Test
    void anEvaluationRedoneAfterAResumeIsLoggedOnce() throws IOException {
        // killed after the pass-end evaluation of step 4 was logged, before step 4's pass-end checkpoint; the
        // resumed run starts from a checkpoint of step 4 taken before the evaluation and evaluates again
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            log.append(4, 0, Map.of("train/loss", 1.0));
            log.append(4, 0, Map.of("all/accuracy", 0.5));
        }
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            log.truncateAfter(4);
            log.append(4, 0, Map.of("all/accuracy", 0.5));
            log.append(5, 1, Map.of("train/loss", 0.9));
            assertEquals(3, log.records().size());
        }
        List<String> lines = Files.readAllLines(dir.resolve(MetricsLog.JSONL));
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.contains("all/accuracy")).count());
        assertEquals(4, Files.readAllLines(dir.resolve(MetricsLog.CSV)).size(), "header and three rows");
    }

    @Test
    void aTornLastLineIsDroppedAndACorruptOneNamesItsLine() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            log.append(1, 0, train(2, 0.5, 0));
            log.append(2, 0, train(1, 0.75, 0.25));
        }
        Path jsonl = dir.resolve(MetricsLog.JSONL);
        Files.writeString(jsonl, "{\"step\":3,\"epoch\":0,\"wall", StandardOpenOption.APPEND); // a crash mid-line
        Files.delete(dir.resolve(MetricsLog.CSV)); // and before the CSV row
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            assertEquals(2, log.records().size());
            log.append(3, 0, train(0.5, 1, 1));
        }
        assertEquals(3, lines(MetricsLog.JSONL).size());
        assertEquals(4, lines(MetricsLog.CSV).size());
        assertEquals(3, MetricsLog.parse(lines(MetricsLog.JSONL).get(2)).step());

        List<String> broken = new ArrayList<>(lines(MetricsLog.JSONL));
        broken.set(1, "{\"step\":2,\"epoch\":0,\"wall_time\":1.0,\"train/loss\":true}");
        Files.write(jsonl, broken);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsLog.open(dir, clock));
        assertTrue(e.getMessage().contains(MetricsLog.JSONL + " line 2") && e.getMessage().contains("train/loss"),
                e.getMessage());

        broken.set(1, "{\"epoch\":0,\"wall_time\":1.0}");
        Files.write(jsonl, broken);
        e = assertThrows(IllegalArgumentException.class, () -> MetricsLog.open(dir, clock));
        assertTrue(e.getMessage().contains("line 2: field 'step'"), e.getMessage());
    }

    @Test
    void nonFiniteValuesRoundTrip() throws IOException {
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            log.append(1, 0, Map.of("train/loss", Double.NaN));
            log.append(2, 0, Map.of("train/loss", Double.POSITIVE_INFINITY));
        }
        assertTrue(lines(MetricsLog.JSONL).getFirst().contains("\"train/loss\":\"NaN\""));
        assertTrue(lines(MetricsLog.CSV).get(1).endsWith(",NaN"));
        try (MetricsLog log = MetricsLog.open(dir, clock)) {
            assertTrue(Double.isNaN(log.records().get(0).metrics().get("train/loss")));
            assertEquals(Double.POSITIVE_INFINITY, log.records().get(1).metrics().get("train/loss"));
        }
    }

    @Test
    void csvQuotesAwkwardNames() {
        assertEquals("plain/name", MetricsCsv.quote("plain/name"));
        assertEquals("\"a,b\"", MetricsCsv.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", MetricsCsv.quote("say \"hi\""));
    }
}
