package hrm.cli;

import hrm.train.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exit codes of {@link Main#commandLine}: what the user gave wrong is one line and exit 2; a bug
 * (an {@link IllegalStateException}, a {@link NullPointerException}, ...) keeps its stack trace and
 * exits 1. A stand-in command throws each kind; a real command refuses an impossible request.
 */
class ExitCodesTest {
    /** Throws the exception its argument names, as a command's body would. */
    @Command(name = "fail")
    static final class Fail implements Runnable {
        @Parameters(index = "0")
        String kind;

        @Override
        public void run() {
            switch (kind) {
                case "state" -> throw new IllegalStateException("an invariant broke");
                case "null" -> {
                    String s = System.getProperty("hrm.exit-codes-test.no-such-property");
                    System.out.println(s.length()); // a real NullPointerException, with the JDK's helpful message
                }
                case "argument" -> throw new IllegalArgumentException("--blanks 99: must be in 1..35");
                case "config" -> throw new ConfigException("arch.hiden_size: unknown key");
                case "io" -> throw new UncheckedIOException("data_path = /nowhere", new NoSuchFileException("/nowhere"));
                default -> throw new AssertionError(kind);
            }
        }
    }

    record Run(int code, String err) {}

    private static Run fail(String kind) {
        CommandLine cl = Main.commandLine(Map.of());
        cl.addSubcommand("fail", new Fail());
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true)); // after addSubcommand: picocli hands it down to the subcommands
        return new Run(cl.execute("fail", kind), err.toString());
    }

    private static void assertTrace(Run r, String exception) {
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith(exception), r.err());
        assertTrue(r.err().contains("\tat hrm.cli.ExitCodesTest$Fail.run("), "the trace names where it happened: " + r.err());
    }

    private static void assertOneLine(Run r, String line) {
        assertEquals(2, r.code(), r.err());
        assertEquals(line, r.err().strip());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void anInternalErrorKeepsItsStackTraceAndExits1() {
        assertTrace(fail("state"), "java.lang.IllegalStateException: an invariant broke");
        assertTrace(fail("null"), "java.lang.NullPointerException");
    }

    @Test
    void badInputIsOneLineAndExits2() {
        assertOneLine(fail("argument"), "hrm fail: --blanks 99: must be in 1..35");
        assertOneLine(fail("config"), "hrm fail: arch.hiden_size: unknown key");
        assertOneLine(fail("io"), "hrm fail: data_path = /nowhere");
    }

    @Test
    void anImpossibleRequestIsBadInput(@TempDir Path tmp) {
        // 35 blanks of 36 leave no 6x6 puzzle with one solution: the generator gives up and says so
        Path out = tmp.resolve("six");
        SingleProcessTest.Run r = SingleProcessTest.run(Map.of(), "data", "sudoku6", "--output-dir", out.toString(),
                "--train-puzzles", "1", "--test-puzzles", "1", "--blanks", "35");
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("hrm data sudoku6: could not draw 1 distinct 6x6 puzzles with 35 blanks"), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
