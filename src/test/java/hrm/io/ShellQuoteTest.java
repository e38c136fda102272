package hrm.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Printed paths paste back into a shell as the one argument they were. */
public class ShellQuoteTest {
    @Test
    void aPlainPathIsLeftAsItIs() {
        assertEquals("checkpoints/sudoku-1k/run_2/step_10", ShellQuote.quote("checkpoints/sudoku-1k/run_2/step_10"));
        assertEquals("/tmp/a.b/c=d:e,f@g+h%i", ShellQuote.quote(Path.of("/tmp/a.b/c=d:e,f@g+h%i")));
    }

    @Test
    void spacesQuotesAndShellCharactersAreSingleQuoted() {
        assertEquals("'checkpoints/Nope ACT-torch/HierarchicalReasoningModel_ACTV1 bright-sparrow'",
                ShellQuote.quote("checkpoints/Nope ACT-torch/HierarchicalReasoningModel_ACTV1 bright-sparrow"));
        assertEquals("'it'\\''s'", ShellQuote.quote("it's"));
        assertEquals("'$HOME/x'", ShellQuote.quote("$HOME/x"));
        assertEquals("'~/run'", ShellQuote.quote("~/run"));
        assertEquals("''", ShellQuote.quote(""));
    }

    @Test
    void whatItPrintsIsReadBackByBashAsOneWord() throws Exception {
        for (String p : List.of("plain/step_1", "a b/c", "it's here", "''", "$(echo x) `true` \\z \"q\" *?[]!#;&|<>()", "~x", "tab\there"))
            assertEquals(List.of(p), words(ShellQuote.quote(p)), p);
    }

    /**
     * The words bash makes of {@code text} (what a user's paste becomes), or, where this machine has
     * no bash, the test is skipped by JUnit's assumption.
     */
    public static List<String> words(String text) throws Exception {
        Path bash = Path.of("/bin/bash");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(bash), "no bash here");
        // printf repeats its format for every argument: each word followed by a NUL, which no word can hold
        Process p = new ProcessBuilder(bash.toString(), "-c", "printf '%s\\0' " + text).redirectErrorStream(true).start();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        p.getInputStream().transferTo(got);
        assertEquals(0, p.waitFor(), got.toString(StandardCharsets.UTF_8));
        String s = got.toString(StandardCharsets.UTF_8);
        assertTrue(s.endsWith("\0"), s);
        return Arrays.asList(s.substring(0, s.length() - 1).split("\0", -1));
    }
}
