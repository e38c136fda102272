package hrm.tensor.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput benchmark of {@link Sgemm} on the model's linear-layer shapes. Prints one JSON line
 * per (shape, thread count) and a final line with the best rate seen ("ceiling").
 *
 * <p>Arguments (all optional, {@code key=value}): {@code threads=1,2} (thread counts),
 * {@code rows=2624,7208} (token rows R), {@code reps=5} (timed repetitions; the best is kept),
 * {@code minMs=300} (keep repeating until this much time is spent timing each shape),
 * {@code kinds=fwd,dx,dw} (which products), {@code layers=1536x512,512x512,3072x512,512x1536}
 * ((out, in) pairs). Example: {@code java --add-modules jdk.incubator.vector -cp target/classes
 * hrm.tensor.cpu.SgemmBench threads=2 rows=2624}.
 */
public final class SgemmBench {

    private SgemmBench() {}

    /** One product to time. */
    public record Shape(String name, boolean transA, boolean transB, int m, int n, int k, float beta) {
        double flops() {
            return 2.0 * m * n * k;
        }
    }

    /** The model's three products for token rows {@code rows} and a linear layer out x in. */
    public static List<Shape> modelShapes(int rows, int out, int in, List<String> kinds) {
        List<Shape> s = new ArrayList<>();
        String layer = out + "x" + in;
        if (kinds.contains("fwd")) s.add(new Shape("fwd R=" + rows + " W=" + layer, false, true, rows, out, in, 0f));
        if (kinds.contains("dx")) s.add(new Shape("dx R=" + rows + " W=" + layer, false, false, rows, in, out, 0f));
        if (kinds.contains("dw")) s.add(new Shape("dW R=" + rows + " W=" + layer, true, false, out, in, rows, 1f));
        return s;
    }

    /**
     * Times {@code shape} on {@code gemm}: a warm-up, then at least {@code reps} calls and at least
     * {@code minMs} milliseconds. Returns {best GFLOP/s, best ms per call}.
     */
    public static double[] run(Sgemm gemm, Shape shape, int reps, double minMs) {
        SplittableRandom r = new SplittableRandom(42);
        int aLen = shape.m * shape.k, bLen = shape.k * shape.n, cLen = shape.m * shape.n;
        float[] a = fill(r, aLen), b = fill(r, bLen), c = fill(r, cLen);
        int lda = shape.transA ? shape.m : shape.k;
        int ldb = shape.transB ? shape.k : shape.n;
        long w0 = System.nanoTime();
        for (int i = 0; i < 5 || System.nanoTime() - w0 < 300_000_000L; i++) {
            call(gemm, shape, a, lda, b, ldb, c);
            if (i > 200) break;
        }
        long best = Long.MAX_VALUE, spent = 0;
        for (int i = 0; i < reps || spent < minMs * 1e6; i++) {
            long t0 = System.nanoTime();
            call(gemm, shape, a, lda, b, ldb, c);
            long dt = System.nanoTime() - t0;
            best = Math.min(best, dt);
            spent += dt;
            if (i > 1000) break;
        }
        return new double[] {shape.flops() / best, best / 1e6};
    }

    private static void call(Sgemm g, Shape s, float[] a, int lda, float[] b, int ldb, float[] c) {
        g.gemm(s.transA, s.transB, s.m, s.n, s.k, 1f, a, 0, lda, b, 0, ldb, s.beta, c, 0, s.n);
    }

    private static float[] fill(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (r.nextDouble() - 0.5) * 0.1f;
        return x;
    }

    public static void main(String[] args) {
        int[] threads = {1, 2};
        int[] rows = {2624, 7208};
        int reps = 5;
        double minMs = 300;
        List<String> kinds = List.of("fwd", "dx", "dw");
        int[][] layers = {{1536, 512}, {512, 512}, {3072, 512}, {512, 1536}};
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("expected key=value, got " + arg);
            String key = arg.substring(0, eq), v = arg.substring(eq + 1);
            switch (key) {
                case "threads" -> threads = ints(v);
                case "rows" -> rows = ints(v);
                case "reps" -> reps = Integer.parseInt(v);
                case "minMs" -> minMs = Double.parseDouble(v);
                case "kinds" -> kinds = List.of(v.split(","));
                case "layers" -> {
                    String[] p = v.split(",");
                    layers = new int[p.length][];
                    for (int i = 0; i < p.length; i++) {
                        String[] oi = p[i].split("x");
                        layers[i] = new int[] {Integer.parseInt(oi[0]), Integer.parseInt(oi[1])};
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + key);
            }
        }
        double ceiling = 0;
        String ceilingShape = "";
        int ceilingThreads = 0;
        for (int t : threads) {
            try (WorkerPool pool = new WorkerPool(t)) {
                Sgemm g = new Sgemm(pool);
                for (int rr : rows) {
                    for (int[] l : layers) {
                        for (Shape s : modelShapes(rr, l[0], l[1], kinds)) {
                            double[] res = run(g, s, reps, minMs);
                            System.out.println(String.format(Locale.ROOT,
                                    "{\"shape\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"transA\":%b,\"transB\":%b,\"threads\":%d,\"gflops\":%.1f,\"ms\":%.3f}",
                                    s.name, s.m, s.n, s.k, s.transA, s.transB, t, res[0], res[1]));
                            if (res[0] > ceiling) {
                                ceiling = res[0];
                                ceilingShape = s.name;
                                ceilingThreads = t;
                            }
                        }
                    }
                }
            }
        }
        System.out.println(String.format(Locale.ROOT, "{\"ceiling\":%.1f,\"shape\":\"%s\",\"threads\":%d}",
                ceiling, ceilingShape, ceilingThreads));
    }

    private static int[] ints(String v) {
        String[] p = v.split(",");
        int[] x = new int[p.length];
        for (int i = 0; i < p.length; i++) x[i] = Integer.parseInt(p[i].trim());
        return x;
    }
}
