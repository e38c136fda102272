package hrm.model;

/**
 * One batch on the host: inputs and labels (batch x seqLen, labels -100 where ignored) and one
 * puzzle identifier per sample.
 */
public record Batch(int[] inputs, int[] labels, int[] puzzleIdentifiers) {
    public int size() {
        return puzzleIdentifiers.length;
    }
}
