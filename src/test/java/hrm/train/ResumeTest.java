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

/** N steps, stop, resume, N more: bit-identical to 2N uninterrupted, mid-pass and at a pass boundary. */
class ResumeTest {
    @Test
    void resumedRunIsBitIdentical(@TempDir Path tmp) {
        Path data = TinyTask.build(tmp.resolve("data"), 64, 16, 5);
        // 64 groups / batch 16 = 4 steps per epoch; 2 epochs per pass; 3 passes = 24 steps
        String[] base = {"epochs=6", "eval_interval=2", "arch.puzzle_emb_ndim=32"};
        for (long stopAt : new long[] {5, 8}) {
            List<Double> straightLoss = new ArrayList<>(), resumedLoss = new ArrayList<>();
            TrainState straight = runTo(TinyTask.config(data, base), 0, null, straightLoss);
            TrainState half = runTo(TinyTask.config(data, concat(base, "stop_at_step=" + stopAt)), 0, null, resumedLoss);
            assertEquals(stopAt, half.step());
            TrainState resumed = runTo(TinyTask.config(data, base), 0, half, resumedLoss);
            assertEquals(straight.step(), resumed.step());
            assertEquals(straightLoss, resumedLoss, "every step's loss, stop at " + stopAt);
            assertArrayEquals(straight.weights(), resumed.weights(), "weights, stop at " + stopAt);
            assertArrayEquals(straight.puzzleTable(), resumed.puzzleTable());
            assertArrayEquals(straight.adamV(), resumed.adamV());
            assertArrayEquals(straight.carryZH(), resumed.carryZH());
        }
    }

    /** TRM with its moving average: the shadow is part of the state, and a resumed run's shadow, weights and losses are bit-identical. */
    @Test
    void resumedTrmRunWithEmaIsBitIdentical(@TempDir Path tmp) {
        Path data = TinyTask.build(tmp.resolve("data"), 64, 16, 5);
        String[] base = {"arch=trm_demo", "arch.hidden_size=32", "arch.L_cycles=2", "arch.H_cycles=2", "ema=True", "ema_rate=0.9",
                "epochs=4", "eval_interval=2", "global_batch_size=16"};
        List<Double> straightLoss = new ArrayList<>(), resumedLoss = new ArrayList<>();
        TrainState straight = runTo(TinyTask.config(data, base), 0, null, straightLoss);
        TrainState half = runTo(TinyTask.config(data, concat(base, "stop_at_step=6")), 0, null, resumedLoss);
        assertNotNull(half.emaShadow(), "the state carries the moving average");
        TrainState resumed = runTo(TinyTask.config(data, base), 0, half, resumedLoss);
        assertEquals(straightLoss, resumedLoss, "every step's loss");
        assertArrayEquals(straight.weights(), resumed.weights(), "live weights");
        assertArrayEquals(straight.emaShadow(), resumed.emaShadow(), "moving average");
        assertFalse(java.util.Arrays.equals(straight.weights(), straight.emaShadow()), "the average is not the weights");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static TrainState runTo(TrainConfig cfg, long unused, TrainState from, List<Double> losses) {
        try (CpuBackend be = new CpuBackend(2)) {
            TrainState[] last = {null};
            Trainer t = new Trainer(cfg, be).listener(new TrainListener() {
                @Override
                public void onStep(long step, long total, Map<String, Double> m) {
                    losses.add(m.get("train/loss"));
                }
            });
            if (from != null) t.restore(from);
            t.checkpoints((step, state) -> {
                last[0] = state;
                return null;
            });
            t.run();
            return t.captureState();
        }
    }
}
