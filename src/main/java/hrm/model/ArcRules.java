package hrm.model;

/**
 * How ARC tasks are scored (docs/model.md §11.4), by the rules of a family's code base: the K of
 * pass@K, whether a task counts the fraction of its test inputs right, and whether {@code hrm eval}
 * writes the top answers as {@code submission.json}.
 */
public record ArcRules(int[] passKs, boolean fractionPerTask, boolean submission) {
    /** HRM's evaluate.py. */
    public static final ArcRules HRM = new ArcRules(new int[]{1, 2, 10, 100, 1000}, false, false);
    /** TinyRecursiveModels' evaluators/arc.py. */
    public static final ArcRules TRM = new ArcRules(new int[]{1, 2, 5, 10, 100, 1000}, true, true);
}
