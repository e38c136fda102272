package hrm.analysis;

import hrm.data.PuzzleDataset;
import hrm.data.TestBatches;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.InnerModel;
import hrm.model.Parameters;
import hrm.tensor.Backend;
import hrm.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Hierarchical convergence (the paper's Fig. 3): the forward residual ||z^i - z^(i-1)|| / ||z^(i-1)||
 * of the module each update changes (z_L at an L update, z_H at an H update), over the cell positions
 * (puzzle-embedding rows excluded), at every update of halt_max_steps segments run from the reset
 * carry, summarised over the examples; and the states of one example projected on their first two
 * principal components, z_H and z_L each on its own. For a family without a recurrent state (the
 * transformer baseline) the updates are its layers' outputs, each layer's residual taken against its
 * input (the first layer's against the input embedding): the paper's deep-network curve of Fig. 3.
 */
public final class Residuals {
    /** One update on the common time axis: its module, its segment (from 1), and the residuals' mean and quartiles over the examples. */
    public record Step(int index, int segment, boolean high, double mean, double q1, double median, double q3) {}

    /**
     * {@code layers}: the updates are the layers of a model without a recurrent state (then {@code pcaL}
     * is null: it has no z_L).
     */
    public record Result(long examples, List<Step> steps, int pcaExample, Pca.Projection pcaH, Pca.Projection pcaL, boolean layers) {}

    private Residuals() {}

    /**
     * @param examples   how many test examples (in file order) to run
     * @param pcaExample the index (in file order) of the example whose states are projected
     */
    public static Result run(HrmAct act, Parameters params, Backend be, PuzzleDataset test, int examples, int pcaExample, LongConsumer progress) {
        ModelConfig cfg = act.inner().config();
        if (pcaExample < 0 || pcaExample >= examples)
            throw new IllegalArgumentException("example = " + pcaExample + ": outside the " + examples + " examples analysed (0 to " + (examples - 1) + ")");
        int b = cfg.batchSize(), tokens = cfg.tokens(), d = cfg.hiddenSize(), first = cfg.puzzleEmbLen();
        float[] hInit = new float[d], lInit = new float[d]; // zeros for a family without a recurrent state
        if (params.hInit() != null) {
            be.download(params.hInit(), hInit, 0);
            be.download(params.lInit(), lInit, 0);
        }
        Recorder rec = new Recorder(be, b * tokens * d, tokens, d, first);
        List<double[]> values = new ArrayList<>(); // per update: each example's residual
        List<Boolean> modules = new ArrayList<>();
        List<Integer> segments = new ArrayList<>();
        List<float[]> statesH = new ArrayList<>(), statesL = new ArrayList<>();
        act.inner().setTrace(rec);
        try {
            TestBatches batches = new TestBatches(test, b);
            Batch batch = batches.newBatch();
            Carry carry = act.initialCarry();
            int done = 0;
            while (done < examples && batches.next(batch)) {
                int rows = Math.min(batches.count(), examples - done);
                rec.start(hInit, lInit, rows, done, pcaExample - done, values, modules, segments, statesH, statesL);
                Arrays.fill(carry.halted, true);
                int segment = 0;
                do {
                    rec.segment = ++segment;
                    act.evalStep(carry, batch);
                } while (!carry.allHalted());
                done += rows;
                progress.accept(done);
            }
            List<Step> steps = new ArrayList<>();
            for (int u = 0; u < values.size(); u++) {
                double[] v = Arrays.copyOf(values.get(u), done);
                Arrays.sort(v);
                steps.add(new Step(u + 1, segments.get(u), modules.get(u), Arrays.stream(v).average().orElse(Double.NaN),
                        quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75)));
            }
            boolean layers = cfg.family().tracesLayers();
            return new Result(done, steps, pcaExample, Pca.project(statesH, 2), layers ? null : Pca.project(statesL, 2), layers);
        } finally {
            act.inner().setTrace(null);
        }
    }

    /** The q-quantile of sorted values, linearly interpolated (numpy's default). */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Keeps the previous state of each module, so each update's residual is computed as it happens. */
    private static final class Recorder implements InnerModel.Trace {
        private final Backend be;
        private final int tokens, d, first;
        private final float[] prevH, prevL, cur;
        private int rows, base, pcaRow, update, segment;
        private List<double[]> values;
        private List<Boolean> modules;
        private List<Integer> segments;
        private List<float[]> statesH, statesL;

        Recorder(Backend be, int size, int tokens, int d, int first) {
            this.be = be;
            this.tokens = tokens;
            this.d = d;
            this.first = first;
            prevH = new float[size];
            prevL = new float[size];
            cur = new float[size];
        }

        /** A new batch: every row starts from H_init / L_init, as the reset carry does. */
        void start(float[] hInit, float[] lInit, int rows, int base, int pcaRow, List<double[]> values, List<Boolean> modules,
                   List<Integer> segments, List<float[]> statesH, List<float[]> statesL) {
            for (int i = 0; i < prevH.length; i += d) {
                System.arraycopy(hInit, 0, prevH, i, d);
                System.arraycopy(lInit, 0, prevL, i, d);
            }
            this.rows = rows;
            this.base = base;
            this.pcaRow = pcaRow;
            this.values = values;
            this.modules = modules;
            this.segments = segments;
            this.statesH = statesH;
            this.statesL = statesL;
            update = 0;
        }

        /** A layered model's input: what its first layer's residual is taken against. */
        @Override
        public void input(Tensor e) {
            be.download(e, prevH, 0);
        }

        @Override
        public void update(boolean high, Tensor z) {
            be.download(z, cur, 0);
            float[] prev = high ? prevH : prevL;
            if (update == values.size()) {
                values.add(new double[64]);
                modules.add(high);
                segments.add(segment);
            }
            double[] v = values.get(update);
            if (v.length < base + rows) values.set(update, v = Arrays.copyOf(v, Math.max(2 * v.length, base + rows)));
            for (int r = 0; r < rows; r++) {
                double diff = 0, norm = 0;
                for (int i = (r * tokens + first) * d, end = (r + 1) * tokens * d; i < end; i++) {
                    double delta = cur[i] - prev[i];
                    diff += delta * delta;
                    norm += (double) prev[i] * prev[i];
                }
                v[base + r] = norm > 0 ? Math.sqrt(diff / norm) : Double.NaN;
            }
            if (pcaRow >= 0 && pcaRow < rows)
                (high ? statesH : statesL).add(Arrays.copyOfRange(cur, (pcaRow * tokens + first) * d, (pcaRow + 1) * tokens * d));
            System.arraycopy(cur, 0, prev, 0, cur.length);
            update++;
        }
    }
}
