package hrm.data.arc;

/** One input/output pair of a task; {@code test} marks a pair from the task's "test" list. */
public record ArcPair(ArcGrid input, ArcGrid output, boolean test) {}
