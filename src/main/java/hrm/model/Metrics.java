package hrm.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Raw metric sums of one call, or of many added up (docs/model.md §7): one value per {@link Metric},
 * the one list of the metric set. The loss head fills them, {@link #add(Metrics)} sums them over
 * batches, {@link #sumOver} over the ranks of a data-parallel run, and {@link #perGlobalBatch} and
 * {@link #perCounted} normalise them as training and evaluation log them. Reset and refilled each
 * call, never reallocated.
 */
public final class Metrics {
    /** How a raw sum becomes a logged value. */
    public enum Kind {
        /** The number of counted samples (halted, with a label): what the others are divided by. */
        COUNT,
        /** Summed over the counted samples: logged per counted sample. */
        PER_SAMPLE,
        /** Summed over the batch's samples: logged per global batch in training, per counted sample in evaluation. */
        LOSS
    }

    /** The metric set under the reference's names: a new metric is one line here (and the code that adds to it). */
    public enum Metric {
        COUNT("count", Kind.COUNT),
        ACCURACY("accuracy", Kind.PER_SAMPLE),
        EXACT_ACCURACY("exact_accuracy", Kind.PER_SAMPLE),
        Q_HALT_ACCURACY("q_halt_accuracy", Kind.PER_SAMPLE),
        STEPS("steps", Kind.PER_SAMPLE),
        LM_LOSS("lm_loss", Kind.LOSS),
        Q_HALT_LOSS("q_halt_loss", Kind.LOSS),
        /** Only where a target was computed (training, not TRM's no_ACT_continue). */
        Q_CONTINUE_LOSS("q_continue_loss", Kind.LOSS, true);

        public final String key;
        public final Kind kind;
        /** Whether a call may leave it out: then it is neither logged nor part of the loss. */
        public final boolean optional;

        Metric(String key, Kind kind) {
            this(key, kind, false);
        }

        Metric(String key, Kind kind, boolean optional) {
            this.key = key;
            this.kind = kind;
            this.optional = optional;
        }
    }

    private static final Metric[] ALL = Metric.values();
    private static final int N = ALL.length;
    /**
     * The sum of metric i at i and, at N + i, whether it is there (1 or 0; summed over ranks, more
     * than 0): one array, so that one reduction adds both.
     */
    private final double[] v = new double[2 * N];

    public double get(Metric k) {
        return v[k.ordinal()];
    }

    /** Whether {@code k} is part of these sums (always, unless it is optional and nothing set it). */
    public boolean has(Metric k) {
        return !k.optional || v[N + k.ordinal()] > 0;
    }

    public void add(Metric k, double x) {
        v[k.ordinal()] += x;
        v[N + k.ordinal()] = 1;
    }

    public void set(Metric k, double x) {
        v[k.ordinal()] = x;
        v[N + k.ordinal()] = 1;
    }

    /** Adds {@code other}'s sums to these (an optional metric is there when it is in either). */
    public void add(Metrics other) {
        for (int i = 0; i < N; i++) {
            v[i] += other.v[i];
            v[N + i] = Math.max(v[N + i], other.v[N + i]);
        }
    }

    /**
     * Sums these over the ranks of a data-parallel run: {@code allreduce} adds an array element-wise
     * over every rank, in place (a {@code Cluster}'s sumDoubles).
     */
    public void sumOver(Consumer<double[]> allreduce) {
        allreduce.accept(v);
    }

    /** lm_loss + 0.5 * (q_halt_loss + q_continue_loss), before division by the global batch size. */
    public double loss() {
        return get(Metric.LM_LOSS) + 0.5 * (get(Metric.Q_HALT_LOSS) + (has(Metric.Q_CONTINUE_LOSS) ? get(Metric.Q_CONTINUE_LOSS) : 0));
    }

    /** The number of doubles {@link #sumOver} reduces (what a data-parallel step sends). */
    public static int reducedValues() {
        return 2 * N;
    }

    void clear() {
        java.util.Arrays.fill(v, 0);
    }

    /** The raw sums under the reference's names. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Metric k : ALL) if (has(k)) m.put(k.key, get(k));
        return m;
    }

    /**
     * As training logs them ({@code prefix} before each name): the loss and the losses per global
     * batch; the per-sample metrics per counted sample, left out where none was counted (the
     * reference's {@code max(count, 1)} would log 0s there); then the count.
     */
    public Map<String, Double> perGlobalBatch(String prefix, int globalBatchSize) {
        Map<String, Double> out = new LinkedHashMap<>();
        double count = get(Metric.COUNT);
        out.put(prefix + "loss", loss() / globalBatchSize);
        for (Metric k : ALL) {
            if (!has(k)) continue;
            if (k.kind == Kind.LOSS) out.put(prefix + k.key, get(k) / globalBatchSize);
            else if (k.kind == Kind.PER_SAMPLE && count > 0) out.put(prefix + k.key, get(k) / count);
        }
        out.put(prefix + Metric.COUNT.key, count);
        return out;
    }

    /** As evaluation reports them: every metric per counted sample; none where nothing was counted (the reference divides by 0). */
    public Map<String, Double> perCounted() {
        Map<String, Double> out = new LinkedHashMap<>();
        double count = get(Metric.COUNT);
        if (count > 0) for (Metric k : ALL) if (k.kind != Kind.COUNT && has(k)) out.put(k.key, get(k) / count);
        return out;
    }
}
