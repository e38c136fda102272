package hrm.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hrm bench}: the training default dtype, and the product path named in its output. */
class BenchCommandTest {
    static final String[] TINY = {"--mode", "eval", "--batch", "1", "--seq", "4", "--hidden", "16", "--heads", "1", "--layers", "1", "--steps", "1"};

    static Map<String, Object> bench(String... extra) {
        BenchCommand cmd = new BenchCommand();
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(TINY), java.util.Arrays.stream(extra)).toArray(String[]::new);
        new CommandLine(cmd).parseArgs(args);
        return cmd.run("eval", 1);
    }

    @Test
    void defaultsToBfloat16AndSaysWhichProductPathRan() {
        Map<String, Object> out = bench();
        assertEquals("bfloat16", out.get("dtype"));
        String matmul = (String) out.get("matmul"), path = (String) out.get("path");
        assertTrue(matmul.equals("onednn-bf16") || matmul.equals("java-bf16") || matmul.matches("bf16 on java for \\d+, onednn for \\d+ products"), matmul);
        assertTrue(path.startsWith("bfloat16, "), path);
        // the path agrees with the matmul field: oneDNN named exactly when some product ran there
        assertEquals(!matmul.equals("java-bf16"), path.contains("oneDNN"), path + " / " + matmul);
        assertTrue(path.contains("Java kernels"), path);
    }

    @Test
    void float32OnRequest() {
        Map<String, Object> out = bench("--dtype", "float32");
        assertEquals("float32", out.get("dtype"));
        assertEquals("java-f32", out.get("matmul"));
        assertTrue(((String) out.get("path")).startsWith("float32, Java kernels"), (String) out.get("path"));
    }

    @Test
    void helpStatesTheDefault() {
        String usage = new CommandLine(new BenchCommand()).getUsageMessage();
        assertTrue(usage.contains("(default: bfloat16)"), usage);
    }

    @Test
    void theProfileSaysHowFarTheStepIsFromItsProductsRate() {
        java.util.Map<String, long[]> totals = new java.util.TreeMap<>();
        totals.put("linear 3072x512", new long[] {6_000_000_000L, 10});
        totals.put("linear dW 3072x512", new long[] {2_000_000_000L, 2});
        totals.put("attention", new long[] {1_000_000_000L, 10});
        totals.put("attention backward", new long[] {500_000_000L, 2});
        totals.put("swiglu", new long[] {400_000_000L, 10});
        // 8 s of products for 2400 GFLOP: 300 GFLOP/s; the step: 2600 GFLOP in 10 s = 260, 87% of it
        String s = BenchCommand.productSummary(totals, 2400e9, 2600e9, 10.0);
        assertEquals("  products: 80.0% of the time at 300 GFLOP/s (the model's flops; what training recomputes not counted); the whole step at 260 GFLOP/s,"
                + " 87% of the products' rate; attention 15.0% of the time, the rest 5.0%", s);
    }

    /** The paper's transformer baseline: HRM's 4 + 4 blocks as one stack of 8, one pass a segment, timed in both modes. */
    @Test
    void timesTheTransformerBaseline() {
        BenchModel m = new BenchModel();
        new CommandLine(m).parseArgs("--model", "transformer");
        hrm.model.ModelConfig c = m.config();
        assertEquals("Transformer_ACTV1", c.family().className());
        assertEquals(8, m.layers());
        assertEquals(1, c.haltMaxSteps());
        // a segment: one forward through the 8 blocks, then the heads (HRM: 2 x 2 cycles of its 4-block modules)
        assertEquals(8 * hrm.model.FlopCount.blockForward(c) + 2.0 * c.tokens() * 512 * 11 + 4.0 * 512, hrm.model.FlopCount.evalSegment(c), 1);
        for (String mode : new String[] {"train", "eval"}) {
            BenchCommand cmd = new BenchCommand();
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(TINY), java.util.stream.Stream.of("--model", "transformer")).toArray(String[]::new);
            new CommandLine(cmd).parseArgs(args);
            Map<String, Object> out = cmd.run(mode, 1);
            assertEquals("transformer", out.get("model"));
            assertEquals(mode, out.get("mode"));
            assertTrue(((Number) out.get("samples_per_sec")).doubleValue() > 0, out.toString());
            assertEquals(2, out.get("layers")); // TINY's --layers 1: one stack of 2
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> {
            BenchModel bad = new BenchModel();
            new CommandLine(bad).parseArgs("--model", "gpt");
            bad.config();
        });
    }

    @Test
    void flopsSplitIntoProductsAndAttention() {
        for (String[] args : new String[][] {{"--model", "hrm"}, {"--model", "trm"}, {"--model", "trm", "--mlp-t"}, {"--model", "transformer"}}) {
            boolean mlpT = args.length == 3;
            BenchModel m = new BenchModel();
            new CommandLine(m).parseArgs(args);
            hrm.model.ModelConfig c = m.config();
            assertEquals(hrm.model.FlopCount.blockForward(c), hrm.model.FlopCount.blockProducts(c) + hrm.model.FlopCount.blockAttention(c));
            assertEquals(mlpT, hrm.model.FlopCount.blockAttention(c) == 0);
            double t = c.tokens(), d = c.hiddenSize();
            if (!mlpT) assertEquals(4 * t * t * d, hrm.model.FlopCount.blockAttention(c));
            assertTrue(hrm.model.FlopCount.trainSegmentProducts(c) < hrm.model.FlopCount.trainSegment(c) || mlpT);
            assertEquals(mlpT, hrm.model.FlopCount.evalSegmentProducts(c) == hrm.model.FlopCount.evalSegment(c));
            }
    }
}
