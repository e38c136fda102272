package hrm.data.arc;

import hrm.data.DatasetWriter;
import hrm.data.Dihedral;
import hrm.data.PuzzleSetBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Builds the ARC dataset of docs/model.md §11.3, as the reference's {@code build_arc_dataset.py} does.
 *
 * <p>Each task folder is shuffled; each task gives one group holding its original and up to
 * {@code numAug} augmented versions (up to 5 x numAug attempts; a version whose multiset of
 * example pairs equals an earlier version's is rejected). A version is one puzzle in the train split
 * (its demonstrations, and for tasks outside an {@code evaluation} folder its test pairs too, in the
 * file's order) and, for evaluation tasks, one puzzle in the test split (its test pairs) under the
 * same identifier. Training examples are translated at random except one per puzzle; test examples
 * stay top-left. Versions are streamed to the writer as they are made: only one task's grids are held.
 */
public final class ArcDatasetBuilder {
    public static final int RETRIES_FACTOR = 5;
    private static final String SET = "all";

    private final int numAug;
    private final RandomGenerator rng;

    /** What a build produced. */
    public record Summary(int tasks, int versions, int trainExamples, int testExamples, int identifiers) {}

    public ArcDatasetBuilder(int numAug, RandomGenerator rng) {
        if (numAug < 0) throw new IllegalArgumentException("--num-aug must be >= 0, got " + numAug);
        this.numAug = numAug;
        this.rng = rng;
    }

    /** Builds from the dataset directories, in the order given, and commits the writer. */
    public Summary build(List<Path> datasetDirs, DatasetWriter writer) {
        List<List<ArcSources.Folder>> sources = new ArrayList<>();
        for (Path d : datasetDirs) sources.add(ArcSources.scan(d)); // all directories checked before any work
        Run run = new Run(writer);
        for (List<ArcSources.Folder> folders : sources)
            for (ArcSources.Folder folder : folders) {
                List<ArcTask> tasks = new ArrayList<>(folder.tasks().size());
                for (Path f : folder.tasks()) tasks.add(ArcTaskReader.read(f));
                shuffle(tasks);
                for (ArcTask t : tasks) run.addTask(t, folder.isEvaluation());
            }
        writer.commit(run.identifiers);
        return new Summary(run.tasks, run.versions, run.train.examples(),
                run.test == null ? 0 : run.test.examples(), run.identifiers.size());
    }

    private void shuffle(List<ArcTask> tasks) {
        for (int i = tasks.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            ArcTask x = tasks.get(i);
            tasks.set(i, tasks.get(j));
            tasks.set(j, x);
        }
    }

    /** The state of one build: the open sets and the identifiers named so far. */
    private final class Run {
        final DatasetWriter writer;
        final PuzzleSetBuilder train;
        PuzzleSetBuilder test;
        final List<String> identifiers = new ArrayList<>(List.of(DatasetWriter.BLANK_IDENTIFIER));
        // The reference maps names to identifiers globally, so tasks of the same name share them.
        final Map<String, Integer> identifierOf = new HashMap<>();
        final int[] inputTokens = new int[ArcCanvas.SEQ_LEN], labelTokens = new int[ArcCanvas.SEQ_LEN];
        final int[] scratch = new int[ArcCanvas.SEQ_LEN];
        int tasks, versions;

        Run(DatasetWriter writer) {
            this.writer = writer;
            this.train = writer.set("train", SET);
        }

        void addTask(ArcTask task, boolean evaluation) {
            TaskGrids g = new TaskGrids(task, evaluation);
            if (g.testPairs > 0 && test == null) test = writer.set("test", SET);
            Set<VersionHash> seen = new HashSet<>();
            g.transform(ArcAugmentation.IDENTITY, scratch);
            seen.add(g.hash());
            emit(g, task.name());
            int kept = 1;
            for (int trial = 0; trial < RETRIES_FACTOR * numAug && kept < numAug + 1; trial++) {
                ArcAugmentation a = ArcAugmentation.random(rng);
                g.transform(a, scratch);
                if (seen.add(g.hash())) {
                    emit(g, a.name(task.name()));
                    kept++;
                }
            }
            train.endGroup();
            if (g.testPairs > 0) test.endGroup();
            tasks++;
            versions += kept;
        }

        /** Writes the version now held in {@code g}'s transformed grids. */
        private void emit(TaskGrids g, String name) {
            Integer id = identifierOf.get(name);
            if (id == null) {
                id = identifiers.size();
                identifiers.add(name);
                identifierOf.put(name, id);
            }
            int trainPairs = g.pairs - g.testPairs;
            int untranslated = rng.nextInt(trainPairs);
            for (int p = 0, k = 0; p < g.pairs; p++) {
                if (g.toTest[p]) continue;
                int top = 0, left = 0;
                if (k++ != untranslated) {
                    top = rng.nextInt(ArcCanvas.SIZE - Math.max(g.inRows[p], g.outRows[p]) + 1);
                    left = rng.nextInt(ArcCanvas.SIZE - Math.max(g.inCols[p], g.outCols[p]) + 1);
                }
                place(g, p, top, left, train);
            }
            train.endPuzzle(id);
            if (g.testPairs > 0) {
                for (int p = 0; p < g.pairs; p++) if (g.toTest[p]) place(g, p, 0, 0, test);
                test.endPuzzle(id);
            }
        }

        private void place(TaskGrids g, int p, int top, int left, PuzzleSetBuilder set) {
            ArcCanvas.place(g.cells, g.inAt[p], g.inRows[p], g.inCols[p], top, left, inputTokens);
            ArcCanvas.place(g.cells, g.outAt[p], g.outRows[p], g.outCols[p], top, left, labelTokens);
            set.addExample(inputTokens, labelTokens);
        }
    }

    /** A 128-bit digest of a version's multiset of (input, output) pairs. */
    private record VersionHash(long a, long b) {}

    /**
     * One task's pairs as flat colour arrays, with room for one transformed version: {@code original}
     * keeps the file's grids, {@code cells} and the row/column arrays hold the current version.
     */
    private static final class TaskGrids {
        final int pairs, testPairs;
        final boolean[] toTest;
        final int[] original, cells;
        final int[] inAt, outAt, origInRows, origInCols, origOutRows, origOutCols;
        final int[] inRows, inCols, outRows, outCols;
        final long[] pairA, pairB;

        TaskGrids(ArcTask task, boolean evaluation) {
            List<ArcPair> ps = task.pairs();
            pairs = ps.size();
            toTest = new boolean[pairs];
            inAt = new int[pairs];
            outAt = new int[pairs];
            origInRows = new int[pairs];
            origInCols = new int[pairs];
            origOutRows = new int[pairs];
            origOutCols = new int[pairs];
            inRows = new int[pairs];
            inCols = new int[pairs];
            outRows = new int[pairs];
            outCols = new int[pairs];
            pairA = new long[pairs];
            pairB = new long[pairs];
            int size = 0, tests = 0;
            for (int p = 0; p < pairs; p++) {
                ArcPair pair = ps.get(p);
                toTest[p] = evaluation && pair.test();
                if (toTest[p]) tests++;
                inAt[p] = size;
                size += pair.input().size();
                outAt[p] = size;
                size += pair.output().size();
                origInRows[p] = pair.input().rows();
                origInCols[p] = pair.input().cols();
                origOutRows[p] = pair.output().rows();
                origOutCols[p] = pair.output().cols();
            }
            testPairs = tests;
            if (tests == pairs)
                throw new ArcFormatException(task.file(), "train", "an evaluation task needs demonstration pairs");
            original = new int[size];
            cells = new int[size];
            for (int p = 0; p < pairs; p++) {
                ps.get(p).input().copyTo(original, inAt[p]);
                ps.get(p).output().copyTo(original, outAt[p]);
            }
        }

        void transform(ArcAugmentation a, int[] scratch) {
            int t = a.transform();
            for (int p = 0; p < pairs; p++) {
                a.apply(original, inAt[p], origInRows[p], origInCols[p], scratch, cells, inAt[p]);
                a.apply(original, outAt[p], origOutRows[p], origOutCols[p], scratch, cells, outAt[p]);
                inRows[p] = Dihedral.outRows(t, origInRows[p], origInCols[p]);
                inCols[p] = Dihedral.outCols(t, origInRows[p], origInCols[p]);
                outRows[p] = Dihedral.outRows(t, origOutRows[p], origOutCols[p]);
                outCols[p] = Dihedral.outCols(t, origOutRows[p], origOutCols[p]);
            }
        }

        /** The digest of the current version: pair digests, sorted (order does not matter), folded. */
        VersionHash hash() {
            for (int p = 0; p < pairs; p++) {
                long a = gridHash(0x243F6A8885A308D3L, inAt[p], inRows[p], inCols[p]);
                pairA[p] = gridHash(a, outAt[p], outRows[p], outCols[p]);
                long b = gridHash(0x13198A2E03707344L, inAt[p], inRows[p], inCols[p]);
                pairB[p] = gridHash(b, outAt[p], outRows[p], outCols[p]);
            }
            for (int i = 1; i < pairs; i++) // insertion sort by (a, b): a handful of pairs
                for (int j = i; j > 0 && (pairA[j - 1] > pairA[j] || pairA[j - 1] == pairA[j] && pairB[j - 1] > pairB[j]); j--) {
                    long x = pairA[j]; pairA[j] = pairA[j - 1]; pairA[j - 1] = x;
                    long y = pairB[j]; pairB[j] = pairB[j - 1]; pairB[j - 1] = y;
                }
            long ha = pairs, hb = ~pairs;
            for (int p = 0; p < pairs; p++) {
                ha = mix(ha * 0x9E3779B97F4A7C15L + pairA[p]);
                hb = mix(hb * 0xC2B2AE3D27D4EB4FL + pairB[p]);
            }
            return new VersionHash(ha, hb);
        }

        /** Continues digest {@code h} over a grid's shape and colours (16 four-bit colours per word). */
        private long gridHash(long h, int at, int rows, int cols) {
            h = mix(h ^ ((long) rows << 8 | cols));
            int n = rows * cols, i = 0;
            while (i < n) {
                long w = 0;
                int end = Math.min(n, i + 16);
                for (int s = 0; i < end; i++, s += 4) w |= (long) cells[at + i] << s;
                h = mix(h ^ w);
            }
            return h;
        }

        // The 64-bit finaliser of MurmurHash3.
        private static long mix(long z) {
            z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
            z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return z ^ (z >>> 33);
        }
    }
}
