package hrm.tensor.dnnl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Throughput of oneDNN's bfloat16 matmul ({@link BfMatmul}, B as a weight: transposed) on the
 * model's linear-layer shapes, beside {@code hrm.tensor.cpu.SgemmBench} for the float32 Java kernel.
 * Prints one JSON line per shape with the kernel oneDNN chose. Threads: OMP_NUM_THREADS. Example:
 * {@code OMP_NUM_THREADS=2 java --enable-native-access=ALL-UNNAMED -cp target/classes:target/lib/* hrm.tensor.dnnl.BfMatmulBench 2624x512x1536 31488x512x1536}.
 */
public final class BfMatmulBench {
    private BfMatmulBench() {}

    public static void main(String[] args) {
        OneDnn d = OneDnn.get().orElseThrow(() -> new IllegalStateException(OneDnn.unavailableReason()));
        String[] shapes = args.length > 0 ? args : new String[] {"2624x512x1536", "2624x1536x512", "31488x512x1536"};
        for (String s : shapes) {
            String[] p = s.split("x");
            int m = Integer.parseInt(p[0]), k = Integer.parseInt(p[1]), n = Integer.parseInt(p[2]);
            try (Arena ar = Arena.ofConfined(); BfMatmul mm = new BfMatmul(d, m, k, n, true)) {
                MemorySegment a = ar.allocate(2L * m * k, 64), b = ar.allocate(2L * k * n, 64), c = ar.allocate(4L * m * n, 64);
                for (long i = 0; i < (long) m * k; i++) a.setAtIndex(JAVA_SHORT, i, (short) 0x3f80); // 1.0
                for (long i = 0; i < (long) k * n; i++) b.setAtIndex(JAVA_SHORT, i, (short) 0x3f00); // 0.5
                for (int w = 0; w < 3; w++) mm.run(a, b, c);
                double best = Double.MAX_VALUE, spent = 0;
                for (int r = 0; r < 5 || spent < 0.5; r++) {
                    long t0 = System.nanoTime();
                    mm.run(a, b, c);
                    double sec = (System.nanoTime() - t0) / 1e9;
                    best = Math.min(best, sec);
                    spent += sec;
                }
                System.out.printf("{\"shape\":\"%s\",\"oneDNN\":\"%s\",\"isa\":%d,\"ms\":%.3f,\"gflops\":%.1f}%n",
                        s, d.version(), d.cpuIsa(), best * 1e3, 2.0 * m * k * n / best / 1e9);
            }
        }
    }
}
