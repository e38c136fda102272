package hrm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.data.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code hrm eval} left in its output directory, read back: metrics.json and, per set, the
 * prediction files of {@link PredictionWriter} ({@code <set>__inputs.npy}, {@code __labels},
 * {@code __predictions}, {@code __puzzle_identifiers}, {@code __q_halt}). For the page's and the
 * report's evaluation browsers: each example's input, label, prediction and whether it is right.
 * The arrays are memory-mapped and their shapes checked against each other when opened, so a
 * damaged or foreign file fails here, naming it, and never later on a request.
 */
public final class EvalOutputs {
    private final Path dir;
    private final JsonNode metrics;
    private final List<SetOutputs> sets;

    private EvalOutputs(Path dir, JsonNode metrics, List<SetOutputs> sets) {
        this.dir = dir;
        this.metrics = metrics;
        this.sets = sets;
    }

    /**
     * Reads {@code dir}; an {@link IllegalArgumentException} names what is missing or wrong (no
     * metrics.json, a set without one of its files, arrays whose shapes disagree).
     */
    public static EvalOutputs open(Path dir) {
        Path metricsFile = dir.resolve("metrics.json");
        if (!Files.isRegularFile(metricsFile))
            throw new IllegalArgumentException(dir + ": not an hrm eval output directory (no metrics.json)");
        JsonNode metrics;
        try {
            if (Files.size(metricsFile) > 16 << 20) throw new IllegalArgumentException(metricsFile + ": over 16 MiB, not hrm eval's metrics");
            metrics = new ObjectMapper().readTree(metricsFile.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(metricsFile + ": " + hrm.io.ErrorText.of(e), e);
        }
        if (metrics == null || !metrics.isObject()) throw new IllegalArgumentException(metricsFile + ": expected a JSON object");
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            String suffix = "__" + PredictionWriter.SUFFIXES.getFirst();
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + hrm.io.ErrorText.of(e), e);
        }
        if (names.isEmpty()) throw new IllegalArgumentException(dir + ": no predictions (no <set>__inputs.npy)");
        List<SetOutputs> sets = new ArrayList<>();
        for (String name : names) sets.add(SetOutputs.read(dir, name));
        return new EvalOutputs(dir, metrics, List.copyOf(sets));
    }

    public Path dir() {
        return dir;
    }

    /** metrics.json as written (per-set metrics, checkpoint, data_path, ...). */
    public JsonNode metrics() {
        return metrics;
    }

    /** The dataset evaluated, as metrics.json names it; null where it does not. */
    public Path dataPath() {
        JsonNode p = metrics.get("data_path");
        return p == null || !p.isTextual() ? null : Path.of(p.asText());
    }

    /** The sets, by name. */
    public List<SetOutputs> sets() {
        return sets;
    }

    /** The set of that name, or an IllegalArgumentException naming the sets there are. */
    public SetOutputs set(String name) {
        return sets.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "set: no set '" + name + "' in " + dir + " (" + sets.stream().map(SetOutputs::name).toList() + ")"));
    }

    /** One set's examples, in the test split's order. */
    public record SetOutputs(String name, int examples, int seqLen, Npy.Array inputs, Npy.Array labels,
                             Npy.Array predictions, Npy.Array puzzleIdentifiers, Npy.Array qHalt) {
        /** The label value of a position that is not scored (BatchFiller's ignore id). */
        public static final int IGNORED = -100;

        static SetOutputs read(Path dir, String name) {
            Npy.Array[] a = new Npy.Array[PredictionWriter.SUFFIXES.size()];
            for (int i = 0; i < a.length; i++) {
                Path f = dir.resolve(name + "__" + PredictionWriter.SUFFIXES.get(i));
                if (!Files.isRegularFile(f)) throw new IllegalArgumentException(f + ": missing (hrm eval writes all of "
                        + PredictionWriter.SUFFIXES.stream().map(s -> name + "__" + s).toList() + ")");
                try {
                    a[i] = Npy.read(f);
                } catch (Npy.NpyFormatException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
            Npy.Array inputs = a[0], labels = a[1], predictions = a[2], ids = a[3], qHalt = a[4];
            if (inputs.shape().length != 2) throw new IllegalArgumentException(inputs.file() + ": expected 2 dimensions, found " + Arrays.toString(inputs.shape()));
            int n = inputs.dim(0), seq = inputs.dim(1);
            for (Npy.Array grid : List.of(labels, predictions))
                if (!Arrays.equals(grid.shape(), inputs.shape()))
                    throw new IllegalArgumentException(grid.file() + ": shape " + Arrays.toString(grid.shape()) + ", expected " + Arrays.toString(inputs.shape()) + " as " + inputs.file().getFileName());
            for (Npy.Array row : List.of(ids, qHalt))
                if (row.shape().length != 1 || row.dim(0) != n)
                    throw new IllegalArgumentException(row.file() + ": shape " + Arrays.toString(row.shape()) + ", expected [" + n + "]");
            return new SetOutputs(name, n, seq, inputs, labels, predictions, ids, qHalt);
        }

        public int[] input(int example) {
            return row(inputs, example);
        }

        /** The label tokens, {@link #IGNORED} where a position is not scored. */
        public int[] label(int example) {
            return row(labels, example);
        }

        public int[] prediction(int example) {
            return row(predictions, example);
        }

        public int puzzleIdentifier(int example) {
            check(example);
            return (int) puzzleIdentifiers.getLong(example);
        }

        public float qHalt(int example) {
            check(example);
            return (float) qHalt.getDouble(example);
        }

        /** Whether the prediction matches the label at every scored position (the metrics' exact accuracy). */
        public boolean correct(int example) {
            int[] l = label(example), p = prediction(example);
            for (int i = 0; i < l.length; i++) if (l[i] != IGNORED && l[i] != p[i]) return false;
            return true;
        }

        /** The scored positions where the prediction differs from the label. */
        public int[] wrongCells(int example) {
            int[] l = label(example), p = prediction(example);
            return java.util.stream.IntStream.range(0, l.length).filter(i -> l[i] != IGNORED && l[i] != p[i]).toArray();
        }

        private int[] row(Npy.Array a, int example) {
            check(example);
            int[] out = new int[seqLen];
            long base = (long) example * seqLen;
            for (int i = 0; i < seqLen; i++) {
                long v = a.getLong(base + i);
                if (v != (int) v) throw new IllegalArgumentException(a.file() + ": element " + (base + i) + " = " + v + " does not fit an int");
                out[i] = (int) v;
            }
            return out;
        }

        private void check(int example) {
            if (example < 0 || example >= examples)
                throw new IndexOutOfBoundsException("example " + example + " of " + examples + " in set " + name);
        }
    }
}
