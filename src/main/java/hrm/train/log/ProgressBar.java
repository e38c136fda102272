package hrm.train.log;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The training loop's progress line: done/total steps, percent, elapsed time, ETA and steps per second from
 * the recent rate ({@link RateEstimator}: "ETA --:--" until it is known), and live fields (loss, accuracy, lr,
 * samples/s, ...) given as name/value pairs.
 *
 * <p>On a terminal it redraws one line in place with '\r', at most {@link #REDRAW_INTERVAL_NANOS} apart (a
 * step can be much faster than a terminal wants to be written to). Anywhere else (CI logs, files) '\r'
 * redraws would pile up into one unreadable line, so it prints a plain line every {@code plainEverySteps}
 * steps or {@code plainEverySeconds} seconds instead, whichever comes first.
 */
public final class ProgressBar {
    /** Shortest time between two terminal redraws: about 10 per second. */
    public static final long REDRAW_INTERVAL_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 20;

    private final long total;
    private final long startDone;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long plainEverySteps;
    private final long plainEveryNanos;
    private final long startNanos;

    private final RateEstimator rate;

    private long lastDone;
    private Map<String, ? extends Number> lastFields = Map.of();
    private boolean shown;
    private long lastShownNanos;
    private long lastShownDone;
    private int lastWidth;

    /**
     * @param total             steps in the whole run
     * @param startDone         steps already done when this bar starts (a resumed run); the rate counts only
     *                          steps made after it
     * @param terminal          redraw in place; otherwise print plain lines
     * @param nanoClock         monotonic nanoseconds ({@code System::nanoTime}; a fake one in tests)
     * @param plainEverySteps   in plain mode, print a line at least every this many steps
     * @param plainEverySeconds in plain mode, print a line at least every this many seconds
     */
    public ProgressBar(long total, long startDone, PrintStream out, boolean terminal, LongSupplier nanoClock,
                       long plainEverySteps, double plainEverySeconds) {
        if (total <= 0) throw new IllegalArgumentException("progress bar total must be positive, got " + total);
        if (startDone < 0 || startDone > total)
            throw new IllegalArgumentException("progress bar start " + startDone + " is outside 0.." + total);
        if (plainEverySteps <= 0 || !(plainEverySeconds > 0))
            throw new IllegalArgumentException("plain-line intervals must be positive, got " + plainEverySteps
                    + " steps and " + plainEverySeconds + " s");
        this.total = total;
        this.startDone = startDone;
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.plainEverySteps = plainEverySteps;
        this.plainEveryNanos = (long) (plainEverySeconds * 1e9);
        this.startNanos = nanoClock.getAsLong();
        this.rate = new RateEstimator(startDone);
        this.lastDone = startDone;
        this.lastShownDone = startDone;
    }

    /**
     * A bar on standard error that redraws in place when the process has a terminal, and otherwise prints a
     * line every 100 steps or 30 seconds. Java cannot ask whether stderr itself is a terminal; the console
     * (standard input and output on a terminal) stands in for it.
     */
    public static ProgressBar onStderr(long total, long startDone) {
        Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        return new ProgressBar(total, startDone, System.err, terminal, System::nanoTime, 100, 30.0);
    }

    /** Records that {@code done} steps are finished, with the live fields to show (shown in map order). */
    public void update(long done, Map<String, ? extends Number> fields) {
        long now = nanoClock.getAsLong();
        rate.record(done, now);
        lastDone = done;
        lastFields = fields;
        boolean last = done >= total;
        if (terminal) {
            if (!shown || last || now - lastShownNanos >= REDRAW_INTERVAL_NANOS) redraw(now);
        } else if (!shown || (last && lastShownDone < total)
                || done - lastShownDone >= plainEverySteps || now - lastShownNanos >= plainEveryNanos) {
            out.println(render(done, fields, now, false));
            out.flush();
            markShown(done, now);
        }
    }

    /** Prints a line of its own (an evaluation result, a checkpoint saved) without breaking the bar. */
    public void message(String line) {
        if (terminal && shown) {
            out.print('\r' + pad(line) + '\n');
            lastWidth = 0;
            redraw(nanoClock.getAsLong());
        } else {
            out.println(line);
            out.flush();
        }
    }

    /** Shows the final state (whatever the throttling skipped) and ends the line. */
    public void finish() {
        long now = nanoClock.getAsLong();
        if (terminal) {
            redraw(now);
            out.println();
            out.flush();
        } else if (!shown || lastShownDone != lastDone) {
            out.println(render(lastDone, lastFields, now, false));
            out.flush();
        }
        markShown(lastDone, now);
    }

    /**
     * The time since the last step went to something other than training (an evaluation, a checkpoint, the
     * plots): the rate leaves it out.
     */
    public void pause() {
        rate.pause(nanoClock.getAsLong());
    }

    /** Steps per second over the recent steps ({@link RateEstimator}); NaN while not yet known. */
    double stepsPerSecond() {
        return rate.stepsPerSecond();
    }

    private void redraw(long now) {
        out.print('\r' + pad(render(lastDone, lastFields, now, true)));
        out.flush();
        markShown(lastDone, now);
    }

    private void markShown(long done, long now) {
        shown = true;
        lastShownDone = done;
        lastShownNanos = now;
    }

    /** Pads with spaces over what the previous, longer line left on the terminal. */
    private String pad(String line) {
        String padded = line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
        lastWidth = line.length();
        return padded;
    }

    String render(long done, Map<String, ? extends Number> fields, long now, boolean withBar) {
        StringBuilder sb = new StringBuilder(120);
        String totalText = Long.toString(total);
        String doneText = Long.toString(done);
        sb.append(" ".repeat(Math.max(0, totalText.length() - doneText.length())))
                .append(doneText).append('/').append(totalText)
                .append(String.format(Locale.ROOT, " %5.1f%%", 100.0 * done / total));
        if (withBar) {
            int filled = (int) Math.min(BAR_WIDTH, BAR_WIDTH * done / total);
            sb.append(" |").append("#".repeat(filled)).append(" ".repeat(BAR_WIDTH - filled)).append('|');
        }
        // Until the rate is known the ETA is shown as unknown: a guess from the warm-up steps is off by hours.
        double eta = done >= total ? 0 : rate.secondsFor(total - done);
        sb.append(' ').append(duration((now - startNanos) * 1e-9))
                .append(" ETA ").append(Double.isFinite(eta) ? duration(eta) : "--:--");
        double stepsPerSecond = rate.stepsPerSecond();
        if (!Double.isNaN(stepsPerSecond)) sb.append(", ").append(number(stepsPerSecond)).append(" step/s");
        for (Map.Entry<String, ? extends Number> e : fields.entrySet())
            sb.append("  ").append(e.getKey()).append('=').append(number(e.getValue().doubleValue()));
        return sb.toString();
    }

    /** mm:ss, or h:mm:ss from an hour on. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600, m = (s / 60) % 60, sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                     : String.format(Locale.ROOT, "%02d:%02d", m, sec);
    }

    /** Four significant-ish digits where they fit, scientific for learning rates and other tiny or huge values. */
    static String number(double v) {
        double a = Math.abs(v);
        if (v == 0) return "0";
        if (!Double.isFinite(v)) return Double.toString(v);
        if (a < 1e-3 || a >= 1e6) return String.format(Locale.ROOT, "%.2e", v);
        if (a < 10) return String.format(Locale.ROOT, "%.4f", v);
        if (a < 1000) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
