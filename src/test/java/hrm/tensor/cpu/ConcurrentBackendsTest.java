package hrm.tensor.cpu;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Two bfloat16 backends on oneDNN driven by two threads at once (two models in one application):
 * each executes on its own stream and buffers, so both get exactly what one alone computes.
 */
class ConcurrentBackendsTest {
    @Test
    void twoBackendsOnTwoThreadsComputeWhatOneDoesAlone() throws Exception {
        var dnnl = OneDnn.get();
        Assumptions.assumeTrue(dnnl.isPresent() && dnnl.get().nativeBf16(), "oneDNN bfloat16 is not usable here");
        int rows = 300, in = 96, out = 160;
        float[] x = new float[rows * in], w = new float[out * in];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(0.37 * i);
        for (int i = 0; i < w.length; i++) w[i] = (float) Math.cos(0.11 * i) * 0.1f;
        float[] alone = run(dnnl.get(), x, w, rows, in, out, 1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<float[]> a = pool.submit(() -> run(dnnl.get(), x, w, rows, in, out, 200));
            Future<float[]> b = pool.submit(() -> run(dnnl.get(), x, w, rows, in, out, 200));
            assertArrayEquals(alone, a.get());
            assertArrayEquals(alone, b.get());
        }
    }

    private static float[] run(OneDnn dnnl, float[] x, float[] w, int rows, int in, int out, int times) {
        try (CpuBackend be = new CpuBackend(1, dnnl)) {
            Tensor tx = be.allocate(x.length, DataType.BFLOAT16), tw = be.allocate(w.length), ty = be.allocate(rows * out, DataType.BFLOAT16);
            be.upload(x, 0, tx);
            be.upload(w, 0, tw);
            float[] y = new float[rows * out];
            for (int i = 0; i < times; i++) {
                be.fill(ty, 0f);
                be.linear(tx, tw, ty, rows, in, out);
            }
            be.download(ty, y, 0);
            return y;
        }
    }
}
