package hrm.data;

import hrm.model.Batch;

/**
 * The test order of docs/model.md §10.3: every example once, set by set in file order, in batches of
 * global_batch_size; a short last batch is padded (pad_id inputs, -100 labels, blank identifier).
 */
public final class TestBatches {
    private final PuzzleDataset dataset;
    private final int batchSize;
    private int setIndex, next, puzzle;
    private int lastStart, lastCount, lastSet;

    public TestBatches(PuzzleDataset dataset, int globalBatchSize) {
        if (globalBatchSize < 1) throw new IllegalArgumentException("global_batch_size must be positive, got " + globalBatchSize);
        this.dataset = dataset;
        this.batchSize = globalBatchSize;
    }

    public Batch newBatch() {
        return BatchFiller.allocate(dataset.metadata(), batchSize);
    }

    /** Fills dst with the next batch; false when every example has been given. */
    public boolean next(Batch dst) {
        BatchFiller.checkShape(dataset.metadata(), dst, batchSize);
        while (setIndex < dataset.sets().size() && next >= dataset.sets().get(setIndex).examples()) {
            setIndex++;
            next = 0;
            puzzle = 0;
        }
        if (setIndex >= dataset.sets().size()) return false;
        PuzzleSet set = dataset.sets().get(setIndex);
        int count = Math.min(batchSize, set.examples() - next);
        for (int r = 0; r < count; r++) {
            int e = next + r;
            while (set.puzzleStart(puzzle + 1) <= e) puzzle++;
            BatchFiller.put(set, dataset.metadata(), e, puzzle, dst, r);
        }
        BatchFiller.pad(dataset.metadata(), dst, count);
        lastSet = setIndex;
        lastStart = next;
        lastCount = count;
        next += count;
        return true;
    }

    /** The set of the batch last returned. */
    public PuzzleSet set() {
        return dataset.sets().get(lastSet);
    }

    /** Index in its set of the first example of the batch last returned. */
    public int start() {
        return lastStart;
    }

    /** Real (unpadded) rows of the batch last returned. */
    public int count() {
        return lastCount;
    }
}
