package hrm.eval;

import hrm.data.PuzzleSet;
import hrm.data.arc.ArcAugmentation;
import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcGrid;
import hrm.model.ArcRules;
import hrm.model.Batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ARC scoring (docs/model.md §11.4). Each prediction is cropped to its largest top-left rectangle of
 * colours and mapped back through its version's augmentation (read from the identifier name); the
 * answers for one test input (one task, one un-augmented input grid) are pooled across all versions,
 * identical answers grouped and ranked by vote count, then mean sigmoid(q_halt), then first appearance.
 * A test input is right at K if its label is among the top K answers. Under HRM's rules
 * ({@code evaluate.py}) a task is right at K only if all its test inputs are; under TRM's
 * ({@code evaluators/arc.py}, docs/model.md §11.4) a task scores the fraction of its test inputs
 * that are right, K also takes 5, and {@link #submission} gives the top two answers per test input.
 * One scorer kept across evaluations pools their votes, as TRM's aggregated_voting does.
 */
public final class ArcScorer implements PredictionSink {
    public static final int[] PASS_KS = ArcRules.HRM.passKs();

    /** Answers per test input in {@link #submission} (TRM's submission_K). */
    public static final int SUBMISSION_K = 2;

    /** The reference's ARC datasets: 30x30 canvases of 12 tokens with named puzzle identifiers. */
    public static boolean isArcDataset(hrm.data.PuzzleDataset test) {
        return test.metadata().vocabSize() == 12 && test.metadata().seqLen() == 900 && test.identifiers().size() > 1;
    }

    private final ArcRules rules;

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
        this(identifiers, blankIdentifier, ArcRules.HRM);
    }

    public ArcScorer(List<String> identifiers, int blankIdentifier, ArcRules rules) {
        this.rules = rules;
        this.identifiers = List.copyOf(identifiers);
        this.blankIdentifier = blankIdentifier;
        this.versions = new ArcAugmentation.Version[identifiers.size()];
    }

    /** The rules it scores by. */
    public ArcRules rules() {
        return rules;
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

    /** pass@K for each K of the rules, over test inputs and over tasks (tasksRight: a fraction per task under TRM's rules). */
    public record Result(int[] ks, long predictions, int testInputs, int tasks, int[] inputsRight, double[] tasksRight) {
        public double inputPass(int k) {
            return testInputs == 0 ? 0 : (double) inputsRight[index(k)] / testInputs;
        }

        public double taskPass(int k) {
            return tasks == 0 ? 0 : tasksRight[index(k)] / tasks;
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
        int[] ks = rules.passKs();
        int[] inputsRight = new int[ks.length];
        double[] tasksRight = new double[ks.length];
        int inputs = 0;
        for (Map<ArcGrid, TestInput> task : tasks.values()) {
            boolean[] all = new boolean[ks.length];
            int[] right = new int[ks.length];
            Arrays.fill(all, true);
            for (TestInput t : task.values()) {
                inputs++;
                int rank = t.ranked().indexOf(t.label); // -1: never predicted
                for (int i = 0; i < ks.length; i++) {
                    boolean ok = rank >= 0 && rank < ks[i];
                    if (ok) {
                        inputsRight[i]++;
                        right[i]++;
                    }
                    all[i] &= ok;
                }
            }
            for (int i = 0; i < ks.length; i++)
                tasksRight[i] += rules.fractionPerTask() ? (double) right[i] / task.size() : all[i] ? 1 : 0;
        }
        return new Result(ks.clone(), predictions, inputs, tasks.size(), inputsRight, tasksRight);
    }

    /**
     * TRM's submission.json: per task, per test input (in order of first appearance), the top
     * {@link #SUBMISSION_K} answers as {@code attempt_1, attempt_2}, padded by repeating the first.
     */
    public Map<String, List<Map<String, int[][]>>> submission() {
        Map<String, List<Map<String, int[][]>>> out = new LinkedHashMap<>();
        for (var task : tasks.entrySet()) {
            List<Map<String, int[][]>> inputs = new ArrayList<>();
            for (TestInput t : task.getValue().values()) {
                List<ArcGrid> ranked = t.ranked();
                Map<String, int[][]> attempts = new LinkedHashMap<>();
                for (int i = 0; i < SUBMISSION_K; i++) attempts.put("attempt_" + (i + 1), rows(ranked.get(i < ranked.size() ? i : 0)));
                inputs.add(attempts);
            }
            out.put(task.getKey(), inputs);
        }
        return out;
    }

    private static int[][] rows(ArcGrid g) {
        int[][] r = new int[g.rows()][g.cols()];
        for (int i = 0; i < g.rows(); i++) for (int j = 0; j < g.cols(); j++) r[i][j] = g.get(i, j);
        return r;
    }
}
