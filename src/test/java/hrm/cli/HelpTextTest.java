package hrm.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code hrm --help} lists: every command with a summary of one line that ends as a sentence does. */
class HelpTextTest {
    @Test
    void everyCommandHasAOneLineSummary() {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        assertEquals(0, cl.execute("--help"));
        List<String> lines = out.toString().lines().toList();
        int at = lines.indexOf("Commands:");
        assertTrue(at > 0, out.toString());
        List<String> listed = lines.subList(at + 1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(cl.getSubcommands().size(), listed.size(), "one line per command (none wraps):\n" + out);
        for (String l : listed) {
            assertTrue(l.length() <= 80, "fits 80 columns: " + l);
            assertFalse(l.strip().endsWith(":"), "a summary, not the start of a list: " + l);
            assertTrue(l.strip().split("\\s+", 2).length == 2, "has a summary: " + l);
        }
    }
}
