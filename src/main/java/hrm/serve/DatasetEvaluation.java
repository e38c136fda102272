package hrm.serve;

import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.eval.EvalOutputs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code hrm serve --eval DIR}: an {@code hrm eval} output directory ({@link EvalOutputs}) matched to the
 * test split of the {@code --data} dataset, so that the page can put each example's prediction beside
 * its input and label. Checked once, when the server starts: the same sets, each with as many examples
 * of the same sequence length and the same inputs in the same order (hrm eval keeps the split's order),
 * so an evaluation of another dataset is refused there, naming what differs, never shown against the
 * wrong examples. The wrong examples of each set are found then too, for the failures view.
 */
public final class DatasetEvaluation {
    private final PuzzleDataset test;
    private final EvalOutputs outputs;
    private final Map<String, int[]> wrong;

    private DatasetEvaluation(PuzzleDataset test, EvalOutputs outputs, Map<String, int[]> wrong) {
        this.test = test;
        this.outputs = outputs;
        this.wrong = wrong;
    }

    /** Reads {@code evalDir} and checks it against {@code data}'s test split; an IllegalArgumentException says what does not match. */
    public static DatasetEvaluation open(Path data, Path evalDir) {
        if (!Files.isDirectory(data.resolve("test"))) throw new IllegalArgumentException(evalDir + ": an evaluation of a test split, and " + data + " has none");
        PuzzleDataset test = PuzzleDataset.open(data, "test");
        EvalOutputs outputs = EvalOutputs.open(evalDir);
        List<String> sets = test.sets().stream().map(PuzzleSet::name).sorted().toList();
        List<String> evaluated = outputs.sets().stream().map(EvalOutputs.SetOutputs::name).sorted().toList();
        if (!sets.equals(evaluated))
            throw new IllegalArgumentException(evalDir + ": sets " + evaluated + ", but the test split of " + data + " has " + sets);
        Map<String, int[]> wrong = new HashMap<>();
        for (PuzzleSet set : test.sets()) {
            EvalOutputs.SetOutputs out = outputs.set(set.name());
            String where = evalDir + ": set '" + set.name() + "'";
            if (out.seqLen() != test.metadata().seqLen())
                throw new IllegalArgumentException(where + " has sequence length " + out.seqLen() + ", " + data + " has " + test.metadata().seqLen());
            if (out.examples() != set.examples())
                throw new IllegalArgumentException(where + " has " + out.examples() + " examples, the test split of " + data + " has " + set.examples());
            int[] input = new int[out.seqLen()];
            for (int e = 0; e < set.examples(); e++) {
                set.input(e, input, 0);
                if (!Arrays.equals(input, out.input(e)))
                    throw new IllegalArgumentException(where + ", example " + e + ": its input is not that of " + data
                            + "'s test split (an evaluation of another dataset?)");
            }
            wrong.put(set.name(), IntStream.range(0, out.examples()).filter(e -> !out.correct(e)).toArray());
        }
        return new DatasetEvaluation(test, outputs, Map.copyOf(wrong));
    }

    /** The test split it was matched to (opened once, and served from this copy). */
    PuzzleDataset test() {
        return test;
    }

    EvalOutputs outputs() {
        return outputs;
    }

    /** The examples of a set that the evaluation got wrong, ascending. */
    int[] wrong(String set) {
        return wrong.get(set);
    }
}
