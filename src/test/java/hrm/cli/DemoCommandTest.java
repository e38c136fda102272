package hrm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The demo's whole pipeline on a small budget (the full run's accuracy is measured, not tested: it takes minutes). */
class DemoCommandTest {
    @Test
    void buildsTrainsEvaluatesAndShowsPuzzles(@TempDir Path tmp) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute("demo", "--dir", tmp.toString(), "--train-puzzles", "256", "--test-puzzles", "64",
                "epochs=2", "eval_interval=2", "arch.hidden_size=32", "arch.num_heads=2", "arch.H_layers=1", "arch.L_layers=1", "threads=2");
        assertEquals(0, code, out.toString());
        String text = out.toString();
        assertTrue(text.contains("256 training and 64 held-out 6x6 Sudoku puzzles"), text);
        assertTrue(text.matches("(?s).*held-out puzzles: \\d+\\.\\d% solved exactly.*"), text);
        assertTrue(text.contains("held-out puzzle 3:"), text);
        assertTrue(text.contains("./hrm solve --checkpoint"), text);
        assertTrue(Files.isDirectory(tmp.resolve("run/step_8")), "2 epochs of 256 puzzles in batches of 64");
    }
}
