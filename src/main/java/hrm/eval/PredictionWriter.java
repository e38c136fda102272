package hrm.eval;

import hrm.data.Npy;
import hrm.data.PuzzleSet;
import hrm.model.Batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps every evaluated example's final prediction and writes them per set as .npy files:
 * {@code <set>__inputs, __labels (with -100 where ignored), __puzzle_identifiers, __predictions,
 * __q_halt}, in the test split's example order.
 */
public final class PredictionWriter implements PredictionSink {
    private final int seqLen;
    private final Map<String, Collected> sets = new LinkedHashMap<>();

    private static final class Collected {
        final int[] inputs, labels, predictions, ids;
        final float[] qHalt;

        Collected(int examples, int seqLen) {
            inputs = new int[examples * seqLen];
            labels = new int[examples * seqLen];
            predictions = new int[examples * seqLen];
            ids = new int[examples];
            qHalt = new float[examples];
        }
    }

    /** The files {@link #write} makes for each set, after {@code <set>__}. */
    public static final java.util.List<String> SUFFIXES = java.util.List.of(
            "inputs.npy", "labels.npy", "predictions.npy", "puzzle_identifiers.npy", "q_halt.npy");

    /** Whether a file name is one this writer makes. */
    /** A file hrm eval writes into its output directory: metrics.json, TRM's submission.json, or a prediction file. */
    public static boolean isEvaluationFile(String name) {
        return name.equals("metrics.json") || name.equals("submission.json") || isOwnFile(name);
    }

    public static boolean isOwnFile(String name) {
        int sep = name.indexOf("__");
        return sep > 0 && SUFFIXES.contains(name.substring(sep + 2));
    }

    public PredictionWriter(int seqLen) {
        this.seqLen = seqLen;
    }

    @Override
    public void accept(PuzzleSet set, int start, int count, Batch batch, int[] predicted, float[] qHalt) {
        Collected c = sets.computeIfAbsent(set.name(), k -> new Collected(set.examples(), seqLen));
        System.arraycopy(batch.inputs(), 0, c.inputs, start * seqLen, count * seqLen);
        System.arraycopy(batch.labels(), 0, c.labels, start * seqLen, count * seqLen);
        System.arraycopy(predicted, 0, c.predictions, start * seqLen, count * seqLen);
        System.arraycopy(batch.puzzleIdentifiers(), 0, c.ids, start, count);
        System.arraycopy(qHalt, 0, c.qHalt, start, count);
    }

    /** Writes into dir (which must exist). */
    public void write(Path dir) {
        for (var e : sets.entrySet()) {
            Collected c = e.getValue();
            String p = e.getKey() + "__";
            long n = c.ids.length;
            Npy.writeInts(dir.resolve(p + "inputs.npy"), c.inputs, n, seqLen);
            Npy.writeInts(dir.resolve(p + "labels.npy"), c.labels, n, seqLen);
            Npy.writeInts(dir.resolve(p + "predictions.npy"), c.predictions, n, seqLen);
            Npy.writeInts(dir.resolve(p + "puzzle_identifiers.npy"), c.ids, n);
            Npy.writeFloats(dir.resolve(p + "q_halt.npy"), c.qHalt, n);
        }
    }
}
