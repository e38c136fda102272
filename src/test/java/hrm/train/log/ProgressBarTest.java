package hrm.train.log;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(5 * S); // any origin: only differences count
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Double> fields(double loss, double acc) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", loss);
        m.put("acc", acc);
        m.put("lr", 1e-4);
        return m;
    }

    @Test
    void etaFromSteadyRateAndFieldsInOrder() {
        ProgressBar bar = new ProgressBar(100, 0, out, false, clock::get, 1, 60);
        for (int step = 1; step <= 10; step++) {
            clock.addAndGet(S); // one step per second
            bar.update(step, fields(1.5, 0.25));
        }
        List<String> lines = output().lines().toList();
        String last = lines.getLast();
        assertEquals(" 10/100  10.0% 00:10 ETA 01:30, 1.0000 step/s  loss=1.5000  acc=0.2500  lr=1.00e-04", last);
    }

    @Test
    void etaFollowsASpeedChangeSmoothly() {
        ProgressBar bar = new ProgressBar(1000, 0, out, false, clock::get, 1, 60);
        for (int step = 1; step <= 20; step++) {
            clock.addAndGet(S);
            bar.update(step, Map.of());
        }
        assertEquals(1.0, bar.stepsPerSecond(), 1e-12);
        // Now each step takes 2 s: the smoothed rate moves towards 0.5 without jumping there (19 s measured so
        // far: the rate looks back over about 10 s of them).
        clock.addAndGet(2 * S);
        bar.update(21, Map.of());
        double afterOne = bar.stepsPerSecond();
        assertTrue(afterOne < 0.9 && afterOne > 0.8, "rate after one slow step: " + afterOne);
        for (int step = 22; step <= 120; step++) {
            clock.addAndGet(2 * S);
            bar.update(step, Map.of());
        }
        assertEquals(0.5, bar.stepsPerSecond(), 1e-3);
        // 880 steps left at 0.5 step/s: 1760 s = 29:20.
        assertTrue(output().lines().toList().getLast().contains(" ETA 29:2"), output().lines().toList().getLast());
    }

    @Test
    void noEtaUntilTheRateIsKnown() {
        ProgressBar bar = new ProgressBar(50, 0, out, false, clock::get, 1, 60);
        bar.update(0, Map.of("loss", 2.0));
        clock.addAndGet(60 * S); // the first step: warm-up, 30 times a later one
        bar.update(1, Map.of("loss", 2.0));
        clock.addAndGet(2 * S);
        bar.update(2, Map.of("loss", 2.0));
        clock.addAndGet(2 * S);
        bar.update(3, Map.of("loss", 2.0));
        // before: 50 steps at the first step's speed would have said 49:00 at step 1
        assertEquals(List.of(
                " 0/50   0.0% 00:00 ETA --:--  loss=2.0000",
                " 1/50   2.0% 01:00 ETA --:--  loss=2.0000",
                " 2/50   4.0% 01:02 ETA --:--  loss=2.0000",
                " 3/50   6.0% 01:04 ETA 01:34, 0.5000 step/s  loss=2.0000"), output().lines().toList());
    }

    @Test
    void evaluationTimeIsLeftOutOfTheRate() {
        ProgressBar bar = new ProgressBar(100, 0, out, false, clock::get, 1, 60);
        for (int step = 1; step <= 10; step++) {
            clock.addAndGet(S);
            bar.update(step, Map.of());
        }
        clock.addAndGet(45 * S); // an evaluation, then its checkpoint
        bar.message("eval at step 10: all/exact_accuracy=0.5");
        bar.pause();
        clock.addAndGet(S);
        bar.update(11, Map.of());
        assertEquals(1.0, bar.stepsPerSecond(), 1e-12);
        assertEquals(" 11/100  11.0% 00:56 ETA 01:29, 1.0000 step/s", output().lines().toList().getLast());
    }

    @Test
    void terminalRedrawsAtMostTenTimesASecond() {
        ProgressBar bar = new ProgressBar(1000, 0, out, true, clock::get, 1, 1);
        for (int step = 1; step <= 200; step++) { // 200 steps at 10 ms: 2 s
            clock.addAndGet(10 * MS);
            bar.update(step, fields(1, 0.5));
        }
        String text = output();
        long redraws = text.chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 19 && redraws <= 21, "redraws in 2 s: " + redraws);
        assertFalse(text.contains("\n"), "a terminal bar stays on one line until finish");
        assertTrue(text.contains("|#"), "the bar graphic is drawn on a terminal");
        bar.finish();
        String finished = output();
        assertTrue(finished.endsWith("\n"));
        String lastDraw = finished.substring(finished.lastIndexOf('\r') + 1).strip();
        assertTrue(lastDraw.startsWith("200/1000"), "finish shows the last step: " + lastDraw);
    }

    @Test
    void terminalAlwaysDrawsTheLastStepAndPadsOverLongerLines() {
        ProgressBar bar = new ProgressBar(3, 0, out, true, clock::get, 1, 1);
        clock.addAndGet(S);
        bar.update(1, Map.of("loss", 1234.5, "exact_accuracy", 0.5));
        int firstLen = output().length() - 1;
        clock.addAndGet(MS);
        bar.update(2, Map.of()); // throttled: 1 ms after the last draw
        assertEquals(1, output().chars().filter(c -> c == '\r').count());
        clock.addAndGet(MS);
        bar.update(3, Map.of());
        String text = output();
        assertEquals(2, text.chars().filter(c -> c == '\r').count(), "the final step is drawn at once");
        String lastDraw = text.substring(text.lastIndexOf('\r') + 1);
        assertEquals(firstLen, lastDraw.length(), "a shorter line is padded over the longer one");
        assertTrue(lastDraw.startsWith("3/3 100.0% |####################|"), lastDraw);
    }

    @Test
    void plainModePrintsEveryNStepsOrSecondsWithoutCarriageReturns() {
        ProgressBar bar = new ProgressBar(100, 0, out, false, clock::get, 25, 10);
        for (int step = 1; step <= 100; step++) {
            clock.addAndGet(100 * MS);
            bar.update(step, Map.of("loss", 0.5));
        }
        bar.finish();
        String text = output();
        assertFalse(text.contains("\r"));
        List<String> lines = text.lines().toList();
        // step 1 (first), then 26, 51, 76 (every 25 steps), then 100 (the end); finish adds nothing new
        assertEquals(List.of("1/100", "26/100", "51/100", "76/100", "100/100"),
                lines.stream().map(l -> l.strip().split(" ")[0]).toList());
        assertFalse(text.contains("|"), "no bar graphic in plain mode");

        bytes.reset();
        ProgressBar slow = new ProgressBar(100, 0, out, false, clock::get, 1000, 10);
        for (int step = 1; step <= 10; step++) {
            clock.addAndGet(3 * S);
            slow.update(step, Map.of());
        }
        // first at step 1 (t=3 s), then every 10 s: steps 5 (t=15 s) and 9 (t=27 s)
        assertEquals(List.of("1/100", "5/100", "9/100"),
                output().lines().map(l -> l.strip().split(" ")[0]).toList());
    }

    @Test
    void messagesDoNotBreakTheBar() {
        ProgressBar bar = new ProgressBar(10, 0, out, true, clock::get, 1, 1);
        clock.addAndGet(S);
        bar.update(1, Map.of());
        bar.message("eval all/exact_accuracy=0.5");
        String text = output();
        int msg = text.indexOf("\reval all/exact_accuracy=0.5");
        assertTrue(msg > 0, text);
        assertTrue(text.substring(msg).matches("(?s)\reval all/exact_accuracy=0\\.5 *\n\r 1/10.*"), text);
    }

    @Test
    void resumedRunCountsRateFromItsOwnStart() {
        ProgressBar bar = new ProgressBar(1000, 500, out, false, clock::get, 1, 60);
        clock.addAndGet(10 * S); // the resumed run's first step, with its warm-up
        bar.update(501, Map.of());
        for (int step = 502; step <= 503; step++) {
            clock.addAndGet(2 * S);
            bar.update(step, Map.of());
        }
        assertEquals(0.5, bar.stepsPerSecond(), 1e-12);
        assertTrue(output().contains("503/1000  50.3% 00:14 ETA 16:34, 0.5000 step/s"), output());
    }

    @Test
    void numbersAndDurations() {
        assertEquals("0", ProgressBar.number(0));
        assertEquals("0.1235", ProgressBar.number(0.123456));
        assertEquals("12.35", ProgressBar.number(12.3456));
        assertEquals("3.00e-05", ProgressBar.number(3e-5));
        assertEquals("NaN", ProgressBar.number(Double.NaN));
        assertEquals("00:59", ProgressBar.duration(59.4));
        assertEquals("1:01:01", ProgressBar.duration(3661));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ProgressBar(0, 0, out, false, clock::get, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ProgressBar(10, 11, out, false, clock::get, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ProgressBar(10, 0, out, false, clock::get, 0, 1));
    }
}
