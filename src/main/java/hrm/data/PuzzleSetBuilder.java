package hrm.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Collects one set of one split: examples grouped into puzzles, puzzles into groups (docs/model.md §10.1).
 * Tokens are streamed as bytes (the reference's uint8 layout) into spill files in the writer's
 * temporary directory, so a build is not bounded by the heap or by Java's 2 GiB arrays: an ARC
 * build with 1000 augmentations writes over 3 GB of tokens per file. Only the index arrays stay in
 * memory.
 */
public final class PuzzleSetBuilder implements AutoCloseable {
    private static final int BUFFER = 1 << 20;

    private final int seqLen;
    private final Path inputsFile, labelsFile;
    private final FileChannel inputs, labels;
    private final ByteBuffer inBuf = ByteBuffer.allocate(BUFFER), labBuf = ByteBuffer.allocate(BUFFER);
    private int examples, maxToken;
    private int[] puzzleIndices = {0}, puzzleIdentifiers = new int[0], groupIndices = {0};
    private int puzzles, groups;

    PuzzleSetBuilder(int seqLen, Path spillDir, String tag) {
        if (seqLen < 1) throw new IllegalArgumentException("seqLen must be positive, got " + seqLen);
        this.seqLen = seqLen;
        this.inputsFile = spillDir.resolve(tag + ".inputs.u8");
        this.labelsFile = spillDir.resolve(tag + ".labels.u8");
        try {
            inputs = FileChannel.open(inputsFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            labels = FileChannel.open(labelsFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(spillDir + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    public int seqLen() {
        return seqLen;
    }

    /** Adds an example to the open puzzle; both arrays hold seqLen tokens in 0..255. */
    public void addExample(int[] input, int[] label) {
        if (input.length != seqLen || label.length != seqLen)
            throw new IllegalArgumentException("example " + examples + ": expected " + seqLen + " tokens, got input "
                    + input.length + ", label " + label.length);
        if (examples == Integer.MAX_VALUE - 1) throw new IllegalArgumentException("set too large: over 2^31 examples");
        put(input, inBuf, inputs, "input");
        put(label, labBuf, labels, "label");
        examples++;
    }

    private void put(int[] tokens, ByteBuffer buf, FileChannel ch, String what) {
        if (buf.remaining() < seqLen) flush(buf, ch);
        int max = maxToken;
        for (int i = 0; i < seqLen; i++) {
            int v = tokens[i];
            if ((v & ~0xff) != 0)
                throw new IllegalArgumentException("example " + examples + ": " + what + " token " + i + " = " + v + " is outside 0..255");
            if (v > max) max = v;
            buf.put((byte) v);
        }
        maxToken = max;
    }

    private static void flush(ByteBuffer buf, FileChannel ch) {
        buf.flip();
        try {
            while (buf.hasRemaining()) ch.write(buf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buf.clear();
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
        return maxToken;
    }

    /** Flushes and closes the spill files; returns {inputs, labels}. */
    Path[] finish() {
        flush(inBuf, inputs);
        flush(labBuf, labels);
        close();
        return new Path[] {inputsFile, labelsFile};
    }

    @Override
    public void close() {
        try {
            inputs.close();
            labels.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
