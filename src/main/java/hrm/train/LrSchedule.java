package hrm.train;

/** Linear warm-up then cosine decay to lr_min_ratio (docs/model.md §8); steps count from 1. */
public record LrSchedule(double base, long warmupSteps, long totalSteps, double minRatio) {
    public double at(long step) {
        if (step < warmupSteps) return base * step / Math.max(1, warmupSteps);
        double progress = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
        return base * (minRatio + Math.max(0.0, (1 - minRatio) * 0.5 * (1.0 + Math.cos(Math.PI * progress))));
    }
}
