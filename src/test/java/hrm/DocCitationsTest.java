package hrm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sources cite documents the repository has, by sections those documents have.
 *
 * <p>The rule, over every {@code .java} file under {@code src/main/java} and {@code src/test/java}:
 * <ul>
 *   <li>A citation is {@code docs/<name>.md}, optionally followed by sections: {@code §K} or
 *   {@code §K.M}, several joined by a comma, "and", "to" or a dash ({@code docs/model.md §1.3 and §8}).
 *   It is checked wherever it appears, in comments and in string literals (help texts).</li>
 *   <li>{@code docs/<name>.md} must exist. Section K must be a heading of it that starts with
 *   {@code K.} ({@code ## 7. Loss and metrics}), subsection K.M a heading that starts with
 *   {@code K.M} ({@code ### 10.2 Training order}); headings inside fenced code blocks do not
 *   count.</li>
 *   <li>A {@code §} followed by a digit must belong to such a citation: a bare section number
 *   names no document.</li>
 *   <li>No comment may cite the specification the project was written from, which lives outside
 *   the repository, by its numbered sections, its file names or its folder ({@link #STALE} lists
 *   the forms): {@code docs/model.md} is the project's own description. String literals are left
 *   to their owners (a help text is code).</li>
 * </ul>
 * Maven runs the tests in the repository root, so the paths are relative to it.
 */
class DocCitationsTest {
    static final List<Path> SOURCE_ROOTS = List.of(Path.of("src/main/java"), Path.of("src/test/java"));

    /** {@code docs/<name>.md} and the section list after it. */
    static final Pattern CITATION = Pattern.compile(
            "docs/([A-Za-z0-9_.-]+\\.md)((?:(?:\\s*,\\s*|\\s+and\\s+|\\s+to\\s+|\\s*[-\u2013]\\s*|\\s+)§\\d+(?:\\.\\d+)?)*)");
    static final Pattern SECTION = Pattern.compile("§(\\d+(?:\\.\\d+)?)");
    static final Pattern BARE_SECTION = Pattern.compile("§\\d");
    /** Citations of the external specification, in any of the forms the sources used. */
    static final List<Pattern> STALE = List.of(
            Pattern.compile("(?i)\\bspecs?\\s+(?:trm\\s+)?sections?\\b"),
            Pattern.compile("(?i)\\b(?:hrm|trm)\\s+spec\\b"),
            Pattern.compile("(?i)\\b(?:hrm|trm)-spec\\b"),
            Pattern.compile("(?i)\\bdesign-notes\\b"),
            Pattern.compile("\\.\\./shared/docs\\b"));
    static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(\\d+(?:\\.\\d+)?)\\.?(?:\\s|$)");

    /** One comment or string literal of a source file: its text and the line it starts on. */
    record Piece(Path file, int line, String text, boolean comment) {
        String where() {
            return file + ":" + line;
        }
    }

    @Test
    void everyCitationNamesADocumentAndOneOfItsSections() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> sectionsOf = new HashMap<>();
        int files = 0, citations = 0;
        for (Path root : SOURCE_ROOTS) {
            List<Path> sources;
            try (Stream<Path> s = Files.walk(root)) {
                sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            for (Path file : sources) {
                files++;
                for (Piece piece : pieces(file, Files.readString(file, StandardCharsets.UTF_8))) {
                    Matcher m = CITATION.matcher(piece.text());
                    List<int[]> spans = new ArrayList<>();
                    while (m.find()) {
                        spans.add(new int[]{m.start(), m.end()});
                        citations++;
                        String doc = m.group(1);
                        Set<String> sections = sectionsOf.computeIfAbsent(doc, DocCitationsTest::sections);
                        if (sections == null) {
                            problems.add(piece.where() + ": docs/" + doc + " does not exist");
                            continue;
                        }
                        Matcher sm = SECTION.matcher(m.group(2));
                        while (sm.find())
                            if (!sections.contains(sm.group(1)))
                                problems.add(piece.where() + ": docs/" + doc + " has no section " + sm.group(1)
                                        + " (it has " + sections + ")");
                    }
                    Matcher bare = BARE_SECTION.matcher(piece.text());
                    while (bare.find()) {
                        int at = bare.start();
                        if (spans.stream().noneMatch(s -> s[0] <= at && at < s[1]))
                            problems.add(piece.where() + ": a section number without its document: '"
                                    + excerpt(piece.text(), at) + "' (cite docs/<name>.md §K)");
                    }
                    if (piece.comment())
                        for (Pattern p : STALE) {
                            Matcher sm = p.matcher(piece.text());
                            if (sm.find())
                                problems.add(piece.where() + ": cites the external specification: '"
                                        + excerpt(piece.text(), sm.start()) + "' (cite docs/model.md §K instead)");
                        }
                }
            }
        }
        assertTrue(files > 100, "only " + files + " source files found: run from the repository root");
        assertTrue(citations > 40, "only " + citations + " citations found: the scan is broken");
        if (!problems.isEmpty()) fail(problems.size() + " bad citations:\n" + String.join("\n", problems));
    }

    @Test
    void theRuleReadsSectionListsAndHeadings() {
        String S = "\u00a7"; // S and D not written out, or this test's own strings would be checked as citations
        String D = "docs" + "/";
        Matcher m = CITATION.matcher("the keys (" + D + "x.md " + S + "1.3 and " + S + "8; TRM's), " + D + "y.md, " + D + "x.md "
                + S + "2.1, " + S + "3: x");
        List<String> found = new ArrayList<>();
        while (m.find()) {
            Matcher s = SECTION.matcher(m.group(2));
            List<String> secs = new ArrayList<>();
            while (s.find()) secs.add(s.group(1));
            found.add(m.group(1) + secs);
        }
        assertEquals(List.of("x.md[1.3, 8]", "y.md[]", "x.md[2.1, 3]"), found);
        Set<String> h = headings(List.of("# Title", "## 1. Configuration", "### 1.1 Model keys", "```", "## 9. not a heading",
                "```", "## Notation", "#### 12.3. deep", "##7. no space"));
        assertEquals(Set.of("1", "1.1", "12.3"), h);
        List<Piece> p = pieces(Path.of("X.java"), "int a = 1; // see " + S + "7\nString s = \"// not a comment\"; /* c\n */ char q = '\"';"
                + " String t = \"\"\"\n   text \"block\"\n   \"\"\";");
        assertEquals(List.of(" see " + S + "7", "// not a comment", " c\n ", "\"", "\n   text \"block\"\n   "),
                p.stream().map(Piece::text).toList());
        assertEquals(List.of(true, false, true, false, false), p.stream().map(Piece::comment).toList());
        assertEquals(List.of(1, 2, 2, 3, 3), p.stream().map(Piece::line).toList());
    }

    /** The section numbers of {@code docs/<name>.md}, or null when there is no such document. */
    static Set<String> sections(String doc) {
        Path p = Path.of("docs", doc);
        if (!Files.isRegularFile(p)) return null;
        try {
            return headings(Files.readAllLines(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> headings(List<String> lines) {
        Set<String> out = new LinkedHashSet<>();
        boolean fenced = false;
        for (String line : lines) {
            if (line.startsWith("```")) fenced = !fenced;
            if (fenced) continue;
            Matcher m = HEADING.matcher(line);
            if (m.find()) out.add(m.group(1));
        }
        return out;
    }

    /**
     * The comments and string literals of a Java source, in order: line comments, block and doc
     * comments (without their delimiters), string and character literals and text blocks (without
     * their quotes, escapes left as written).
     */
    static List<Piece> pieces(Path file, String src) {
        List<Piece> out = new ArrayList<>();
        int i = 0, n = src.length(), line = 1;
        while (i < n) {
            char c = src.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (src.startsWith("//", i)) {
                int end = src.indexOf('\n', i);
                if (end < 0) end = n;
                out.add(new Piece(file, line, src.substring(i + 2, end), true));
                i = end;
            } else if (src.startsWith("/*", i)) {
                int end = src.indexOf("*/", i + 2);
                if (end < 0) end = n;
                String text = src.substring(i + 2, end);
                out.add(new Piece(file, line, text, true));
                line += count(text, '\n');
                i = Math.min(n, end + 2);
            } else if (src.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !src.startsWith("\"\"\"", end)) end += src.charAt(end) == '\\' ? 2 : 1;
                String text = src.substring(i + 3, Math.min(end, n));
                out.add(new Piece(file, line, text, false));
                line += count(text, '\n');
                i = Math.min(n, end + 3);
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && src.charAt(end) != c && src.charAt(end) != '\n') end += src.charAt(end) == '\\' ? 2 : 1;
                out.add(new Piece(file, line, src.substring(i + 1, Math.min(end, n)), false));
                i = Math.min(n, end + 1);
            } else {
                i++;
            }
        }
        return out;
    }

    private static int count(String s, char c) {
        int k = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == c) k++;
        return k;
    }

    private static String excerpt(String text, int at) {
        int from = Math.max(0, at - 30), to = Math.min(text.length(), at + 40);
        return text.substring(from, to).replaceAll("\\s+", " ").strip();
    }
}
