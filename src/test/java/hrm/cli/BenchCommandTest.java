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
}
