package hrm.bench;

import hrm.tensor.dnnl.BfMatmul;
import hrm.tensor.dnnl.OneDnn;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * oneDNN's bfloat16 matmul ({@link BfMatmul}: bf16 inputs, float32 accumulation and output, B a
 * weight stored n x k) on the forward shapes of {@link SgemmBenchmark} and its {@code ceiling}
 * (31488 x 512 x 1536): the bfloat16 ceiling beside the float32 one. Threads: the fork's
 * OMP_NUM_THREADS (2, as the float32 suite). {@code gflop} is the rate in GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class BfMatmulBenchmark {
    @Param({"fwd-qkv", "fwd-o", "fwd-gate_up", "fwd-down", "ceiling"})
    public String shape;

    private Arena arena;
    private BfMatmul mm;
    private MemorySegment a, b, c;

    @Setup(Level.Trial)
    public void setUp() {
        OneDnn d = OneDnn.get().orElseThrow(() -> new IllegalStateException(OneDnn.unavailableReason()));
        int rows = 2624, out, in;
        switch (shape) {
            case "fwd-qkv" -> { out = 1536; in = 512; }
            case "fwd-o" -> { out = 512; in = 512; }
            case "fwd-gate_up" -> { out = 3072; in = 512; }
            case "fwd-down" -> { out = 512; in = 1536; }
            case "ceiling" -> { rows = 31488; out = 1536; in = 512; }
            default -> throw new IllegalArgumentException(shape);
        }
        mm = new BfMatmul(d, rows, in, out, true);
        arena = Arena.ofShared();
        a = arena.allocate(2L * rows * in, 64);
        b = arena.allocate(2L * in * out, 64);
        c = arena.allocate(4L * rows * out, 64);
        for (long i = 0; i < (long) rows * in; i++) a.setAtIndex(JAVA_SHORT, i, (short) (0x3f00 + (i % 97)));
        for (long i = 0; i < (long) in * out; i++) b.setAtIndex(JAVA_SHORT, i, (short) (0xbe80 + (i % 89)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        mm.close();
        arena.close();
    }

    @Benchmark
    public void matmul(Rate.Flops rate) {
        mm.run(a, b, c);
        rate.gflop += 2e-9 * mm.m * mm.n * mm.k;
    }
}
