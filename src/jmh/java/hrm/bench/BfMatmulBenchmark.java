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
 * (31488 x 512 x 1536): the bfloat16 ceiling beside the float32 one. Any other product is
 * {@code -p shape=MxKxN} (m rows, k inputs, n outputs, e.g. {@code 2624x1536x512}). Threads: the
 * fork's OMP_NUM_THREADS (2, as the float32 suite). {@code gflop} is the rate in GFLOP/s; the
 * set-up prints oneDNN's version and the CPU ISA its kernels run on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class BfMatmulBenchmark {
    /** A named shape, or MxKxN. */
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
            default -> {
                String[] mkn = shape.split("x");
                if (mkn.length != 3) throw new IllegalArgumentException("shape " + shape + ": a name or MxKxN");
                rows = Integer.parseInt(mkn[0]);
                in = Integer.parseInt(mkn[1]);
                out = Integer.parseInt(mkn[2]);
            }
        }
        System.out.printf("oneDNN %s, CPU ISA 0x%x (dnnl_cpu_isa_t), %d x %d x %d%n", d.version(), d.cpuIsa(), rows, in, out);
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
