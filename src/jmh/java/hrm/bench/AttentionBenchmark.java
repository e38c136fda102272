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
 * Attention forward and backward through {@link CpuBackend} at the Sudoku shape (batch 32, T = 82)
 * and the ARC/Maze shape (batch 8, T = 901), 8 heads of 64. The {@code gflop} counter (GFLOP/s)
 * counts the matrix products only: forward 4*B*H*T*T*d (QK^T and PV), backward 2.5 times that
 * (scores recomputed, dP, dQ, dK, dV); exp and softmax are not counted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx8g"})
public class AttentionBenchmark {

    /** batch x tokens. */
    @Param({"32x82", "8x901"})
    public String shape;

    @Param({"2"})
    public int threads;

    private static final int HEADS = 8, HEAD_DIM = 64;
    private CpuBackend be;
    private int batch, tokens;
    private Tensor qkv, out, lse, dout, dqkv;
    private double fwdGflop;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        batch = Integer.parseInt(p[0]);
        tokens = Integer.parseInt(p[1]);
        be = new CpuBackend(threads);
        int rows = batch * tokens, width = HEADS * HEAD_DIM;
        SplittableRandom r = new SplittableRandom(1);
        qkv = random(r, rows * 3 * width);
        dout = random(r, rows * width);
        out = be.allocate(rows * width);
        dqkv = be.allocate(rows * 3 * width);
        lse = be.allocate(batch * HEADS * tokens);
        be.attention(qkv, out, lse, batch, tokens, HEADS, HEAD_DIM);
        fwdGflop = 4e-9 * batch * HEADS * (double) tokens * tokens * HEAD_DIM;
    }

    private Tensor random(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        Tensor t = be.allocate(len);
        be.upload(x, 0, t);
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public void forward(Rate.Flops rate) {
        be.attention(qkv, out, lse, batch, tokens, HEADS, HEAD_DIM);
        rate.gflop += fwdGflop;
    }

    @Benchmark
    public void backward(Rate.Flops rate) {
        be.attentionBackward(qkv, out, lse, dout, dqkv, batch, tokens, HEADS, HEAD_DIM);
        rate.gflop += 2.5 * fwdGflop;
    }
}
