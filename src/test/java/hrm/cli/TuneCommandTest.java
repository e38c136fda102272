package hrm.cli;

import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hrm tune}: every product of the model measured on each path, the choice printed and kept. */
class TuneCommandTest {
    static String tune(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new TuneCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(0, cl.execute(args), err.toString());
        return out.toString();
    }

    @Test
    void printsEveryProductOfTheTrainingModelWithBothRatesAndKeepsTheChoices() throws Exception {
        String out = tune("--batch", "4", "--seq", "31", "--hidden", "64", "--heads", "2", "--layers", "1", "--threads", "2");
        if (OneDnn.get().filter(OneDnn::nativeBf16).isEmpty() || "off".equals(System.getenv("HRM_NATIVE"))) {
            assertTrue(out.contains("nothing to choose"), out);
            return;
        }
        // 4 x (31 + 1 puzzle token) = 128 rows: qkv, o, gate_up, down, the output head, the Q head; each forward, dX, dW
        for (String layer : List.of("128x64x192", "128x64x64", "128x64x512", "128x256x64", "128x64x11", "4x64x2"))
            for (String kind : List.of("fwd ", "dX ", "dW "))
                assertTrue(out.lines().anyMatch(l -> l.startsWith(kind + layer + " ")), kind + layer + " missing:\n" + out);
        // a product big enough to measure shows two rates and the faster (by the margin) chosen
        String line = out.lines().filter(l -> l.startsWith("fwd 128x64x512 ")).findFirst().orElseThrow();
        String[] f = line.trim().split("\\s+", 5);
        double java = Double.parseDouble(f[2]), onednn = Double.parseDouble(f[3]);
        assertEquals(onednn > 1.05 * java ? "oneDNN" : "Java kernels", f[4], line);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("dX 4x64x2 ") && l.endsWith("Java kernels (too small to measure)")), out);
        String last = out.lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("hrm, 2 threads: measured in "), last);
        Path file = Path.of(last.substring(last.indexOf("kept in ") + 8));
        assertTrue(Files.readString(file).contains("\"fwd 128x64x512\""), file.toString());
    }

    @Test
    void float32HasNothingToChoose() {
        assertTrue(tune("--dtype", "float32", "--hidden", "64", "--heads", "2").contains("float32: every product runs on the Java kernels"));
    }
}
