package hrm.train.log;

/**
 * Steps per second for the progress line's ETA and samples/s: a recent rate, not the run's average, that
 * is right within a few steps of the start.
 *
 * <p>Three things make a naive rate wrong early on, and each has its remedy here:
 * <ul>
 *   <li>The first step holds the JIT's first compiles, the product planner's measurements and the first
 *       page faults (on the demo it takes ten times a later step): the interval up to the first recorded
 *       step is never measured, it only sets the starting point.</li>
 *   <li>The steps after it are still slower while the JIT finishes (on the demo, about 15 steps at 1.5-3x
 *       the steady time): the rate is an exponentially weighted ratio (steps over seconds, each decayed
 *       by its age) that looks back over at most half of the time measured so far, so warm-up fades as
 *       fast as it is left behind; from {@link #SMOOTHING_SECONDS} of measured time on, the look-back
 *       stays at that, which smooths step-to-step noise and still follows a change of speed (another
 *       process taking a core) within about that long.</li>
 *   <li>Evaluations and checkpoints stop the steps for seconds: {@link #pause} leaves the time since the
 *       last step out, so the rate stays that of training (the ETA then leaves out the evaluations still
 *       to come, a few percent on the demo).</li>
 * </ul>
 * The rate is unknown (NaN) until {@link #MIN_TIMED_STEPS} steps were measured: a single step can be
 * an outlier. Wall-clock time enters nothing but this display.
 */
final class RateEstimator {
    /** The look-back's time constant once enough was measured. */
    static final double SMOOTHING_SECONDS = 20.0;
    /** Steps measured (after the first, unmeasured one) before the rate counts as known. */
    static final int MIN_TIMED_STEPS = 2;

    private final long startDone;
    private boolean anchored;
    private long lastDone;
    private long lastNanos;
    private long timedSteps;
    private double timedSeconds;
    /** Decayed sums: the rate is their ratio, so no starting value biases it. */
    private double weightedSteps, weightedSeconds;

    /** @param startDone steps done before this run started (a resumed run): the first step is the one after it */
    RateEstimator(long startDone) {
        this.startDone = startDone;
        this.lastDone = startDone;
    }

    /** Records that {@code done} steps are finished at {@code nanos} (a monotonic clock). */
    void record(long done, long nanos) {
        if (!anchored) { // the first step's time is warm-up: it starts the measurement and is not part of it
            if (done <= startDone) return;
            anchored = true;
            lastDone = done;
            lastNanos = nanos;
            return;
        }
        long dt = nanos - lastNanos;
        long steps = done - lastDone;
        if (dt <= 0 || steps <= 0) return; // nothing to measure yet: keep the interval open
        double seconds = dt * 1e-9;
        timedSteps += steps;
        timedSeconds += seconds;
        double lookBack = Math.min(SMOOTHING_SECONDS, timedSeconds / 2);
        double decay = Math.exp(-seconds / lookBack);
        weightedSteps = weightedSteps * decay + steps;
        weightedSeconds = weightedSeconds * decay + seconds;
        lastDone = done;
        lastNanos = nanos;
    }

    /** The time from the last recorded step to {@code nanos} went to something else (an evaluation): not measured. */
    void pause(long nanos) {
        if (anchored && nanos > lastNanos) lastNanos = nanos;
    }

    /** Steps per second, or NaN while unknown. */
    double stepsPerSecond() {
        return timedSteps < MIN_TIMED_STEPS ? Double.NaN : weightedSteps / weightedSeconds;
    }

    /** Seconds for {@code remaining} more steps at the current rate, or NaN while unknown. */
    double secondsFor(long remaining) {
        return remaining / stepsPerSecond();
    }
}
