package hrm.eval;

import hrm.data.DatasetWriter;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.data.arc.ArcAugmentation;
import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcDatasetBuilder;
import hrm.data.arc.ArcGrid;
import hrm.model.ArcRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ArcScorerTest {
    private static final ArcGrid IN_A = ArcGrid.of(2, 3, 1, 2, 3, 0, 0, 4);
    private static final ArcGrid OUT_A = ArcGrid.of(3, 2, 5, 6, 7, 8, 9, 1);
    private static final ArcGrid WRONG_A = ArcGrid.of(3, 2, 5, 6, 7, 8, 9, 2);
    private static final ArcGrid IN_B = ArcGrid.of(1, 2, 3, 3);
    private static final ArcGrid OUT_B = ArcGrid.of(2, 2, 3, 0, 0, 3);

    /** Identifiers: <blank>, then for each task its original and augmented versions. */
    private final List<String> ids = new ArrayList<>(List.of("<blank>"));
    private final List<ArcAugmentation> augs = new ArrayList<>(List.of(ArcAugmentation.IDENTITY));

    private int version(String task, ArcAugmentation a) {
        ids.add(a == ArcAugmentation.IDENTITY ? task : a.name(task));
        augs.add(a);
        return ids.size() - 1;
    }

    private static int[] tokens(ArcGrid g) {
        int[] t = new int[900];
        ArcCanvas.place(g, 0, 0, t);
        return t;
    }

    /** A prediction made in the version's frame: original grids augmented, placed top-left. */
    private void add(ArcScorer s, int id, ArcGrid in, ArcGrid label, ArcGrid answer, double q) {
        ArcAugmentation a = augs.get(id);
        s.add(id, tokens(a.apply(in)), 0, tokens(a.apply(label)), 0, tokens(a.apply(answer)), 0, q);
    }

    private List<Integer> versions(String task, int n, SplittableRandom rng) {
        List<Integer> v = new ArrayList<>(List.of(version(task, ArcAugmentation.IDENTITY)));
        while (v.size() < n) {
            ArcAugmentation a = ArcAugmentation.random(rng);
            if (!ids.contains(a.name(task))) v.add(version(task, a));
        }
        return v;
    }

    @Test
    void perfectPredictionsOnAugmentedVersionsScoreEverything() {
        SplittableRandom rng = new SplittableRandom(1);
        List<Integer> a = versions("taskA", 8, rng), b = versions("taskB", 8, rng);
        ArcScorer s = new ArcScorer(ids, 0);
        for (int id : a) add(s, id, IN_A, OUT_A, OUT_A, rng.nextGaussian());
        for (int id : b) add(s, id, IN_B, OUT_B, OUT_B, rng.nextGaussian());
        ArcScorer.Result r = s.result();
        assertEquals(16, r.predictions());
        assertEquals(2, r.testInputs());
        assertEquals(2, r.tasks());
        for (int k : ArcScorer.PASS_KS) {
            assertEquals(1.0, r.taskPass(k), "pass@" + k);
            assertEquals(1.0, r.inputPass(k));
        }
    }

    @Test
    void aWrongMajorityAcrossVersionsWinsPass1ButTheRightAnswerCountsAtPass2() {
        SplittableRandom rng = new SplittableRandom(2);
        List<Integer> a = versions("taskA", 5, rng);
        ArcScorer s = new ArcScorer(ids, 0);
        // Three versions agree on the same wrong answer (each in its own frame), two are right with higher q.
        for (int i = 0; i < 5; i++) add(s, a.get(i), IN_A, OUT_A, i < 3 ? WRONG_A : OUT_A, i < 3 ? -2 : 5);
        ArcScorer.Result r = s.result();
        assertEquals(0.0, r.taskPass(1));
        assertEquals(1.0, r.taskPass(2));
        assertEquals(1.0, r.inputPass(1000));
    }

    @Test
    void equalVotesAreRankedByMeanConfidence() {
        for (double rightQ : new double[]{3, -3}) {
            ids.subList(1, ids.size()).clear();
            augs.subList(1, augs.size()).clear();
            List<Integer> a = versions("taskA", 4, new SplittableRandom(3));
            ArcScorer s = new ArcScorer(ids, 0);
            add(s, a.get(0), IN_A, OUT_A, WRONG_A, 0);
            add(s, a.get(1), IN_A, OUT_A, WRONG_A, 0);
            add(s, a.get(2), IN_A, OUT_A, OUT_A, rightQ);
            add(s, a.get(3), IN_A, OUT_A, OUT_A, rightQ);
            assertEquals(rightQ > 0 ? 1.0 : 0.0, s.result().taskPass(1), "q " + rightQ);
        }
    }

    @Test
    void aTaskCountsOnlyIfAllItsTestInputsAreRight() {
        SplittableRandom rng = new SplittableRandom(4);
        List<Integer> a = versions("taskA", 3, rng);
        ArcScorer s = new ArcScorer(ids, 0);
        // taskA has two test inputs: IN_A (answered right) and IN_B (answered wrong everywhere).
        for (int id : a) {
            add(s, id, IN_A, OUT_A, OUT_A, 1);
            add(s, id, IN_B, OUT_B, WRONG_A, 1);
        }
        ArcScorer.Result r = s.result();
        assertEquals(2, r.testInputs());
        assertEquals(1, r.tasks());
        assertEquals(0.5, r.inputPass(1000));
        assertEquals(0.0, r.taskPass(1000));
        assertEquals(0.0, r.metrics().get("ARC/pass@2"));
        assertEquals(0.5, r.metrics().get("ARC/input_pass@2"));
    }

    @Test
    void cropsPredictionsAndIgnoresPadding() {
        List<Integer> a = versions("taskA", 1, new SplittableRandom(5));
        ArcScorer s = new ArcScorer(ids, 0);
        int[] pred = tokens(OUT_A);
        // Junk after the grid's end markers does not matter; a missing end marker would widen the crop.
        pred[29 * 30 + 29] = 7;
        pred[10 * 30 + 15] = 1;
        s.add(a.get(0), tokens(IN_A), 0, tokens(OUT_A), 0, pred, 0, 0);
        s.add(0, new int[900], 0, new int[900], 0, new int[900], 0, 9); // a padding row of a short last batch
        ArcScorer.Result r = s.result();
        assertEquals(1, r.predictions());
        assertEquals(1.0, r.taskPass(1));
        int[] wide = tokens(OUT_A);
        for (int row = 0; row < 3; row++) wide[row * 30 + 2] = 4; // colour where the end column was
        ArcScorer s2 = new ArcScorer(ids, 0);
        s2.add(a.get(0), tokens(IN_A), 0, tokens(OUT_A), 0, wide, 0, 0);
        assertEquals(0.0, s2.result().taskPass(1000));
        assertThrows(IllegalArgumentException.class, () -> s2.result().taskPass(3));
    }

    @Test
    void inconsistentLabelsAreReported() {
        List<Integer> a = versions("taskA", 2, new SplittableRandom(6));
        ArcScorer s = new ArcScorer(ids, 0);
        add(s, a.get(0), IN_A, OUT_A, OUT_A, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> add(s, a.get(1), IN_A, WRONG_A, OUT_A, 0));
        assertTrue(e.getMessage().contains(ids.get(a.get(1))), e.getMessage());
    }

    @TempDir
    Path tmp;

    @Test
    void scoresABuiltTestSplitPerfectlyFromItsOwnLabels() throws IOException {
        Path eval = Files.createDirectories(tmp.resolve("arc/evaluation"));
        Files.writeString(eval.resolve("t1.json"), """
                {"train": [{"input": [[1, 2], [3, 4]], "output": [[4, 3], [2, 1]]}],
                 "test": [{"input": [[5, 6, 0]], "output": [[0, 6, 5]]}, {"input": [[7], [8]], "output": [[8], [7]]}]}""");
        Files.writeString(eval.resolve("t2.json"), """
                {"test": [{"input": [[1, 1], [0, 2]], "output": [[2]]}], "train": [{"input": [[3]], "output": [[3]]}]}""");
        Path out = tmp.resolve("ds");
        new ArcDatasetBuilder(6, new SplittableRandom(8)).build(List.of(tmp.resolve("arc")),
                new DatasetWriter(out, ArcCanvas.VOCAB_SIZE, ArcCanvas.SEQ_LEN));
        PuzzleDataset test = PuzzleDataset.open(out, "test");
        PuzzleSet set = test.sets().get(0);
        ArcScorer right = new ArcScorer(test.identifiers(), 0), wrong = new ArcScorer(test.identifiers(), 0);
        int[] in = new int[900], label = new int[900];
        for (int p = 0; p < set.puzzles(); p++)
            for (int e = set.puzzleStart(p); e < set.puzzleStart(p + 1); e++) {
                set.input(e, in, 0);
                set.label(e, label, 0);
                right.add(set.puzzleIdentifier(p), in, 0, label, 0, label, 0, 0);
                wrong.add(set.puzzleIdentifier(p), in, 0, label, 0, in, 0, 0); // the input is no task's answer here
            }
        // The same through the evaluator's sink: batches of 4 with ignored labels as -100, last batch padded.
        ArcScorer sink = new ArcScorer(test.identifiers(), 0);
        for (int start = 0; start < set.examples(); start += 4) {
            int count = Math.min(4, set.examples() - start);
            int[] inputs = new int[4 * 900], labels = new int[4 * 900], ids = new int[4];
            float[] q = new float[4];
            for (int b = 0; b < count; b++) {
                set.input(start + b, inputs, b * 900);
                set.label(start + b, labels, b * 900);
                int e = start + b, p = 0;
                while (set.puzzleStart(p + 1) <= e) p++;
                ids[b] = set.puzzleIdentifier(p);
            }
            int[] predicted = labels.clone();
            for (int i = 0; i < labels.length; i++) if (labels[i] == 0) labels[i] = -100;
            sink.accept(set, start, count, new hrm.model.Batch(inputs, labels, ids), predicted, q);
        }
        assertEquals(1.0, sink.result().taskPass(1));
        assertEquals(set.examples(), sink.result().predictions());

        ArcScorer.Result r = right.result();
        assertEquals(2, r.tasks());
        assertEquals(3, r.testInputs());
        assertEquals(set.examples(), r.predictions());
        assertEquals(1.0, r.taskPass(1));
        assertEquals(0.0, wrong.result().inputPass(1000));
    }

    /** A task with two test inputs, one right: HRM's rules score it 0, TRM's 0.5; TRM's submission pads with the first answer. */
    @Test
    void trmRulesScoreTheFractionOfATasksInputsAndWriteTwoAttempts() {
        SplittableRandom rng = new SplittableRandom(4);
        List<Integer> a = versions("taskA", 3, rng);
        ArcScorer hrm = new ArcScorer(ids, 0, ArcRules.HRM), trm = new ArcScorer(ids, 0, ArcRules.TRM);
        for (ArcScorer s : List.of(hrm, trm)) {
            for (int id : a) add(s, id, IN_A, OUT_A, OUT_A, 1);      // first test input: right
            for (int id : a) add(s, id, IN_B, OUT_B, OUT_A, 1);      // second: the same wrong answer everywhere
        }
        assertEquals(0.0, hrm.result().taskPass(1), "HRM: a task is right only if all its test inputs are");
        assertEquals(0.5, trm.result().taskPass(1), "TRM: half of the task's test inputs are right");
        assertEquals(0.5, trm.result().taskPass(5), "TRM scores pass@5 too");
        assertThrows(IllegalArgumentException.class, () -> hrm.result().taskPass(5), "HRM's K are 1, 2, 10, 100, 1000");
        var sub = trm.submission().get("taskA");
        assertEquals(2, sub.size(), "one entry per test input");
        assertArrayEquals(new int[][]{{5, 6}, {7, 8}, {9, 1}}, sub.get(0).get("attempt_1"));
        assertArrayEquals(sub.get(0).get("attempt_1"), sub.get(0).get("attempt_2"), "one distinct answer: the first repeated");
        // votes pool across evaluations when the same scorer is kept (TRM's aggregated_voting)
        for (int id : a) add(trm, id, IN_B, OUT_B, OUT_B, 1);
        for (int id : a) add(trm, id, IN_B, OUT_B, OUT_B, 1);
        assertEquals(1.0, trm.result().taskPass(1), "six right votes outrank three wrong ones");
        assertEquals(2, trm.submission().get("taskA").get(1).size());
    }
}
