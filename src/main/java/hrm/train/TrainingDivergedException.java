package hrm.train;

/** The loss became NaN or infinite; the weights were not updated by that step. */
public final class TrainingDivergedException extends RuntimeException {
    public final long step;

    public TrainingDivergedException(long step, double loss) {
        super("loss is " + loss + " at step " + step + "; stopped before the optimiser step, the last checkpoint is intact");
        this.step = step;
    }
}
