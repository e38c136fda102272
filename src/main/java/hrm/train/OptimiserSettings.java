package hrm.train;

/** The optimiser keys of the reference's training config (docs/model.md §1.3 and §8; TRM's freeze_weights). */
public record OptimiserSettings(double lr, double puzzleEmbLr, double weightDecay, double puzzleEmbWeightDecay,
                                double beta1, double beta2, boolean freezeWeights) {
    public OptimiserSettings(double lr, double puzzleEmbLr, double weightDecay, double puzzleEmbWeightDecay, double beta1, double beta2) {
        this(lr, puzzleEmbLr, weightDecay, puzzleEmbWeightDecay, beta1, beta2, false);
    }

    public OptimiserSettings {
        if (!(lr >= 0)) throw new IllegalArgumentException("lr = " + lr + ": must be >= 0");
        if (!(puzzleEmbLr >= 0)) throw new IllegalArgumentException("puzzle_emb_lr = " + puzzleEmbLr + ": must be >= 0");
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 = " + beta1 + ": must be in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 = " + beta2 + ": must be in [0, 1)");
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight_decay = " + weightDecay + ": must be >= 0");
        if (!(puzzleEmbWeightDecay >= 0))
            throw new IllegalArgumentException("puzzle_emb_weight_decay = " + puzzleEmbWeightDecay + ": must be >= 0");
    }
}
