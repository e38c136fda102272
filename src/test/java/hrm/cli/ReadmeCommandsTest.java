package hrm.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every concrete {@code ./hrm} command line in the README's code blocks (not the synopses with
 * [options], A|B or placeholders) names commands and options that exist, with values they take:
 * parsed as the CLI parses it, without running it. What a command then does with its KEY=VALUE
 * list is checked by each command's own tests.
 */
class ReadmeCommandsTest {
    /** A synopsis rather than a command: a word opening with '[', ' | ', a <placeholder>, a lone "...", a redirection. */
    private static final java.util.regex.Pattern SYNOPSIS = java.util.regex.Pattern.compile("(^|\\s)\\[|\\s\\|\\s|<[A-Za-z0-9]|(^|\\s)\\.\\.\\.(\\s|$)|\\s[<>]\\s");
    @Test
    void theReadmesCommandLinesParse() throws IOException {
        List<String> commands = commandLines(Files.readAllLines(Path.of("README.md")));
        assertTrue(commands.size() >= 8, "found " + commands);
        List<String> refused = new ArrayList<>();
        for (String c : commands) {
            try {
                Main.commandLine().parseArgs(words(c.substring("./hrm ".length())).toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                refused.add(c + "\n    -> " + e.getMessage());
            }
        }
        assertEquals(List.of(), refused, "README command lines the CLI refuses");
    }

    /** Lines of indented code blocks starting with ./hrm, continuations joined, comments and synopses left out. */
    static List<String> commandLines(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.startsWith("    ./hrm ")) continue;
            StringBuilder c = new StringBuilder(l.strip());
            while (c.toString().endsWith("\\") && i + 1 < lines.size()) {
                c.setLength(c.length() - 1);
                c.append(' ').append(lines.get(++i).strip());
            }
            String cmd = c.toString().replaceFirst("\\s+#.*$", "").strip();
            if (SYNOPSIS.matcher(cmd).find()) continue;
            out.add(cmd);
        }
        return out;
    }

    /** A shell's words: split on blanks, single and double quotes grouping. */
    static List<String> words(String s) {
        List<String> w = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean any = false;
        char quote = 0;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) quote = 0;
                else cur.append(ch);
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                any = true;
            } else if (Character.isWhitespace(ch)) {
                if (any || !cur.isEmpty()) w.add(cur.toString());
                cur.setLength(0);
                any = false;
            } else {
                cur.append(ch);
            }
        }
        if (any || !cur.isEmpty()) w.add(cur.toString());
        return w;
    }
}
