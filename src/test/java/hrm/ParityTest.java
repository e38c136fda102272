package hrm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.data.Npy;
import hrm.model.Batch;
import hrm.model.Carry;
import hrm.model.HrmAct;
import hrm.model.ModelConfig;
import hrm.model.Metrics;
import hrm.model.Parameters;
import hrm.model.SequenceLogits;
import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.dnnl.OneDnn;
import hrm.train.Ema;
import hrm.train.OptimiserSettings;
import hrm.train.TrainStep;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity with the PyTorch reference: every fixture directory under $HRM_PARITY_FIXTURES (default
 * testdata/parity and testdata/parity-bf16) must match in evaluation (outputs, carries, the z trace,
 * loss, metrics) and in training (loss, metrics, halting, outputs, gradients, weights after the
 * optimisers), within the tolerances of docs/model.md §12 for float32 fixtures and those of
 * {@link Tolerances} for fixtures whose config.json says forward_dtype bfloat16. In bfloat16 a
 * discrete result (a cell's argmax, a halting decision, the sign of q_halt) may differ from the
 * reference's only at a near tie ({@link NearTie}): where the reference's own margin is within the
 * tolerance of the outputs it comes from; the metrics are then compared with the reference's
 * shifted by what those differences change ({@link Adjustment}), and where halting differs the test
 * follows the reference's decision from there on. bfloat16 fixtures run on both matrix-product
 * paths: the Java kernels and, where this machine has it, oneDNN. No fixture found is a failure.
 */
class ParityTest {
    static final boolean VERBOSE = System.getenv("HRM_PARITY_VERBOSE") != null;

    /**
     * Normwise relative tolerances per tensor: segment 0's outputs and trace, later segments' and
     * training's outputs (logits, carries, losses, target Q), the q logits on segment 0 (of
     * evaluation and of training) and later, gradients, weights after the step, the accuracy
     * metric (after {@link Adjustment}), and float32's share of argmax ties.
     * <p>bfloat16, from 18 seeds (7 and 11-27) of the sudoku and arc configurations written with
     * the reference (hrm_ref.py, flash-attn numerics; the writer is described in
     * testdata/README.md), on both product paths: we differ from the reference by at most 1.6e-2
     * on segment 0, 1.0e-1 on later logits and carries, 5.4e-2 and 2.0e-1 on q logits of segment
     * 0 and later (a batch of values, each one dot product of the first position, nothing
     * averaged), 1.8e-1 on gradients, 1.1e-2 on weights after the step. The reference's own
     * bfloat16 outputs differ from its float32 ones on the same weights by up to 2.2e-2 on segment
     * 0 (5.6e-2 on its q logits), 1.6e-1 on later carries, 1.3e-1 on later logits and q logits (an
     * untrained recurrence amplifies rounding segment by segment), so two equally valid bfloat16
     * implementations differ by about that much more.
     */
    record Tolerances(double firstSegment, double outputs, double firstQ, double q, double grads, double after, double accuracy, double tiedCells) {
        static final Tolerances FLOAT32 = new Tolerances(1e-4, 1e-4, 1e-4, 1e-4, 1e-3, 1e-3, 1e-5, 0.01);
        static final Tolerances BFLOAT16 = new Tolerances(2.5e-2, 2e-1, 8e-2, 2.5e-1, 3e-1, 2e-2, 1e-5, 0);

        /**
         * bfloat16 fixtures hold discrete results (argmax of a cell, halting, the sign of q_halt, the
         * metrics from them) to the near-tie rule ({@link NearTie}): they may differ from the
         * reference's only where its own margin is within sqrt(2) times the tolerance of the outputs
         * they come from times the norm of their row. Float32: halting and metrics identical, and a
         * cell's argmax may differ only where the reference's best two are within the outputs'
         * tolerance of the row's scale, on at most tiedCells of the cells (as before the rule).
         */
        boolean nearTies() {
            return this == BFLOAT16;
        }

        static Tolerances of(ModelConfig cfg) {
            return cfg.activationType() == DataType.BFLOAT16 ? BFLOAT16 : FLOAT32;
        }
    }

    static List<Path> roots() {
        String env = System.getenv("HRM_PARITY_FIXTURES");
        if (env != null && !env.isBlank()) return List.of(Path.of(env));
        return List.of(Path.of("testdata/parity"), Path.of("testdata/parity-bf16"), Path.of("testdata/parity-trm"));
    }

    /** Every fixture directory under the roots, under root-name/fixture-name. */
    static Map<String, Path> fixtureDirs() {
        Map<String, Path> all = new LinkedHashMap<>();
        for (Path root : roots())
            for (var e : ParityFixture.named(root).entrySet()) all.put(root.getFileName() + "/" + e.getKey(), e.getValue());
        return all;
    }

    /** The backends a fixture runs on: float32 on the Java kernels; bfloat16 on the Java kernels and on oneDNN where it is usable. */
    static Map<String, Supplier<CpuBackend>> backends(ModelConfig cfg) {
        Map<String, Supplier<CpuBackend>> m = new LinkedHashMap<>();
        m.put("java", () -> new CpuBackend(2));
        if (cfg.activationType() == DataType.BFLOAT16) {
            var dnnl = OneDnn.get();
            if (dnnl.isPresent() && dnnl.get().nativeBf16()) m.put("onednn", () -> new CpuBackend(2, dnnl.get()));
            else System.err.println("ParityTest: bfloat16 fixtures run on the Java kernels only: "
                    + (dnnl.isEmpty() ? OneDnn.unavailableReason() : "this CPU has no bfloat16 instructions"));
        }
        return m;
    }

    @TestFactory
    List<DynamicNode> fixtures() {
        List<DynamicNode> nodes = new ArrayList<>();
        for (var e : fixtureDirs().entrySet()) {
            Path d = e.getValue();
            List<DynamicNode> perBackend = new ArrayList<>();
            for (var b : backends(new ParityFixture(d).config).entrySet()) {
                Supplier<CpuBackend> be = b.getValue();
                perBackend.add(DynamicContainer.dynamicContainer(b.getKey(), List.of(
                        DynamicTest.dynamicTest("eval", () -> checkEval(new ParityFixture(d), be)),
                        DynamicTest.dynamicTest("trace", () -> checkTrace(new ParityFixture(d), be)),
                        DynamicTest.dynamicTest("train", () -> checkTrain(new ParityFixture(d), be)))));
            }
            nodes.add(DynamicContainer.dynamicContainer(e.getKey(), perBackend));
        }
        return nodes;
    }

    /** Every eval segment of the fixture from these parameters: outputs, carry, loss, metrics. */
    static void checkEvalSteps(ParityFixture f, Parameters p, CpuBackend be) throws IOException {
        checkEvalSteps(f, "eval", p, be);
    }

    /** The eval segments stored under {@code folder} (eval, or TRM's ema_eval), step0, step1, ... */
    static void checkEvalSteps(ParityFixture f, String folder, Parameters p, CpuBackend be) throws IOException {
        Tolerances tol = Tolerances.of(f.config);
        HrmAct act = new HrmAct(p, be, false);
        Carry c = act.initialCarry();
        Batch batch = f.batch();
        for (int k = 0; k < f.evalSteps; k++) {
            String s = folder + "/step" + k + "/";
            double outTol = k == 0 ? tol.firstSegment() : tol.outputs();
            Metrics m = act.evalStep(c, batch);
            Decisions d = checkOutputs(f, s, act, c, be, outTol, k == 0);
            // evaluation halts on the step count alone: the reference's halting is ours
            Adjustment adj = d.adjustment(batch.labels(), c.halted, c.halted, c.steps, f.config.seqLen());
            if (f.exists(s + "loss.npy")) close(f, s + "loss.npy", m.loss(), f.npy(s + "loss.npy").getDouble(0) + adj.loss(), outTol);
            if (f.exists(s + "metrics.json")) checkMetrics(f, s + "metrics.json", m, outTol, tol.accuracy(), adj);
        }
    }

    static void checkEval(ParityFixture f, Supplier<CpuBackend> backend) throws IOException {
        try (CpuBackend be = backend.get()) {
            Parameters p = new Parameters(f.config, be);
            f.loadInit(p, be);
            checkEvalSteps(f, p, be);
        }
    }

    static void checkTrace(ParityFixture f, Supplier<CpuBackend> backend) {
        if (!f.exists("eval/trace")) return;
        Map<String, Npy.Array> trace = f.tensors("eval/trace");
        try (CpuBackend be = backend.get()) {
            Parameters p = new Parameters(f.config, be);
            f.loadInit(p, be);
            HrmAct act = new HrmAct(p, be, false);
            List<String> seen = new ArrayList<>();
            List<float[]> values = new ArrayList<>();
            act.inner().setTrace((high, z) -> {
                float[] v = new float[z.size()];
                be.download(z, v, 0);
                seen.add(high ? "H" : "L");
                values.add(v);
            });
            act.evalStep(act.initialCarry(), f.batch());
            List<String> names = new ArrayList<>(trace.keySet());
            assertEquals(names.size(), seen.size(), f.dir + "/eval/trace: number of z updates in segment 0");
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                assertEquals(n.substring(n.lastIndexOf('_') + 1), seen.get(i), f.dir + "/eval/trace/" + n + ": which level updated");
                close(f, "eval/trace/" + n, values.get(i), trace.get(n).toFloats(), Tolerances.of(f.config).firstSegment());
            }
        }
    }

    static void checkTrain(ParityFixture f, Supplier<CpuBackend> backend) throws IOException {
        Tolerances tol = Tolerances.of(f.config);
        try (CpuBackend be = backend.get()) {
            ModelConfig cfg = f.config;
            Parameters p = new Parameters(cfg, be);
            f.loadInit(p, be);
            TrainStep trainer = new TrainStep(p, be, new OptimiserSettings(f.opt("lr"), f.opt("puzzle_emb_lr"),
                    f.opt("weight_decay"), f.opt("puzzle_emb_weight_decay"), f.opt("beta1"), f.opt("beta2")));
            Ema ema = f.json.path("optimizer").path("ema").asBoolean(false) ? trainer.enableEma(be, f.opt("ema_rate")) : null;
            HrmAct act = trainer.act();
            Carry c = trainer.initialCarry();
            Batch batch = f.batch();
            for (int k = 0; k < f.trainSteps; k++) {
                String s = "train/step" + k + "/";
                if (k > 0) loadTensors(f, "train/step" + (k - 1) + "/after", p, be);
                if (k > 0 && ema != null) loadShadow(f, "train/step" + (k - 1) + "/ema", p, ema, be);
                float[] u = f.npy(s + "rand_u.npy").toFloats();
                int[] r = f.npy(s + "rand_r.npy").toInts();
                // the gradients are checked between the segment and the optimisers
                Metrics m = act.trainStep(c, batch, (uu, rr, max) -> {
                    System.arraycopy(u, 0, uu, 0, uu.length);
                    System.arraycopy(r, 0, rr, 0, rr.length);
                }, f.globalBatchSize);
                Decisions d = checkOutputs(f, s, act, c, be, tol.outputs(), k == 0);
                boolean[] refHalted = checkHalting(f, s, c, d, u, r, tol);
                Adjustment adj = d.adjustment(batch.labels(), c.halted, refHalted, c.steps, cfg.seqLen());
                close(f, s + "loss.npy", m.loss(), f.npy(s + "loss.npy").getDouble(0) + adj.loss(), tol.outputs());
                checkMetrics(f, s + "metrics.json", m, tol.outputs(), tol.accuracy(), adj);
                // at a near tie the test follows the reference's halting from here on: the next segment
                // resets (or carries on with) the same samples as the reference's
                System.arraycopy(refHalted, 0, c.halted, 0, refHalted.length);
                if (f.exists(s + "target_q_continue.npy"))
                    close(f, s + "target_q_continue.npy", act.lastTargetQ(), f.npy(s + "target_q_continue.npy").toFloats(), tol.outputs());
                for (Map.Entry<String, Npy.Array> g : f.tensors(s + "grad").entrySet()) {
                    Tensor t = g.getKey().endsWith("puzzle_emb.local_weights") ? act.inner().puzzleRowsGrad() : p.grad(g.getKey());
                    close(f, s + "grad/" + g.getKey(), download(be, t), g.getValue().toFloats(), tol.grads());
                }
                trainer.stepOptimisers(c, f.opt("lr"), f.opt("puzzle_emb_lr"));
                for (Map.Entry<String, Npy.Array> a : f.tensors(s + "after").entrySet())
                    close(f, s + "after/" + a.getKey(), download(be, p.tensor(a.getKey())), a.getValue().toFloats(), tol.after());
                if (f.exists(s + "ema")) {
                    assertTrue(ema != null, f.dir + "/" + s + "ema: the fixture has EMA shadows but config.json's optimizer.ema is not true");
                    Map<String, Npy.Array> shadows = f.tensors(s + "ema");
                    assertEquals(p.entries().stream().filter(Parameters.Entry::trainable).count(), shadows.size(),
                            f.dir + "/" + s + "ema: one shadow per trainable tensor");
                    for (Map.Entry<String, Npy.Array> a : shadows.entrySet())
                        close(f, s + "ema/" + a.getKey(), download(be, shadowOf(p, ema, a.getKey())), a.getValue().toFloats(), tol.outputs());
                }
            }
            // the EMA copy evaluated after the last step: the shadow in the weights, the live puzzle table and H_init/L_init
            if (ema != null && f.exists("ema_eval")) {
                loadTensors(f, "train/step" + (f.trainSteps - 1) + "/after", p, be);
                loadShadow(f, "train/step" + (f.trainSteps - 1) + "/ema", p, ema, be);
                ema.withShadow(() -> checkEvalSteps(f, "ema_eval", p, be));
            }
        }
    }

    /** The shadow of one trainable tensor: the same slice of the shadow as the tensor's of the flat buffer. */
    static Tensor shadowOf(Parameters p, Ema ema, String name) {
        Parameters.Entry e = p.entry(name);
        return ema.shadow().slice(e.offset(), e.size());
    }

    /** Each step's shadow starts from the reference's previous one, as the weights do (see {@link #loadTensors}). */
    static void loadShadow(ParityFixture f, String rel, Parameters p, Ema ema, CpuBackend be) {
        for (Map.Entry<String, Npy.Array> a : f.tensors(rel).entrySet())
            be.upload(a.getValue().toFloats(), 0, shadowOf(p, ema, a.getKey()));
    }

    /**
     * Each training step starts from the reference's weights after the previous step (the optimiser
     * moments and the carry stay ours). Without this, float noise compounds: a few gradient entries
     * are numerically zero (~1e-9 against a mean of ~1e-2) and their sign differs between any two
     * float32 implementations, and AdamATan2's first step is a sign step (+-0.997 lr), so such an
     * entry moves the opposite way and the next step's losses drift by ~2e-4, past the 1e-4 bound.
     */
    static void loadTensors(ParityFixture f, String rel, Parameters p, CpuBackend be) {
        for (Map.Entry<String, Npy.Array> a : f.tensors(rel).entrySet())
            be.upload(a.getValue().toFloats(), 0, p.tensor(a.getKey()));
    }

    /**
     * Logits, predictions, q logits and the carry of one segment. Returns the discrete results
     * computed from them, ours and the reference's, after checking that they differ only at near
     * ties (bfloat16) or not at all (float32, ties of the argmax as in {@link #assertArgmax}).
     */
    static Decisions checkOutputs(ParityFixture f, String s, HrmAct act, Carry c, CpuBackend be, double tol, boolean firstSegment) {
        ModelConfig cfg = f.config;
        int b = cfg.batchSize();
        float[] want = f.npy(s + "logits.npy").toFloats();
        close(f, s + "logits.npy", act.inner().logits().sequenceOnly(), want, tol);
        Tolerances t = Tolerances.of(cfg);
        int[] pred = checkPredictions(f, s, act.inner().logits(), want, tol, t);
        float[] q = act.inner().qHost();
        float[] qh = new float[b], qc = new float[b];
        for (int i = 0; i < b; i++) {
            qh[i] = q[2 * i];
            qc[i] = q[2 * i + 1];
        }
        float[] wantQh = f.npy(s + "q_halt_logits.npy").toFloats(), wantQc = f.npy(s + "q_continue_logits.npy").toFloats();
        double qTol = firstSegment ? t.firstQ() : t.q();
        close(f, s + "q_halt_logits.npy", qh, wantQh, qTol);
        close(f, s + "q_continue_logits.npy", qc, wantQc, qTol);
        if (f.exists(s + "z_H.npy")) close(f, s + "z_H.npy", download(be, c.zH), f.npy(s + "z_H.npy").toFloats(), tol);
        if (f.exists(s + "z_L.npy")) close(f, s + "z_L.npy", download(be, c.zL), f.npy(s + "z_L.npy").toFloats(), tol);
        int[] refPred = new int[pred.length];
        for (int i = 0; i < pred.length; i++) refPred[i] = NearTie.argmax(want, i * cfg.vocabSize(), cfg.vocabSize());
        Decisions d = new Decisions(pred, refPred, qh, qc, wantQh, wantQc, t.nearTies() ? qTol : 0);
        // the sign of q_halt (q_halt_accuracy's prediction), margin |q_halt|
        for (int i = 0; i < b; i++)
            NearTie.differsAtNearTie(f.dir + "/" + s + "q_halt_logits.npy: sample " + i + ": q_halt >= 0",
                    (qh[i] >= 0) == (wantQh[i] >= 0), wantQh[i], d.qTolerance(i));
        return d;
    }

    /**
     * The discrete results of one segment, ours and the reference's. qRel: the relative tolerance
     * of the q logits they come from (0 for float32: no near ties).
     */
    record Decisions(int[] pred, int[] refPred, float[] qh, float[] qc, float[] refQh, float[] refQc, double qRel) {
        /** The near-tie tolerance of a decision on sample i's q logits (q_halt - q_continue, or q_halt). */
        double qTolerance(int i) {
            return NearTie.tolerance(qRel, Math.hypot(refQh[i], refQc[i]), Math.sqrt(2) * NearTie.rms(refQh, refQc));
        }

        /**
         * What the differing discrete results change in the metrics and the loss: the reference's
         * metrics recomputed (as its ACT loss head does) from its decisions and from ours, the
         * difference of the two. Zero where the decisions agree; none for float32, whose metrics
         * must equal the reference's.
         */
        Adjustment adjustment(int[] labels, boolean[] halted, boolean[] refHalted, int[] steps, int seq) {
            if (qRel == 0) return Adjustment.NONE; // float32: the metrics as the reference's, exactly
            double[] ours = metricsOf(pred, qh, halted, steps, labels, seq, refQh), ref = metricsOf(refPred, refQh, refHalted, steps, labels, seq, refQh);
            double[] delta = new double[ours.length];
            for (int i = 0; i < delta.length; i++) delta[i] = ours[i] - ref[i];
            return new Adjustment(delta);
        }

        /**
         * count, accuracy, exact_accuracy, q_halt_accuracy, steps, q_halt_loss from the predicted
         * tokens, the q_halt signs, halting and step counts; the loss's q_halt term from lossQ
         * (the reference's q_halt: only its target, seq_correct, is a discrete result).
         */
        static double[] metricsOf(int[] pred, float[] qHalt, boolean[] halted, int[] steps, int[] labels, int seq, float[] lossQ) {
            double[] m = new double[6];
            for (int b = 0; b < halted.length; b++) {
                int counted = 0, correct = 0;
                for (int s = 0; s < seq; s++) {
                    int l = labels[b * seq + s];
                    if (l == hrm.model.LossHead.IGNORE) continue;
                    counted++;
                    if (pred[b * seq + s] == l) correct++;
                }
                boolean seqCorrect = correct == counted;
                double x = lossQ[b], y = seqCorrect ? 1 : 0;
                m[5] += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
                if (!halted[b] || counted == 0) continue;
                m[0] += 1;
                m[1] += (double) correct / counted;
                if (seqCorrect) m[2] += 1;
                if ((qHalt[b] >= 0) == seqCorrect) m[3] += 1;
                m[4] += steps[b];
            }
            return m;
        }
    }

    /** Differences in the metrics (count, accuracy, exact_accuracy, q_halt_accuracy, steps, q_halt_loss) that near ties explain. */
    record Adjustment(double[] delta) {
        static final List<String> KEYS = List.of("count", "accuracy", "exact_accuracy", "q_halt_accuracy", "steps", "q_halt_loss");
        static final Adjustment NONE = new Adjustment(new double[KEYS.size()]);

        double of(String key) {
            int i = KEYS.indexOf(key);
            return i < 0 ? 0 : delta[i];
        }

        /** The total loss's change: lm_loss + 0.5 (q_halt_loss + q_continue_loss). */
        double loss() {
            return 0.5 * of("q_halt_loss");
        }
    }

    /**
     * The training segment's halting against the reference's: steps identical; halted identical
     * except where the reference's q decision (q_halt > q_continue, or q_halt > 0 for TRM) is a
     * near tie and neither the step limit nor exploration's min_halt settles it. Returns the
     * reference's halting, which the test follows from here on.
     */
    static boolean[] checkHalting(ParityFixture f, String s, Carry c, Decisions d, float[] u, int[] r, Tolerances tol) {
        ModelConfig cfg = f.config;
        int[] halted = f.npy(s + "halted.npy").toInts(), steps = f.npy(s + "steps.npy").toInts();
        boolean[] ref = new boolean[halted.length];
        int max = cfg.haltMaxSteps();
        for (int b = 0; b < halted.length; b++) {
            String where = f.dir + "/" + s + "halted.npy: sample " + b;
            assertEquals(steps[b], c.steps[b], f.dir + "/" + s + "steps.npy: sample " + b);
            ref[b] = halted[b] != 0;
            boolean isLast = steps[b] >= max;
            int minHalt = u[b] < cfg.haltExplorationProb() ? r[b] : 0;
            boolean open = max > 1 && !isLast && steps[b] >= minHalt;
            // the fixture's halting is the reference's rule on its own q logits (written out here, not
            // taken from the model: q_halt > q_continue, TRM's q_halt > 0)
            boolean alone = cfg.family() instanceof hrm.model.TrmFamily t && t.noActContinue();
            boolean refQDecision = alone ? d.refQh()[b] > 0 : d.refQh()[b] > d.refQc()[b];
            if (max > 1)
                assertEquals((isLast || refQDecision) && steps[b] >= minHalt, ref[b], where + ": the reference's rule on its q logits");
            if (!open || !tol.nearTies()) {
                assertEquals(ref[b], c.halted[b], where);
                continue;
            }
            double margin = alone ? d.refQh()[b] : (double) d.refQh()[b] - d.refQc()[b];
            if (NearTie.differsAtNearTie(where + " (q decision)", ref[b] == c.halted[b], margin, d.qTolerance(b)))
                System.err.printf("ParityTest: %s: halting differs at a near tie (reference margin %.4g, tolerance %.4g); following the reference%n",
                        where, margin, d.qTolerance(b));
        }
        return ref;
    }

    /**
     * The model's own prediction of every cell (its argmax, puzzle rows skipped by the model)
     * against the reference's; returns the predictions.
     */
    static int[] checkPredictions(ParityFixture f, String s, SequenceLogits got, float[] want, double tol, Tolerances t) {
        int[] pred = new int[got.batch() * got.seqLen()];
        got.argmax(pred);
        checkArgmax(f.dir + "/" + s + "logits.npy", pred, want, got.seqLen(), got.vocab(), tol, t);
        return pred;
    }

    /** The predictions against the reference's logits under the fixture's rule (see {@link Tolerances#nearTies}). */
    static void checkArgmax(String where, int[] pred, float[] want, int seq, int v, double tol, Tolerances t) {
        if (t.nearTies()) assertArgmaxNearTies(where, pred, want, seq, v, tol);
        else assertArgmax(where, pred, want, seq, v, tol, t.tiedCells());
    }

    static void assertArgmax(String where, int[] pred, float[] want, int seq, int v) {
        assertArgmax(where, pred, want, seq, v, 1e-4, 0.01);
    }

    /**
     * Every predicted token equals the argmax of the reference's logits (cells x vocab). Where the
     * reference's best two tokens are closer than the outputs' tolerance (tie, of the row's scale)
     * either answer is right; at most {@code tiedShare} of the cells may be such ties.
     */
    static void assertArgmax(String where, int[] pred, float[] want, int seq, int v, double tie, double tiedShare) {
        int near = 0;
        for (int i = 0; i < pred.length; i++) {
            int best = 0;
            for (int k = 1; k < v; k++) if (want[i * v + k] > want[i * v + best]) best = k;
            if (pred[i] == best) continue;
            float scale = 0;
            for (int k = 0; k < v; k++) scale = Math.max(scale, Math.abs(want[i * v + k]));
            if (want[i * v + best] - want[i * v + pred[i]] <= tie * Math.max(scale, 1f)) { near++; continue; }
            throw new AssertionError(where + ": sample " + i / seq + ", cell " + i % seq + ": predicted " + pred[i] + ", the reference's argmax is " + best);
        }
        assertTrue(near <= pred.length * tiedShare, where + ": " + near + " of " + pred.length + " cells whose reference logits tie within the tolerance");
    }

    /**
     * The near-tie rule for predictions: a cell's argmax may differ from the reference's only where
     * the reference's top-1 minus top-2 is within {@link NearTie#tolerance}(tol, norm of the cell's
     * logits, sqrt(vocab) x RMS of all the logits).
     */
    static void assertArgmaxNearTies(String where, int[] pred, float[] want, int seq, int v, double tol) {
        double floor = Math.sqrt(v) * NearTie.rms(want);
        int near = 0;
        double widest = 0;
        for (int i = 0; i < pred.length; i++) {
            int best = NearTie.argmax(want, i * v, v);
            double margin = NearTie.argmaxMargin(want, i * v, v);
            if (NearTie.differsAtNearTie(where + ": sample " + i / seq + ", cell " + i % seq + ": predicted " + pred[i] + ", the reference's argmax " + best,
                    pred[i] == best, margin, NearTie.tolerance(tol, NearTie.norm(want, i * v, v), floor))) {
                near++;
                widest = Math.max(widest, margin);
            }
        }
        if (VERBOSE && near > 0) System.out.printf("%s: %d of %d cells differ at near ties (widest reference margin %.4g)%n", where, near, pred.length, widest);
    }

    /**
     * The metrics against the reference's, each shifted by what near ties explain ({@link Adjustment}):
     * losses to lossTol, accuracy to accuracyTol, counts exactly.
     */
    static void checkMetrics(ParityFixture f, String rel, Metrics m, double lossTol, double accuracyTol, Adjustment adj) throws IOException {
        JsonNode want = new ObjectMapper().readTree(f.dir.resolve(rel).toFile());
        Map<String, Double> got = m.toMap();
        for (var it = want.fields(); it.hasNext(); ) {
            var e = it.next();
            String key = e.getKey();
            Double g = got.get(key);
            if (g == null) throw new AssertionError(f.dir + "/" + rel + ": metric '" + key + "' not computed");
            double w = e.getValue().asDouble() + adj.of(key);
            if (key.endsWith("loss")) close(f, rel + ":" + key, g, w, lossTol);
            // accuracy: a float32 sum of fractions in the reference; the shift is computed in double
            else if (key.equals("accuracy")) { if (Math.abs(g - w) > 1e-6) close(f, rel + ":" + key, g, w, accuracyTol); }
            else assertEquals(w, g, 1e-9, f.dir + "/" + rel + ": metric " + key + (adj.of(key) != 0 ? " (the reference's shifted by " + adj.of(key) + " for near ties)" : ""));
        }
    }

    static float[] download(CpuBackend be, Tensor t) {
        float[] v = new float[t.size()];
        be.download(t, v, 0);
        return v;
    }

    static void close(ParityFixture f, String what, double got, double want, double tol) {
        double err = Math.abs(got - want) / Math.max(Math.abs(want), 1e-12);
        if (VERBOSE) System.out.printf("%-70s %.3g%n", f.dir.getFileName() + "/" + what, err);
        if (!(err < tol) && Math.abs(got - want) > 1e-9)
            throw new AssertionError(f.dir + "/" + what + ": got " + got + ", want " + want + " (relative error " + err + ")");
    }

    /** ||a - b|| / ||b|| below tol (absolute when b is all zeros). */
    static void close(ParityFixture f, String what, float[] got, float[] want, double tol) {
        assertEquals(want.length, got.length, f.dir + "/" + what + ": size");
        double diff = 0, norm = 0;
        int worst = 0;
        double worstErr = -1;
        for (int i = 0; i < want.length; i++) {
            double d = (double) got[i] - want[i];
            assertFalse(Double.isNaN(got[i]), f.dir + "/" + what + ": NaN at " + i);
            diff += d * d;
            norm += (double) want[i] * want[i];
            if (Math.abs(d) > worstErr) {
                worstErr = Math.abs(d);
                worst = i;
            }
        }
        double rel = norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
        if (VERBOSE) {
            int flips = 0;
            for (int i = 0; i < want.length; i++) if (Math.signum(got[i]) != Math.signum(want[i])) flips++;
            System.out.printf("%-70s %.3g flips=%d%n", f.dir.getFileName() + "/" + what, rel, flips);
        }
        if (!(rel < tol))
            throw new AssertionError(String.format("%s/%s: relative error %.3g >= %.0g (worst at %d: got %g, want %g)",
                    f.dir, what, rel, tol, worst, got[worst], want[worst]));
    }
}
