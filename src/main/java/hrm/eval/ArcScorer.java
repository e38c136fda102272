package hrm.eval;

import hrm.data.PuzzleSet;
import hrm.data.arc.ArcAugmentation;
import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcGrid;
import hrm.model.Batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ARC scoring (spec section 10). Each prediction is cropped to its largest top-left rectangle of
 * colours and mapped back through its version's augmentation (read from the identifier name); the
 * answers for one test input (one task, one un-augmented input grid) are pooled across all versions,
 * identical answers grouped and ranked by vote count, then mean sigmoid(q_halt), then first appearance.
 * A test input is right at K if its label is among the top K answers; a task is right at K only if all
 * its test inputs are.
 */
public final class ArcScorer implements PredictionSink {
    public static final int[] PASS_KS = {1, 2, 10, 100, 1000};

    private final List<String> identifiers;
    private final int blankIdentifier;
    private final ArcAugmentation.Version[] versions;
    // Task name -> its test inputs (un-augmented input grid -> votes), in order of first appearance.
    private final Map<String, Map<ArcGrid, TestInput>> tasks = new LinkedHashMap<>();
    private long predictions;

    /** One test input: its label and the pooled answers. */
    private static final class TestInput {
        final ArcGrid label;
        final String firstIdentifier;
        final LinkedHashMap<ArcGrid, double[]> answers = new LinkedHashMap<>(); // answer -> {votes, sum of sigmoid(q)}

        TestInput(ArcGrid label, String firstIdentifier) {
            this.label = label;
            this.firstIdentifier = firstIdentifier;
        }

        /** Answers ranked best first. */
        List<ArcGrid> ranked() {
            List<Map.Entry<ArcGrid, double[]>> e = new ArrayList<>(answers.entrySet());
            // List.sort is stable: equal votes and confidence keep the order of first appearance.
            e.sort(Comparator.<Map.Entry<ArcGrid, double[]>>comparingDouble(x -> -x.getValue()[0])
                    .thenComparingDouble(x -> -x.getValue()[1] / x.getValue()[0]));
            return e.stream().map(Map.Entry::getKey).toList();
        }
    }

    /** @param identifiers the dataset's identifiers.json ({@code <blank>} first); predictions under blankIdentifier are padding */
    public ArcScorer(List<String> identifiers, int blankIdentifier) {
        this.identifiers = List.copyOf(identifiers);
        this.blankIdentifier = blankIdentifier;
        this.versions = new ArcAugmentation.Version[identifiers.size()];
    }

    /**
     * Records one prediction for one test example: the example's 900 input and label tokens, the
     * predicted tokens (argmax per position) and the q_halt logit of the segment it was taken from.
     */
    public void add(int puzzleIdentifier, int[] input, int inputOffset, int[] label, int labelOffset,
                    int[] prediction, int predictionOffset, double qHaltLogit) {
        if (puzzleIdentifier == blankIdentifier) return;
        if (puzzleIdentifier < 0 || puzzleIdentifier >= versions.length)
            throw new IllegalArgumentException("puzzle identifier " + puzzleIdentifier + " outside 0.." + (versions.length - 1));
        ArcAugmentation.Version v = versions[puzzleIdentifier];
        if (v == null) v = versions[puzzleIdentifier] = ArcAugmentation.parse(identifiers.get(puzzleIdentifier));
        ArcAugmentation undo = v.augmentation().inverse();
        ArcGrid in = undo.apply(ArcCanvas.crop(input, inputOffset));
        ArcGrid lab = undo.apply(ArcCanvas.crop(label, labelOffset));
        ArcGrid answer = undo.apply(ArcCanvas.crop(prediction, predictionOffset));
        String name = identifiers.get(puzzleIdentifier);
        TestInput t = tasks.computeIfAbsent(v.task(), k -> new LinkedHashMap<>()).computeIfAbsent(in, k -> new TestInput(lab, name));
        if (!t.label.equals(lab))
            throw new IllegalArgumentException("test input of '" + name + "' has a label that differs from the one under '"
                    + t.firstIdentifier + "' once un-augmented");
        double[] s = t.answers.computeIfAbsent(answer, k -> new double[2]);
        s[0] += 1;
        s[1] += 1 / (1 + Math.exp(-qHaltLogit));
        predictions++;
    }

    /** Takes an evaluated batch's real rows (labels may hold -100 where ignored: not a colour, so cropped away). */
    @Override
    public void accept(PuzzleSet set, int start, int count, Batch batch, int[] predicted, float[] qHalt) {
        int n = ArcCanvas.SEQ_LEN;
        if (batch.inputs().length != batch.size() * n || predicted.length < count * n)
            throw new IllegalArgumentException("ARC scoring needs " + n + " tokens per example; the batch has "
                    + batch.inputs().length / Math.max(1, batch.size()));
        for (int b = 0; b < count; b++)
            add(batch.puzzleIdentifiers()[b], batch.inputs(), b * n, batch.labels(), b * n, predicted, b * n, qHalt[b]);
    }

    /** pass@K for each K of {@link #PASS_KS}, over test inputs and over tasks. */
    public record Result(int[] ks, long predictions, int testInputs, int tasks, int[] inputsRight, int[] tasksRight) {
        public double inputPass(int k) {
            return testInputs == 0 ? 0 : (double) inputsRight[index(k)] / testInputs;
        }

        public double taskPass(int k) {
            return tasks == 0 ? 0 : (double) tasksRight[index(k)] / tasks;
        }

        private int index(int k) {
            for (int i = 0; i < ks.length; i++) if (ks[i] == k) return i;
            throw new IllegalArgumentException("pass@" + k + " not scored; K is one of " + Arrays.toString(ks));
        }

        /** {@code ARC/pass@K} (tasks) and {@code ARC/input_pass@K}, for logs and reports. */
        public Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            for (int k : ks) m.put("ARC/pass@" + k, taskPass(k));
            for (int k : ks) m.put("ARC/input_pass@" + k, inputPass(k));
            m.put("ARC/tasks", (double) tasks);
            m.put("ARC/test_inputs", (double) testInputs);
            return m;
        }
    }

    public Result result() {
        int[] inputsRight = new int[PASS_KS.length], tasksRight = new int[PASS_KS.length];
        int inputs = 0;
        for (Map<ArcGrid, TestInput> task : tasks.values()) {
            boolean[] all = new boolean[PASS_KS.length];
            Arrays.fill(all, true);
            for (TestInput t : task.values()) {
                inputs++;
                int rank = t.ranked().indexOf(t.label); // -1: never predicted
                for (int i = 0; i < PASS_KS.length; i++) {
                    boolean right = rank >= 0 && rank < PASS_KS[i];
                    if (right) inputsRight[i]++;
                    all[i] &= right;
                }
            }
            for (int i = 0; i < PASS_KS.length; i++) if (all[i]) tasksRight[i]++;
        }
        return new Result(PASS_KS.clone(), predictions, inputs, tasks.size(), inputsRight, tasksRight);
    }
}
