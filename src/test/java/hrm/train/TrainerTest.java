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

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}
