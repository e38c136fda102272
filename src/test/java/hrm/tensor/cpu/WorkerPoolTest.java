package hrm.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkerPoolTest {
    @Test
    void everyIndexRunsExactlyOnceAcrossManyLoops() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int loop = 0; loop < 200_000; loop++) {
                int n = 1 + loop % 37;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                boolean[] workerOk = {true};
                pool.run(n, (i, w) -> {
                    hits.incrementAndGet(i);
                    if (w < 0 || w >= 3) workerOk[0] = false;
                });
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "loop " + loop + " index " + i);
                assertTrue(workerOk[0]);
            }
        }
    }

    @Test
    void aFailingTaskFailsTheLoopAndThePoolKeepsWorking() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertThrows(IllegalStateException.class, () -> pool.run(10, (i, w) -> {
                if (i == 7) throw new IllegalStateException("boom");
            }));
            int[] sum = {0};
            pool.run(1, (i, w) -> sum[0]++);
            assertEquals(1, sum[0]);
        }
    }
}
