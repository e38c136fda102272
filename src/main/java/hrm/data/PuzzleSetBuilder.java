package hrm.data;

import java.util.Arrays;

/**
 * Collects one set of one split: examples grouped into puzzles, puzzles into groups (spec section 9).
 * Tokens are kept as bytes, the reference's uint8 layout, so a million-example build stays small.
 */
public final class PuzzleSetBuilder {
    private final int seqLen;
    private byte[] inputs = new byte[0], labels = new byte[0];
    private int examples;
    private int[] puzzleIndices = {0}, puzzleIdentifiers = new int[0], groupIndices = {0};
    private int puzzles, groups;

    public PuzzleSetBuilder(int seqLen) {
        if (seqLen < 1) throw new IllegalArgumentException("seqLen must be positive, got " + seqLen);
        this.seqLen = seqLen;
    }

    public int seqLen() {
        return seqLen;
    }

    /** Adds an example to the open puzzle; both arrays hold seqLen tokens in 0..255. */
    public void addExample(int[] input, int[] label) {
        if (input.length != seqLen || label.length != seqLen)
            throw new IllegalArgumentException("example " + examples + ": expected " + seqLen + " tokens, got input "
                    + input.length + ", label " + label.length);
        if ((long) (examples + 1) * seqLen > Integer.MAX_VALUE - 16)
            throw new IllegalStateException("set too large: over 2 GiB of tokens");
        int need = (examples + 1) * seqLen;
        if (need > inputs.length) {
            int cap = (int) Math.min(Integer.MAX_VALUE - 16L, Math.max(need, inputs.length * 2L));
            inputs = Arrays.copyOf(inputs, cap);
            labels = Arrays.copyOf(labels, cap);
        }
        int at = examples * seqLen;
        for (int i = 0; i < seqLen; i++) {
            inputs[at + i] = token(input[i], "input", i);
            labels[at + i] = token(label[i], "label", i);
        }
        examples++;
    }

    private byte token(int v, String what, int i) {
        if (v < 0 || v > 255) throw new IllegalArgumentException("example " + examples + ": " + what + " token " + i + " = " + v + " is outside 0..255");
        return (byte) v;
    }

    /** Closes the open puzzle, which must have at least one example, under its puzzle identifier. */
    public void endPuzzle(int puzzleIdentifier) {
        if (examples == puzzleIndices[puzzles]) throw new IllegalStateException("puzzle " + puzzles + " has no examples");
        if (puzzleIdentifier < 0) throw new IllegalArgumentException("negative puzzle identifier " + puzzleIdentifier);
        if (puzzles + 2 > puzzleIndices.length) puzzleIndices = Arrays.copyOf(puzzleIndices, 2 * puzzleIndices.length + 2);
        if (puzzles + 1 > puzzleIdentifiers.length) puzzleIdentifiers = Arrays.copyOf(puzzleIdentifiers, 2 * puzzleIdentifiers.length + 1);
        puzzleIdentifiers[puzzles] = puzzleIdentifier;
        puzzleIndices[++puzzles] = examples;
    }

    /** Closes the open group, which must have at least one puzzle. */
    public void endGroup() {
        if (examples != puzzleIndices[puzzles]) throw new IllegalStateException("group " + groups + " ends inside an open puzzle");
        if (puzzles == groupIndices[groups]) throw new IllegalStateException("group " + groups + " has no puzzles");
        if (groups + 2 > groupIndices.length) groupIndices = Arrays.copyOf(groupIndices, 2 * groupIndices.length + 2);
        groupIndices[++groups] = puzzles;
    }

    public int examples() {
        return examples;
    }

    public int puzzles() {
        return puzzles;
    }

    public int groups() {
        return groups;
    }

    void checkClosed(String where) {
        if (examples != puzzleIndices[puzzles]) throw new IllegalStateException(where + ": the last puzzle was not closed with endPuzzle");
        if (puzzles != groupIndices[groups]) throw new IllegalStateException(where + ": the last group was not closed with endGroup");
    }

    int maxPuzzleIdentifier() {
        int m = -1;
        for (int i = 0; i < puzzles; i++) m = Math.max(m, puzzleIdentifiers[i]);
        return m;
    }

    int maxToken() {
        int m = 0;
        for (int i = 0; i < examples * seqLen; i++) m = Math.max(m, Math.max(inputs[i] & 0xff, labels[i] & 0xff));
        return m;
    }

    byte[] inputs() {
        return inputs;
    }

    byte[] labels() {
        return labels;
    }

    int[] puzzleIndices() {
        return Arrays.copyOf(puzzleIndices, puzzles + 1);
    }

    int[] puzzleIdentifiers() {
        return Arrays.copyOf(puzzleIdentifiers, puzzles);
    }

    int[] groupIndices() {
        return Arrays.copyOf(groupIndices, groups + 1);
    }
}
