package hrm.model;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/**
 * The ACT wrapper (docs/model.md §6), for either family: one call runs one supervision segment for
 * every row, resetting and refilling the rows that halted in the previous call, then decides which
 * rows halt now. In training it also computes the Q-learning target with one more no-gradient
 * segment (not with TRM's no_ACT_continue, which halts on q_halt alone), the loss and its
 * gradients; the caller then steps the optimisers.
 */
public final class HrmAct {
    private final ModelConfig cfg;
    private final Backend be;
    private final Parameters params;
    private final InnerModel inner;
    private final LossHead lossHead;
    private final Tensor targetZH, targetZL;
    private final float[] u, targetQ;
    private final int[] r;
    private final float[] nextQ;
    private final Metrics metrics = new Metrics();

    public HrmAct(Parameters params, Backend backend, boolean training) {
        if (training && !params.hasGradients()) throw new IllegalArgumentException("a model to train needs parameters with gradients, not Parameters.forInference");
        this.cfg = params.config();
        this.be = backend;
        this.params = params;
        this.inner = InnerModel.create(params, backend, training);
        this.lossHead = new LossHead(cfg);
        int b = cfg.batchSize();
        int n = b * cfg.tokens() * cfg.hiddenSize();
        boolean targets = training && cfg.family().qContinueTargets();
        targetZH = targets ? be.allocate(n, cfg.activationType()) : null;
        targetZL = targets ? be.allocate(n, cfg.activationType()) : null;
        u = new float[b];
        r = new int[b];
        targetQ = new float[b];
        nextQ = new float[b * 2];
    }

    public InnerModel inner() {
        return inner;
    }

    public LossHead lossHead() {
        return lossHead;
    }

    public Carry initialCarry() {
        return new Carry(be, cfg);
    }

    /** Rows that halted take H_init/L_init (in a family that has them), step 0 and the new batch's data. */
    private void reset(Carry c, Batch batch) {
        if (params.hInit() != null) {
            be.setSampleRows(c.zH, c.halted, cfg.tokens(), cfg.hiddenSize(), params.hInit());
            be.setSampleRows(c.zL, c.halted, cfg.tokens(), cfg.hiddenSize(), params.lInit());
        }
        int s = cfg.seqLen();
        for (int b = 0; b < c.halted.length; b++) {
            if (!c.halted[b]) continue;
            c.steps[b] = 0;
            System.arraycopy(batch.inputs(), b * s, c.inputs, b * s, s);
            System.arraycopy(batch.labels(), b * s, c.labels, b * s, s);
            c.puzzleIdentifiers[b] = batch.puzzleIdentifiers()[b];
        }
    }

    /**
     * One evaluation segment: every row runs exactly halt_max_steps segments. Returns the metrics;
     * outputs are in {@link #inner()}.
     */
    public Metrics evalStep(Carry c, Batch batch) {
        reset(c, batch);
        inner.embed(c.inputs, c.puzzleIdentifiers);
        inner.segment(c.zH, c.zL, false);
        for (int b = 0; b < c.halted.length; b++) {
            c.steps[b]++;
            c.halted[b] = c.steps[b] >= cfg.haltMaxSteps();
        }
        lossHead.compute(inner.logits(), inner.qHost(), c.labels, c.halted, c.steps, null, 0, metrics);
        return metrics;
    }

    /**
     * Evaluation of one batch as the reference's evaluate runs it: a fresh carry, every row for
     * halt_max_steps segments (evaluation never halts early). Returns the last segment's metrics;
     * its outputs are in {@link #inner()}.
     */
    public Metrics evalToEnd(Carry c, Batch batch) {
        java.util.Arrays.fill(c.halted, true);
        Metrics m;
        do {
            m = evalStep(c, batch);
        } while (!c.allHalted());
        return m;
    }

    /**
     * One training segment with the one-step gradient: forward, halting with exploration,
     * the target-Q pass, the loss and the backward. Gradients are of loss / globalBatchSize.
     * The caller steps the optimisers afterwards.
     */
    public Metrics trainStep(Carry c, Batch batch, Exploration exploration, int globalBatchSize) {
        reset(c, batch);
        inner.embed(c.inputs, c.puzzleIdentifiers);
        inner.segment(c.zH, c.zL, true);
        float[] q = inner.qHost();
        int max = cfg.haltMaxSteps();
        for (int b = 0; b < c.halted.length; b++) {
            c.steps[b]++;
            c.halted[b] = c.steps[b] >= max;
        }
        float[] targets = null;
        if (max > 1) {
            exploration.draw(u, r, max);
            for (int b = 0; b < c.halted.length; b++) {
                boolean h = c.halted[b] || cfg.actHalts(q[2 * b], q[2 * b + 1]);
                int minHalt = u[b] < cfg.haltExplorationProb() ? r[b] : 0;
                c.halted[b] = h && c.steps[b] >= minHalt;
            }
        }
        if (max > 1 && cfg.family().qContinueTargets()) {
            be.copy(c.zH, targetZH);
            be.copy(c.zL, targetZL);
            inner.segmentQOnly(targetZH, targetZL, nextQ);
            float[] nq = nextQ;
            for (int b = 0; b < c.halted.length; b++) {
                float nh = nq[2 * b], nc = nq[2 * b + 1];
                float x = c.steps[b] >= max ? nh : Math.max(nh, nc);
                targetQ[b] = (float) (1.0 / (1.0 + Math.exp(-x)));
            }
            targets = targetQ;
        }
        lossHead.compute(inner.logits(), q, c.labels, c.halted, c.steps, targets, 1.0 / globalBatchSize, metrics);
        inner.backward(lossHead.dLogits(), lossHead.dq());
        return metrics;
    }

    public float[] lastTargetQ() {
        return targetQ;
    }
}
