package hrm.train;

import java.nio.file.Path;
import java.util.Map;

/** What a training run reports as it goes: progress, metrics, evaluations and checkpoints. */
public interface TrainListener {
    default void onStart(long step, long totalSteps) {}

    /** Metrics of one step under the reference's names (train/...), normalised as the reference logs them. */
    default void onStep(long step, long totalSteps, Map<String, Double> metrics) {}

    /** Per set, the evaluation metrics. */
    default void onEval(long step, Map<String, Map<String, Double>> metrics) {}

    default void onCheckpoint(long step, Path dir) {}

    TrainListener NONE = new TrainListener() {};
}
