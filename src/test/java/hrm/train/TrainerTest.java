package hrm.train;

import hrm.tensor.cpu.CpuBackend;
import hrm.train.config.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    @Test
    void trainingAccuracyRises(@TempDir Path tmp) {
        Path data = TinyTask.build(tmp.resolve("data"), 256, 64, 1);
        TrainConfig cfg = TinyTask.config(data, "epochs=60", "eval_interval=60", "lr_warmup_steps=10");
        List<Double> exact = new ArrayList<>(), acc = new ArrayList<>();
        long[] steps = new long[2]; // all, and those where no sample halted
        try (CpuBackend be = new CpuBackend(2)) {
            Trainer t = new Trainer(cfg, be).listener(new TrainListener() {
                @Override
                public void onStep(long step, long total, Map<String, Double> m) {
                    steps[0]++;
                    // the per-halted-sample metrics exist exactly where a sample halted, never as a stand-in 0
                    boolean halted = m.get("train/count") > 0;
                    for (String k : List.of("train/accuracy", "train/exact_accuracy", "train/q_halt_accuracy", "train/steps"))
                        assertEquals(halted, m.containsKey(k), k + " at step " + step + ": " + m);
                    if (!halted) {
                        steps[1]++;
                        return;
                    }
                    acc.add(m.get("train/accuracy"));
                    exact.add(m.get("train/exact_accuracy"));
                }
            });
            Map<String, Map<String, Double>> eval = t.run();
            assertEquals(t.totalSteps(), steps[0]);
            // halt_max_steps 2: the first step halts nothing (every sample starts there), so the case is exercised
            assertTrue(steps[1] >= 1, "steps without a halted sample: " + steps[1]);
            double early = mean(acc.subList(0, 20)), late = mean(acc.subList(acc.size() - 20, acc.size()));
            double earlyExact = mean(exact.subList(0, 20)), lateExact = mean(exact.subList(exact.size() - 20, exact.size()));
            System.out.printf("tiny task: accuracy %.3f -> %.3f, exact %.3f -> %.3f, eval %s%n", early, late, earlyExact, lateExact, eval);
            assertTrue(late > early + 0.3, "token accuracy must rise: " + early + " -> " + late);
            assertTrue(lateExact > earlyExact + 0.2, "exact accuracy must rise: " + earlyExact + " -> " + lateExact);
            assertTrue(eval.get("all").get("accuracy") > 0.4, "held-out token accuracy above chance (0.25): " + eval);
        }
    }

    /** TRM (the demo's mlp_t network) learns the same task, evaluated with its moving average; its ARC evaluator refuses other data. */
    @Test
    void trmLearnsTooAndItsMovingAverageIsWhatIsEvaluated(@TempDir Path tmp) {
        Path data = TinyTask.build(tmp.resolve("data"), 256, 64, 1);
        TrainConfig cfg = TinyTask.config(data, "arch=trm_demo", "arch.hidden_size=32", "arch.L_cycles=2", "arch.H_cycles=2",
                "ema=True", "ema_rate=0.95", "epochs=40", "eval_interval=40", "lr_warmup_steps=10");
        List<Double> acc = new ArrayList<>();
        try (CpuBackend be = new CpuBackend(2)) {
            Trainer t = new Trainer(cfg, be).listener(new TrainListener() {
                @Override
                public void onStep(long step, long total, Map<String, Double> m) {
                    if (m.containsKey("train/accuracy")) acc.add(m.get("train/accuracy")); // absent where nothing halted
                }
            });
            assertTrue(t.modelConfig().family() instanceof hrm.model.TrmFamily f && f.mlpT());
            Map<String, Map<String, Double>> eval = t.run();
            double early = mean(acc.subList(0, 20)), late = mean(acc.subList(acc.size() - 20, acc.size()));
            System.out.printf("tiny task, TRM: accuracy %.3f -> %.3f, eval %s%n", early, late, eval);
            assertTrue(late > early + 0.3, "token accuracy must rise: " + early + " -> " + late);
            assertFalse(eval.get("all").containsKey("q_continue_loss"), "no_ACT_continue: no q_continue loss");
            // the evaluation ran on the moving average: with the live weights instead the metrics differ
            Map<String, Map<String, Double>> live = new hrm.eval.Evaluator(new hrm.model.HrmAct(t.params(), be, false))
                    .run(hrm.data.PuzzleDataset.open(data, "test"), null);
            assertNotEquals(live.get("all").get("lm_loss"), eval.get("all").get("lm_loss"), "evaluated with the shadow, not the live weights");
            Map<String, Map<String, Double>>[] averaged = new Map[1];
            t.ema().withShadow(() -> averaged[0] = new hrm.eval.Evaluator(new hrm.model.HrmAct(t.params(), be, false))
                    .run(hrm.data.PuzzleDataset.open(data, "test"), null));
            assertEquals(eval.get("all").get("lm_loss"), averaged[0].get("all").get("lm_loss"), 1e-12, "the shadow gives the run's evaluation");
        }
        TrainConfig arcOnSudoku = TinyTask.config(data, "arch=trm_demo", "evaluators=[{name: arc@ARC}]");
        try (CpuBackend be = new CpuBackend(1)) {
            var e = assertThrows(hrm.train.config.ConfigException.class, () -> new Trainer(arcOnSudoku, be));
            assertTrue(e.getMessage().contains("arc@ARC") && e.getMessage().contains("is not one"), e.getMessage());
        }
    }

    /**
     * A test set whose examples have no labels (every label the ignore id 0): every evaluation metric is per
     * counted example and none is, so the set has no metrics rather than 0s (the reference divides by 0).
     */
    @Test
    void aTestSetWithoutCountedExamplesHasNoEvaluationMetrics(@TempDir Path tmp) {
        Path data = tmp.resolve("data");
        hrm.data.DatasetWriter w = new hrm.data.DatasetWriter(data, TinyTask.VOCAB, TinyTask.SEQ);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        int[] in = new int[TinyTask.SEQ], out = new int[TinyTask.SEQ];
        for (String split : List.of("train", "test")) {
            hrm.data.PuzzleSetBuilder b = w.set(split, "all");
            for (int g = 0; g < 32; g++) {
                for (int i = 0; i < TinyTask.SEQ; i++) in[i] = 2 + rng.nextInt(TinyTask.VOCAB - 2);
                for (int i = 0; i < TinyTask.SEQ; i++) out[i] = split.equals("train") ? in[TinyTask.SEQ - 1 - i] : 0;
                b.addExample(in, out);
                b.endPuzzle(0);
                b.endGroup();
            }
        }
        w.commit(List.of("<blank>"));
        TrainConfig cfg = TinyTask.config(data, "epochs=2", "eval_interval=2");
        try (CpuBackend be = new CpuBackend(1)) {
            Map<String, Map<String, Double>> eval = new Trainer(cfg, be).run();
            assertEquals(Map.of("all", Map.of()), eval);
        }
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
