package hrm.data;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * One set of one split, memory-mapped: examples (inputs and labels), puzzles (runs of examples with
 * one puzzle identifier) and groups (runs of puzzles: an original and its augmentations).
 */
public final class PuzzleSet {
    private final String name;
    private final int seqLen, vocabSize;
    private final Npy.Array inputs, labels;
    private final int[] puzzleIdentifiers, puzzleIndices, groupIndices;

    PuzzleSet(Path splitDir, String name, DatasetMetadata meta) {
        this.name = name;
        this.seqLen = meta.seqLen();
        this.vocabSize = meta.vocabSize();
        String p = name + "__";
        inputs = Npy.read(splitDir.resolve(p + "inputs.npy"));
        labels = Npy.read(splitDir.resolve(p + "labels.npy"));
        Npy.Array ids = Npy.read(splitDir.resolve(p + "puzzle_identifiers.npy"));
        Npy.Array pi = Npy.read(splitDir.resolve(p + "puzzle_indices.npy"));
        Npy.Array gi = Npy.read(splitDir.resolve(p + "group_indices.npy"));
        checkTokens(inputs);
        checkTokens(labels);
        if (labels.shape()[0] != inputs.shape()[0])
            throw new DatasetException(labels.file(), labels.shape()[0] + " examples, but the inputs have " + inputs.shape()[0]);
        int examples = inputs.dim(0);
        puzzleIndices = offsets(pi, examples, "examples");
        int puzzles = puzzleIndices.length - 1;
        groupIndices = offsets(gi, puzzles, "puzzles");
        if (ids.shape().length != 1 || ids.size() != puzzles)
            throw new DatasetException(ids.file(), "expected " + puzzles + " identifiers (one per puzzle), shape is " + java.util.Arrays.toString(ids.shape()));
        puzzleIdentifiers = ids.toInts();
        for (int i = 0; i < puzzles; i++)
            if (puzzleIdentifiers[i] < 0 || puzzleIdentifiers[i] >= meta.numPuzzleIdentifiers())
                throw new DatasetException(ids.file(), "element " + i + " = " + puzzleIdentifiers[i]
                        + " outside 0.." + (meta.numPuzzleIdentifiers() - 1) + " (num_puzzle_identifiers)");
    }

    private void checkTokens(Npy.Array a) {
        if (a.shape().length != 2 || a.shape()[1] != seqLen)
            throw new DatasetException(a.file(), "expected shape (examples, " + seqLen + "), got " + java.util.Arrays.toString(a.shape()));
        if (a.dtype() == Npy.DType.FLOAT32 || a.dtype() == Npy.DType.FLOAT64)
            throw new DatasetException(a.file(), "tokens must be integers, dtype is " + a.dtype().descr);
        // every token now, not when its batch is drawn hours into a run (a sequential pass over the mapped file)
        long n = a.size();
        if (a.dtype() == Npy.DType.UINT8) {
            MemorySegment d = a.segment();
            int max = 0;
            long at = -1;
            for (long i = 0; i < n; i++) {
                int v = d.get(ValueLayout.JAVA_BYTE, i) & 0xff;
                if (v > max) { max = v; if (v >= vocabSize) { at = i; break; } }
            }
            if (at >= 0) badToken(a, at, max);
        } else {
            for (long i = 0; i < n; i++) {
                long v = a.getLong(i);
                if (v < 0 || v >= vocabSize) badToken(a, i, v);
            }
        }
    }

    private void badToken(Npy.Array a, long index, long value) {
        throw new DatasetException(a.file(), "example " + index / seqLen + ", position " + index % seqLen + ": token " + value
                + " outside the vocabulary 0.." + (vocabSize - 1) + " (vocab_size)");
    }

    private static int[] offsets(Npy.Array a, int end, String what) {
        if (a.shape().length != 1 || a.size() < 1) throw new DatasetException(a.file(), "expected a 1-d array of offsets, shape " + java.util.Arrays.toString(a.shape()));
        int[] v = a.toInts();
        if (v[0] != 0) throw new DatasetException(a.file(), "first offset must be 0, got " + v[0]);
        if (v[v.length - 1] != end) throw new DatasetException(a.file(), "last offset " + v[v.length - 1] + " but there are " + end + " " + what);
        for (int i = 1; i < v.length; i++)
            if (v[i] <= v[i - 1])
                throw new DatasetException(a.file(), v[i] < v[i - 1] ? "offsets decrease at element " + i + " (" + v[i - 1] + " then " + v[i] + ")"
                        : "entry " + (i - 1) + " is empty (offsets " + (i - 1) + " and " + i + " are both " + v[i] + "): every puzzle needs an example and every group a puzzle");
        return v;
    }

    public String name() {
        return name;
    }

    public int examples() {
        return puzzleIndices[puzzleIndices.length - 1];
    }

    public int puzzles() {
        return puzzleIndices.length - 1;
    }

    public int groups() {
        return groupIndices.length - 1;
    }

    public int puzzleIdentifier(int puzzle) {
        return puzzleIdentifiers[puzzle];
    }

    /** First example of a puzzle; {@code puzzleStart(puzzles())} is the number of examples. */
    public int puzzleStart(int puzzle) {
        return puzzleIndices[puzzle];
    }

    /** First puzzle of a group; {@code groupStart(groups())} is the number of puzzles. */
    public int groupStart(int group) {
        return groupIndices[group];
    }

    /** Copies one example's seqLen input tokens into dst at offset. */
    public void input(int example, int[] dst, int offset) {
        copy(inputs, example, dst, offset);
    }

    /** Copies one example's seqLen label tokens (the stored values, ignore_label_id not yet mapped). */
    public void label(int example, int[] dst, int offset) {
        copy(labels, example, dst, offset);
    }

    private void copy(Npy.Array a, int example, int[] dst, int offset) {
        long base = (long) example * seqLen;
        MemorySegment d = a.segment();
        boolean bytes = a.dtype() == Npy.DType.UINT8;
        for (int i = 0; i < seqLen; i++) {
            // every token was checked against the vocabulary when the set was opened (checkTokens), so it fits an int
            dst[offset + i] = bytes ? d.get(ValueLayout.JAVA_BYTE, base + i) & 0xff : (int) a.getLong(base + i);
        }
    }
}
