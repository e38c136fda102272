package hrm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HRM_DEBUG=1 adds the stack trace to every error path, the one line still last and the exit code
 * unchanged; without it, the one line alone.
 */
class DebugTraceTest {
    private static final Map<String, String> DEBUG = Map.of("HRM_DEBUG", "1");

    private static void traced(SingleProcessTest.Run r, String frame, String lastLine) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("\tat " + frame), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(lastLine, lines[lines.length - 1]);
    }

    @Test
    void aConfigurationError() {
        String line = "hrm train: arch.hiden_size: unknown key; did you mean arch.hidden_size? (known: ";
        SingleProcessTest.Run plain = SingleProcessTest.run(Map.of(), "train", "arch.hiden_size=64");
        assertEquals(2, plain.code());
        assertEquals(1, plain.err().strip().lines().count(), plain.err());
        SingleProcessTest.Run r = SingleProcessTest.run(DEBUG, "train", "arch.hiden_size=64");
        assertTrue(r.err().startsWith("hrm.train.config.ConfigException: " + line.substring("hrm train: ".length())), r.err());
        traced(r, "hrm.train.config.TrainConfig.checkArch", plain.err().strip());
    }

    @Test
    void aDataCommandsError(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("mine.txt"), "a user's file");
        SingleProcessTest.Run plain = SingleProcessTest.run(Map.of(), "data", "sudoku6", "--output-dir", out.toString());
        assertEquals(2, plain.code());
        assertEquals(1, plain.err().strip().lines().count(), plain.err());
        assertTrue(plain.err().startsWith("hrm data sudoku6: " + out + ": "), plain.err());
        traced(SingleProcessTest.run(DEBUG, "data", "sudoku6", "--output-dir", out.toString()), "hrm.io.OutputDirectory.checkWritable", plain.err().strip());
        // hrm data arc printed to System.err on its own before, without a trace
        Path missing = tmp.resolve("no-such-folder");
        plain = SingleProcessTest.run(Map.of(), "data", "arc", "--dataset-dirs", missing.toString(), "--output-dir", tmp.resolve("arc").toString());
        assertEquals(2, plain.code());
        assertTrue(plain.err().startsWith("hrm data arc: ") && plain.err().contains(missing.toString()), plain.err());
        traced(SingleProcessTest.run(DEBUG, "data", "arc", "--dataset-dirs", missing.toString(), "--output-dir", tmp.resolve("arc").toString()),
                "hrm.data.arc.", plain.err().strip());
    }

    @Test
    void aCommandLineError() {
        SingleProcessTest.Run r = SingleProcessTest.run(DEBUG, "train", "--confg-name", "x");
        traced(r, "picocli.CommandLine", "hrm train: unknown option '--confg-name'; did you mean --config-name? (see hrm train --help)");
        assertFalse(SingleProcessTest.run(Map.of(), "train", "--confg-name", "x").err().contains("\tat "));
    }
}
