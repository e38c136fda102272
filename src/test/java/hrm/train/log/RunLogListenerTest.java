package hrm.train.log;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogListenerTest {
    private static final long S = 1_000_000_000L;

    @TempDir
    Path base;

    private final AtomicLong nanos = new AtomicLong();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private RunLogListener listener(RunDirectory run) {
        return new RunLogListener(run, 2, 32, out, false, nanos::get,
                () -> Instant.ofEpochSecond(1_764_000_000L).plusNanos(nanos.get()));
    }

    private static Map<String, Double> trainMetrics(long step) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("train/loss", 2.0 / step);
        m.put("train/accuracy", 0.05 * step);
        m.put("train/exact_accuracy", 0.01 * step);
        m.put("train/lr", 1e-4);
        return m;
    }

    /** Steps from+1..to, one per 2 s, an evaluation (30 s) and a checkpoint (3 s) every 5 steps. */
    private void train(RunLogListener l, long from, long to) {
        l.onStart(from, 10);
        for (long step = from + 1; step <= to; step++) {
            nanos.addAndGet(2 * S);
            l.onStep(step, 10, trainMetrics(step));
            if (step % 5 == 0) {
                Map<String, Double> all = new LinkedHashMap<>();
                all.put("exact_accuracy", 0.1 * step);
                all.put("accuracy", 0.09 * step);
                nanos.addAndGet(30 * S);
                l.onEval(step, Map.of("all", all));
                nanos.addAndGet(3 * S);
                l.onCheckpoint(step, base.resolve("step_" + step));
            }
        }
    }

    @Test
    void aRunLeavesMetricsPlotsAndProgressLines() throws IOException {
        RunDirectory run = RunDirectory.open(base.resolve("run"), RunDirectory.Reuse.REFUSE);
        try (RunLogListener l = listener(run)) {
            train(l, 0, 10);
            assertEquals(12, l.metrics().records().size());
            assertEquals(List.of(0, 0, 0, 0, 1, 1, 1, 1, 1, 2),
                    l.metrics().records().stream().filter(r -> r.metrics().containsKey("train/loss"))
                            .map(MetricsRecord::epoch).toList(), "epochs completed by each step");
        }
        List<String> csv = Files.readAllLines(run.path().resolve(MetricsLog.CSV));
        assertEquals("step,epoch,wall_time,train/loss,train/accuracy,train/exact_accuracy,train/lr,all/exact_accuracy,all/accuracy",
                csv.getFirst());
        assertEquals(13, csv.size());
        for (String png : List.of("train_loss", "train_accuracy", "train_lr", "eval_accuracy"))
            assertTrue(Files.size(run.path().resolve("plots/" + png + ".png")) > 1000, png);

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("eval at step 5:"), text);
        assertTrue(text.contains("checkpoint " + base.resolve("step_10")), text);
        String last = text.lines().filter(line -> line.startsWith("10/10")).findFirst().orElseThrow();
        // 32 samples per 2 s step: the 33 s of the evaluation and checkpoint at step 5 are not in the rate
        assertTrue(last.contains("loss=0.2000") && last.contains("acc=0.5000") && last.contains("exact=0.1000")
                && last.contains("lr=1.00e-04") && last.contains("samples/s=16.00"), last);
        assertTrue(last.contains(" ETA 00:00, 0.5000 step/s"), last);
    }

    /** A step where no sample halted has no accuracies: the log leaves them out and the bar keeps the last ones. */
    @Test
    void stepsWithoutHaltedSamplesLogNoAccuracy() throws IOException {
        RunDirectory run = RunDirectory.open(base.resolve("run"), RunDirectory.Reuse.REFUSE);
        try (RunLogListener l = listener(run)) {
            l.onStart(0, 10);
            for (long step = 1; step <= 3; step++) {
                nanos.addAndGet(2 * S);
                Map<String, Double> m = trainMetrics(step);
                if (step % 2 == 1) { // as the trainer reports a step where nothing halted
                    m.remove("train/accuracy");
                    m.remove("train/exact_accuracy");
                }
                l.onStep(step, 10, m);
            }
        }
        List<String> csv = Files.readAllLines(run.path().resolve(MetricsLog.CSV));
        assertEquals("step,epoch,wall_time,train/loss,train/lr,train/accuracy,train/exact_accuracy", csv.getFirst());
        assertEquals(List.of("1,0,1764000002,2.0,1.0E-4,,", "2,0,1764000004,1.0,1.0E-4,0.1,0.02",
                "3,0,1764000006,0.6666666666666666,1.0E-4,,"), csv.subList(1, csv.size()));
        List<MetricsRecord> records = MetricsLog.readRecords(run.path());
        assertEquals(List.of(false, true, false), records.stream().map(r -> r.metrics().containsKey("train/accuracy")).toList());
        String text = bytes.toString(StandardCharsets.UTF_8);
        String at3 = text.lines().filter(line -> line.startsWith(" 3/10")).findFirst().orElseThrow();
        assertTrue(at3.contains("acc=0.1000") && at3.contains("exact=0.0200"), "step 2's accuracies still shown: " + at3);
        assertTrue(Files.size(run.path().resolve("plots/train_accuracy.png")) > 1000, "the plot takes the gaps");
    }

    @Test
    void resumingDropsTheStepsAfterTheCheckpoint() throws IOException {
        RunDirectory first = RunDirectory.open(base.resolve("run"), RunDirectory.Reuse.REFUSE);
        first.writeConfig(RunDirectoryTest.TRAINING_CONFIG);
        try (RunLogListener l = listener(first)) {
            train(l, 0, 8); // crashed after step 8; the last checkpoint is step 5's
        }
        first.close();
        RunDirectory resumed = RunDirectory.open(base.resolve("run"), RunDirectory.Reuse.RESUME);
        try (RunLogListener l = listener(resumed)) {
            train(l, 5, 10);
        }
        List<Long> steps = Files.readAllLines(resumed.path().resolve(MetricsLog.JSONL)).stream()
                .map(MetricsLog::parse).map(MetricsRecord::step).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 5L, 6L, 7L, 8L, 9L, 10L, 10L), steps, "no step logged twice");
    }

    @Test
    void plotsAreRedrawnPeriodicallyWithoutEvaluations() {
        RunDirectory run = RunDirectory.open(base.resolve("run"), RunDirectory.Reuse.REFUSE);
        Path lossPlot = run.path().resolve("plots/train_loss.png");
        try (RunLogListener l = listener(run)) {
            l.onStart(0, 10);
            nanos.addAndGet(6 * 60 * S);
            l.onStep(1, 10, trainMetrics(1));
            assertFalse(Files.exists(lossPlot), "6 minutes in: not yet");
            nanos.addAndGet(6 * 60 * S);
            l.onStep(2, 10, trainMetrics(2));
            assertTrue(Files.exists(lossPlot), "12 minutes in: drawn");
        }
    }
}
