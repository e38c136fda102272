package hrm.train.log;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The progress line's rate on an injected clock: step times are given, nothing sleeps. */
class RateEstimatorTest {
    private static final long S = 1_000_000_000L;

    /** Feeds steps done+1.. with the given durations (seconds) from time {@code nanos}; returns the time after. */
    private static long steps(RateEstimator r, long done, long nanos, double... seconds) {
        for (double s : seconds) {
            nanos += (long) (s * S);
            r.record(++done, nanos);
        }
        return nanos;
    }

    /** The ETA against the truth of steady 1 s steps, as a ratio. */
    private static double etaError(RateEstimator r, long total, long done, double secondsPerStep) {
        return r.secondsFor(total - done) / ((total - done) * secondsPerStep) - 1;
    }

    @Test
    void aSlowFirstStepDoesNotLeadTheEtaAstray() {
        // the demo's shape: a first step of warm-up (JIT, product measurements) 30x a steady one
        RateEstimator r = new RateEstimator(0);
        long t = steps(r, 0, 0, 30);
        assertTrue(Double.isNaN(r.stepsPerSecond()), "nothing measured after the first step");
        t = steps(r, 1, t, 1);
        assertTrue(Double.isNaN(r.secondsFor(999)), "one measured step is not yet a rate");
        steps(r, 2, t, 1);
        assertEquals(0, etaError(r, 1000, 3, 1.0), 0.10, "within 10% of the truth at step 3");
        assertEquals(1.0, r.stepsPerSecond(), 1e-12, "the warm-up step is not in the rate at all");
    }

    @Test
    void warmUpStepsFadeAsFastAsTheyAreLeftBehind() {
        // the first step, then 10 steps slowing down from 3x to steady (the JIT finishing), then steady 0.2 s steps
        RateEstimator r = new RateEstimator(0);
        long t = steps(r, 0, 0, 5.0);
        t = steps(r, 1, t, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.22, 0.21);
        double[] steady = new double[20];
        java.util.Arrays.fill(steady, 0.2);
        steps(r, 11, t, steady);
        // 31 steps in (4 s of steady steps): an ETA from the average since the start would be 2x too long, from the
        // average since step 1 still 30% too long
        double error = etaError(r, 2500, 31, 0.2);
        assertTrue(Math.abs(error) < 0.10, "ETA error after 4 s of steady steps: " + error);
    }

    @Test
    void theRateFollowsAChangeOfSpeed() {
        RateEstimator r = new RateEstimator(0);
        long t = steps(r, 0, 0, 10);
        for (int i = 0; i < 100; i++) t = steps(r, 1 + i, t, 1.0);
        assertEquals(1.0, r.stepsPerSecond(), 1e-12);
        // another process takes a core: steps now take 2 s
        t = steps(r, 101, t, 2.0);
        double afterOne = r.stepsPerSecond();
        assertTrue(afterOne < 1.0 && afterOne > 0.9, "one slow step moves the rate without jumping: " + afterOne);
        for (int i = 0; i < 30; i++) t = steps(r, 102 + i, t, 2.0);
        assertEquals(0.5, r.stepsPerSecond(), 0.5 * 0.10, "after 60 s (3 look-backs): within 10% of the new speed");
        for (int i = 0; i < 70; i++) t = steps(r, 132 + i, t, 2.0);
        assertEquals(0.5, r.stepsPerSecond(), 1e-3, "after 200 s: the new speed");
        // and back
        for (int i = 0; i < 100; i++) t = steps(r, 202 + i, t, 1.0);
        assertEquals(1.0, r.stepsPerSecond(), 1e-2);
    }

    @Test
    void pausesAreLeftOut() {
        RateEstimator r = new RateEstimator(0);
        long t = steps(r, 0, 0, 3, 0.5, 0.5, 0.5);
        t += 40 * S; // an evaluation
        r.pause(t);
        t += 2 * S; // a checkpoint
        r.pause(t);
        steps(r, 4, t, 0.5, 0.5);
        assertEquals(2.0, r.stepsPerSecond(), 1e-12, "the 42 s without steps are not in the rate");
    }

    @Test
    void aResumedRunMeasuresFromItsOwnFirstStep() {
        RateEstimator r = new RateEstimator(500);
        r.record(500, 7 * S); // a redraw before any step: no anchor yet
        long t = steps(r, 500, 10 * S, 20); // step 501: the resumed run's warm-up
        steps(r, 501, t, 4, 4);
        assertEquals(0.25, r.stepsPerSecond(), 1e-12);
        assertEquals(4 * 497, r.secondsFor(497), 1e-9);
    }

    @Test
    void updatesWithoutProgressOrTimeMeasureNothing() {
        RateEstimator redrawn = new RateEstimator(0), plain = new RateEstimator(0);
        long t = steps(redrawn, 0, 0, 1, 1, 1);
        steps(plain, 0, 0, 1, 1, 1);
        redrawn.record(3, t + S); // the same step again (a redraw): the interval stays open
        redrawn.record(3, t + S); // and no time at all
        redrawn.record(4, t + 2 * S);
        plain.record(4, t + 2 * S);
        assertEquals(plain.stepsPerSecond(), redrawn.stepsPerSecond(), 0.0);
        assertTrue(plain.stepsPerSecond() > 0.5 && plain.stepsPerSecond() < 1.0, "step 4 took 2 s: " + plain.stepsPerSecond());
    }
}
