package hrm.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Raw metric sums of one call (docs/model.md §7); reset and refilled each call, never reallocated. */
public final class Metrics {
    public double count, accuracy, exactAccuracy, qHaltAccuracy, steps;
    public double lmLoss, qHaltLoss, qContinueLoss;
    public boolean hasQContinue;

    /** lm_loss + 0.5 * (q_halt_loss + q_continue_loss), before division by the global batch size. */
    public double loss() {
        return lmLoss + 0.5 * (qHaltLoss + (hasQContinue ? qContinueLoss : 0));
    }

    void clear() {
        count = accuracy = exactAccuracy = qHaltAccuracy = steps = 0;
        lmLoss = qHaltLoss = qContinueLoss = 0;
        hasQContinue = false;
    }

    /** Under the reference's names. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("accuracy", accuracy);
        m.put("exact_accuracy", exactAccuracy);
        m.put("q_halt_accuracy", qHaltAccuracy);
        m.put("steps", steps);
        m.put("lm_loss", lmLoss);
        m.put("q_halt_loss", qHaltLoss);
        if (hasQContinue) m.put("q_continue_loss", qContinueLoss);
        return m;
    }
}
