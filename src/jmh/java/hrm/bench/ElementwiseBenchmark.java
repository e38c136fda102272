package hrm.bench;

import hrm.tensor.Tensor;
import hrm.tensor.cpu.CpuBackend;
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
 * The block's element-wise kernels through {@link CpuBackend} at the reference shape (2624 rows,
 * hidden 512, 8 heads of 64, SwiGLU inner width 1536). The {@code gbyte} counter (GB/s) counts
 * each kernel's compulsory traffic once: residual + RMSNorm reads x and r and writes y; SwiGLU
 * reads the gate and up halves and writes s; RoPE reads and writes q and k (and reads the
 * cos/sin tables once per call, not counted).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx8g"})
public class ElementwiseBenchmark {

    @Param({"2624"})
    public int rows;

    @Param({"2"})
    public int threads;

    private static final int DIM = 512, HEADS = 8, HEAD_DIM = 64, INNER = 1536;
    private CpuBackend be;
    private Tensor x, r, y, rstd, gu, s, qkv, cos, sin;

    @Setup(Level.Trial)
    public void setUp() {
        be = new CpuBackend(threads);
        SplittableRandom rnd = new SplittableRandom(3);
        x = random(rnd, rows * DIM);
        r = random(rnd, rows * DIM);
        y = be.allocate(rows * DIM);
        rstd = be.allocate(rows);
        gu = random(rnd, rows * 2 * INNER);
        s = be.allocate(rows * INNER);
        qkv = random(rnd, rows * 3 * DIM);
        int tokens = 82;
        // RoPE's own tables (base 10000), so that rotating forth and back keeps the data as it was.
        float[] c = new float[tokens * HEAD_DIM], sn = new float[tokens * HEAD_DIM];
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < HEAD_DIM / 2; j++) {
                double angle = t * Math.pow(10000, -2.0 * j / HEAD_DIM);
                for (int i : new int[] {t * HEAD_DIM + j, t * HEAD_DIM + j + HEAD_DIM / 2}) {
                    c[i] = (float) Math.cos(angle);
                    sn[i] = (float) Math.sin(angle);
                }
            }
        }
        cos = be.allocate(c.length);
        sin = be.allocate(sn.length);
        be.upload(c, 0, cos);
        be.upload(sn, 0, sin);
    }

    private Tensor random(SplittableRandom rnd, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
        Tensor t = be.allocate(len);
        be.upload(v, 0, t);
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public void addRmsNorm(Rate.Bytes rate) {
        be.addRmsNorm(x, r, y, rstd, rows, DIM, 1e-5f);
        rate.gbyte += 3e-9 * 4 * rows * DIM;
    }

    @Benchmark
    public void swiglu(Rate.Bytes rate) {
        be.swiglu(gu, s, rows, INNER);
        rate.gbyte += 3e-9 * 4 * rows * INNER;
    }

    @Benchmark
    public void rope(Rate.Bytes rate) {
        // Forward then inverse, so the data stays bounded over millions of calls.
        be.rope(qkv, cos, sin, rows / 82, 82, HEADS, HEAD_DIM, false);
        be.rope(qkv, cos, sin, rows / 82, 82, HEADS, HEAD_DIM, true);
        rate.gbyte += 2 * 4e-9 * 4 * rows * DIM;
    }
}
