package hrm.bench;

import hrm.tensor.cpu.Sgemm;
import hrm.tensor.cpu.WorkerPool;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Sgemm} on the products of the reference configuration's linear layers (batch 32 x 82
 * tokens = 2624 rows, or {@code -p rows=7208} for batch 8 x 901, the ARC/maze shape; qkv
 * 512->1536, o 512->512, gate_up 512->3072, down 1536->512), each in its three forms: forward Y = X W^T, input gradient dX = dY W, weight gradient dW (+)= dY^T X, called
 * exactly as CpuBackend calls them. {@code ceiling} is the 31488 x 512 x 1536 product issue 5
 * measures the machine's matmul ceiling on (the qkv forward at 384 x 82 rows). The {@code gflop}
 * counter is the rate in GFLOP/s. Operands are reused between calls, so they are warm in L3,
 * unlike in a training step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx8g"})
public class SgemmBenchmark {

    @Param({"fwd-qkv", "fwd-o", "fwd-gate_up", "fwd-down", "dx-qkv", "dx-o", "dx-gate_up", "dx-down",
            "dw-qkv", "dw-o", "dw-gate_up", "dw-down", "ceiling"})
    public String shape;

    @Param({"2"})
    public int threads;

    /** Token rows of the linear-layer shapes ({@code ceiling} is always 31488). */
    @Param({"2624"})
    public int rows;

    private WorkerPool pool;
    private Sgemm gemm;
    private boolean transA, transB;
    private int m, n, k, lda, ldb;
    private float beta;
    private float[] a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        int rows = this.rows, out, in;
        String[] p = shape.split("-");
        String kind = p[0];
        switch (p.length > 1 ? p[1] : "qkv") {
            case "qkv" -> { out = 1536; in = 512; }
            case "o" -> { out = 512; in = 512; }
            case "gate_up" -> { out = 3072; in = 512; }
            case "down" -> { out = 512; in = 1536; }
            default -> throw new IllegalArgumentException("shape " + shape);
        }
        if (kind.equals("ceiling")) {
            kind = "fwd";
            rows = 31488;
        }
        switch (kind) {
            case "fwd" -> set(false, true, rows, out, in, 0f);
            case "dx" -> set(false, false, rows, in, out, 0f);
            case "dw" -> set(true, false, out, in, rows, 1f);
            default -> throw new IllegalArgumentException("shape " + shape);
        }
        SplittableRandom r = new SplittableRandom(42);
        a = random(r, m * k);
        b = random(r, k * n);
        c = random(r, m * n);
        lda = transA ? m : k;
        ldb = transB ? k : n;
        pool = new WorkerPool(threads);
        gemm = new Sgemm(pool);
    }

    private void set(boolean tA, boolean tB, int m, int n, int k, float beta) {
        this.transA = tA; this.transB = tB; this.m = m; this.n = n; this.k = k; this.beta = beta;
    }

    private static float[] random(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (r.nextDouble() - 0.5) * 0.1f;
        return x;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public void gemm(Rate.Flops rate) {
        gemm.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, beta, c, 0, n);
        rate.gflop += 2e-9 * m * n * k;
    }
}
