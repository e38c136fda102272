package hrm.data;

import hrm.model.Batch;

import java.util.SplittableRandom;

/**
 * The training order of docs/model.md §10.2. Pass {@code k} (counted from 1, one per call of
 * {@link #startPass}) over every set draws from {@code SplittableRandom(seed + k)}: the group order
 * is one permutation per epoch, concatenated; each group gives one random puzzle, and that puzzle up
 * to the remaining room of the batch in random examples without replacement; the last incomplete
 * batch of a set is dropped. The state is (pass, batches taken), so a resumed run replays the index
 * draws up to where it stopped and continues bit-identically. With data parallelism every process
 * draws the same global batch and takes its slice of rows, as the reference's sampler does with
 * rank and world size ({@code rowFrom}, {@code rowCount}).
 */
public final class TrainBatches {
    private final PuzzleDataset dataset;
    private final int batchSize, epochsPerIter, rowFrom, rowCount;
    private final long seed;

    private int pass, setIndex, start, batchesInPass;
    private int[] groupOrder = new int[0];
    private SplittableRandom rng;
    private final int[] rows, rowPuzzles;
    private int[] exampleScratch = new int[0];

    public TrainBatches(PuzzleDataset dataset, int globalBatchSize, long seed, int epochsPerIter) {
        this(dataset, globalBatchSize, seed, epochsPerIter, 0, globalBatchSize);
    }

    /** This process's rows [rowFrom, rowFrom + rowCount) of every global batch. */
    public TrainBatches(PuzzleDataset dataset, int globalBatchSize, long seed, int epochsPerIter, int rowFrom, int rowCount) {
        if (rowFrom < 0 || rowCount < 1 || rowFrom + rowCount > globalBatchSize)
            throw new IllegalArgumentException("rows " + rowFrom + "+" + rowCount + " of a global batch of " + globalBatchSize);
        this.rowFrom = rowFrom;
        this.rowCount = rowCount;
        if (globalBatchSize < 1) throw new IllegalArgumentException("global_batch_size must be positive, got " + globalBatchSize);
        if (epochsPerIter < 1) throw new IllegalArgumentException("epochs per pass must be positive, got " + epochsPerIter);
        this.dataset = dataset;
        this.batchSize = globalBatchSize;
        this.seed = seed;
        this.epochsPerIter = epochsPerIter;
        this.rows = new int[globalBatchSize];
        this.rowPuzzles = new int[globalBatchSize];
        this.setIndex = dataset.sets().size();
    }

    public Batch newBatch() {
        return BatchFiller.allocate(dataset.metadata(), rowCount);
    }

    /** Starts the next pass of {@code epochsPerIter} epochs over every set. */
    public void startPass() {
        pass++;
        batchesInPass = 0;
        setIndex = -1;
        nextSet();
    }

    private void nextSet() {
        setIndex++;
        start = 0;
        if (setIndex >= dataset.sets().size()) return;
        // the reference re-seeds per set, counting sets and passes together
        rng = new SplittableRandom(seed + (long) (pass - 1) * dataset.sets().size() + setIndex + 1);
        int groups = dataset.sets().get(setIndex).groups();
        if (groupOrder.length != groups * epochsPerIter) groupOrder = new int[groups * epochsPerIter];
        for (int e = 0; e < epochsPerIter; e++) {
            int off = e * groups;
            for (int i = 0; i < groups; i++) groupOrder[off + i] = i;
            for (int i = groups - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = groupOrder[off + i];
                groupOrder[off + i] = groupOrder[off + j];
                groupOrder[off + j] = t;
            }
        }
    }

    public int pass() {
        return pass;
    }

    public int batchesInPass() {
        return batchesInPass;
    }

    /** Fills dst with the next full batch of this pass; false when the pass is over. */
    public boolean next(Batch dst) {
        BatchFiller.checkShape(dataset.metadata(), dst, rowCount);
        if (!sample()) return false;
        PuzzleSet set = dataset.sets().get(setIndex);
        for (int r = 0; r < rowCount; r++) BatchFiller.put(set, dataset.metadata(), rows[rowFrom + r], rowPuzzles[rowFrom + r], dst, r);
        return true;
    }

    /** Draws the indices of the next batch without copying data; false when the pass is over. */
    private boolean sample() {
        while (setIndex < dataset.sets().size()) {
            PuzzleSet set = dataset.sets().get(setIndex);
            int filled = 0;
            while (start < groupOrder.length && filled < batchSize) {
                int g = groupOrder[start++];
                int p0 = set.groupStart(g), p1 = set.groupStart(g + 1);
                int puzzle = p0 + rng.nextInt(p1 - p0);
                int e0 = set.puzzleStart(puzzle), size = set.puzzleStart(puzzle + 1) - e0;
                int take = Math.min(size, batchSize - filled);
                if (exampleScratch.length < size) exampleScratch = new int[Math.max(size, 2 * exampleScratch.length)];
                for (int i = 0; i < size; i++) exampleScratch[i] = i;
                for (int i = 0; i < take; i++) { // partial Fisher-Yates: a random sample without replacement
                    int j = i + rng.nextInt(size - i);
                    int t = exampleScratch[i];
                    exampleScratch[i] = exampleScratch[j];
                    exampleScratch[j] = t;
                    rows[filled] = e0 + exampleScratch[i];
                    rowPuzzles[filled] = puzzle;
                    filled++;
                }
            }
            if (filled == batchSize) {
                batchesInPass++;
                return true;
            }
            nextSet(); // the incomplete last batch is dropped
        }
        return false;
    }

    /** Puts the sampler where it was after {@code batches} batches of pass {@code pass} (for resume). */
    public void seek(int pass, int batches) {
        this.pass = pass - 1;
        startPass();
        for (int i = 0; i < batches; i++)
            if (!sample()) throw new IllegalArgumentException("pass " + pass + " has fewer than " + batches + " batches");
    }
}
