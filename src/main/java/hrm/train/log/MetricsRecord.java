package hrm.train.log;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One logged step: the optimiser step, the epoch, the wall-clock time (seconds since the Unix epoch) and the
 * metrics under their reference names ({@code train/loss}, {@code train/exact_accuracy}, {@code all/accuracy}...),
 * in the order they were given.
 */
public record MetricsRecord(long step, int epoch, double wallTime, Map<String, Double> metrics) {
    /** Names of the fixed columns; a metric may not take one of them. */
    public static final Set<String> FIXED_COLUMNS = Set.of("step", "epoch", "wall_time");

    public MetricsRecord {
        if (step < 0) throw new IllegalArgumentException("metrics step must not be negative, got " + step);
        if (!Double.isFinite(wallTime))
            throw new IllegalArgumentException("wall time at step " + step + " is not finite: " + wallTime);
        LinkedHashMap<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || FIXED_COLUMNS.contains(name))
                throw new IllegalArgumentException("bad metric name '" + name + "' at step " + step
                        + ": names must be non-empty and not one of " + FIXED_COLUMNS);
            if (e.getValue() == null)
                throw new IllegalArgumentException("metric '" + name + "' at step " + step + " has no value");
            copy.put(name, e.getValue());
        }
        metrics = Collections.unmodifiableMap(copy);
    }
}
