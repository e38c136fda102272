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
        try (CpuBackend be = new CpuBackend(2)) {
            Trainer t = new Trainer(cfg, be).listener(new TrainListener() {
                @Override
                public void onStep(long step, long total, Map<String, Double> m) {
                    acc.add(m.get("train/accuracy"));
                    exact.add(m.get("train/exact_accuracy"));
                }
            });
            Map<String, Map<String, Double>> eval = t.run();
            assertEquals(t.totalSteps(), acc.size());
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
                    acc.add(m.get("train/accuracy"));
                }
            });
            assertTrue(t.modelConfig().isTrm() && t.modelConfig().mlpT());
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

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
