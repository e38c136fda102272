package hrm.data;

import hrm.model.Batch;

/** Copies examples into a host batch, mapping ignore_label_id to -100 and padding unused rows (reference collate). */
final class BatchFiller {
    static final int IGNORE = -100;

    private BatchFiller() {}

    static void put(PuzzleSet set, DatasetMetadata meta, int example, int puzzle, Batch dst, int row) {
        int s = meta.seqLen();
        set.input(example, dst.inputs(), row * s);
        set.label(example, dst.labels(), row * s);
        Integer ignore = meta.ignoreLabelId();
        if (ignore != null)
            for (int i = row * s, e = i + s; i < e; i++) if (dst.labels()[i] == ignore) dst.labels()[i] = IGNORE;
        dst.puzzleIdentifiers()[row] = set.puzzleIdentifier(puzzle);
    }

    static void pad(DatasetMetadata meta, Batch dst, int fromRow) {
        int s = meta.seqLen();
        java.util.Arrays.fill(dst.inputs(), fromRow * s, dst.size() * s, meta.padId());
        java.util.Arrays.fill(dst.labels(), fromRow * s, dst.size() * s, IGNORE);
        java.util.Arrays.fill(dst.puzzleIdentifiers(), fromRow, dst.size(), meta.blankIdentifierId());
    }

    static void checkShape(DatasetMetadata meta, Batch dst, int batchSize) {
        if (dst.size() != batchSize || dst.inputs().length != batchSize * meta.seqLen() || dst.labels().length != batchSize * meta.seqLen())
            throw new IllegalArgumentException("batch buffer must hold " + batchSize + " x " + meta.seqLen() + " tokens");
    }

    static Batch allocate(DatasetMetadata meta, int batchSize) {
        return new Batch(new int[batchSize * meta.seqLen()], new int[batchSize * meta.seqLen()], new int[batchSize]);
    }
}
