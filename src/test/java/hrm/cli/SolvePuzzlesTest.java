package hrm.cli;

import hrm.api.AnswerJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.data.sudoku.MiniSudoku;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hrm solve sudoku} on what can be refused before the model (givens that break a rule or
 * have no solution, a path that names no file), on files and standard input of many puzzles, and
 * in JSON. The model is the 9x9 fixture checkpoint of the parity tests; what it answers does not
 * matter here, only that every output tells the same answer and judges it right.
 */
class SolvePuzzlesTest {
    static final String CKPT = SolveInputTest.SUDOKU_CKPT;
    static final String MISSING_CKPT = "/nonexistent/step_1";
    static final String HARD = "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";
    static final String EASY = "..3.2.6..9..3.5..1..18.64....81.29..7.......8..67.82....26.95..8..2.3..9..5.1.3..";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;

    static PredictionConsistencyTest.Run solve(String ckpt, String... args) {
        List<String> a = new ArrayList<>(List.of("solve", "--checkpoint", ckpt, "--threads", "1"));
        a.addAll(List.of(args));
        return PredictionConsistencyTest.run(a.toArray(String[]::new));
    }

    static void assertRefused(PredictionConsistencyTest.Run r, String message) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("hrm solve: " + message, r.err().strip());
        assertEquals("", r.out(), "nothing printed: the model never ran");
    }

    @Test
    void badGivensAreRefusedBeforeTheCheckpointIsRead() throws Exception {
        // the checkpoint does not exist: its error would come first if it were read first
        assertRefused(solve(MISSING_CKPT, "sudoku", "5.....5.." + ".".repeat(72)), "givens break a rule: 5 twice in row 1 (r1c1, r1c7)");
        assertRefused(solve(MISSING_CKPT, "sudoku", "12345678." + "........9" + ".".repeat(63)),
                "the puzzle has no solution: its givens keep the rules, but no grid completes them");
        Path f = Files.writeString(tmp.resolve("p.txt"), HARD + "\n# next\n" + "12.. ...4 " + ".".repeat(8) + "\n");
        assertRefused(solve(MISSING_CKPT, "sudoku", f.toString()), f + ":3: a 16-cell puzzle after 81-cell ones (line 1): one size a file, as a model solves one size");
        Files.writeString(f, "12.. ...4 ........\n1..4.41..14.4..1\n");
        assertRefused(solve(MISSING_CKPT, "sudoku", f.toString()), f + ":1: the puzzle has no solution: its givens keep the rules, but no grid completes them");
        Files.writeString(f, HARD + "\n" + "7.7" + ".".repeat(78) + "\n");
        assertRefused(solve(MISSING_CKPT, "sudoku", f.toString()), f + ":2: givens break a rule: 7 twice in row 1 (r1c1, r1c3)");
        Files.writeString(f, HARD + "\n\n" + HARD.substring(1) + "\n");
        assertRefused(solve(MISSING_CKPT, "sudoku", f.toString()), f + ":3: a Sudoku of 80 cells: expected 16 (4x4), 36 (6x6) or 81 (9x9)");
        // and the checkpoint's own error once the puzzle is fine
        PredictionConsistencyTest.Run r = solve(MISSING_CKPT, "sudoku", HARD);
        assertEquals(2, r.code());
        assertTrue(r.err().contains(MISSING_CKPT), r.err());
    }

    @Test
    void textThatLooksLikeAPathIsNeverReadAsCells() {
        for (String p : new String[] {"puzzles/hard", "hard.txt", "task.json", tmp.resolve("gone").toString()})
            assertRefused(solve(MISSING_CKPT, "sudoku", p), p + ": no such file (a Sudoku is its cells, or a file of puzzles one a line)");
    }

    /** Several puzzles: one line each, answer then verdict, and a summary; the same from a file and from stdin, and as in JSON. */
    @Test
    void aFileOfPuzzlesAnswersOneLineEachLikeStdinAndJson() throws Exception {
        String text = "# two puzzles\n" + HARD + "\n\n" + EASY + "\n";
        Path f = Files.writeString(tmp.resolve("two.txt"), text);
        PredictionConsistencyTest.Run file = solve(CKPT, "sudoku", f.toString());
        assertTrue(file.code() == 0 || file.code() == 1, file.err());
        List<String> lines = file.out().lines().toList();
        assertEquals(3, lines.size(), file.out());
        PredictionConsistencyTest.Run json = solve(CKPT, "--json", "sudoku", f.toString());
        assertEquals(file.code(), json.code(), json.err());
        List<JsonNode> objects = new ArrayList<>();
        for (String l : json.out().lines().toList()) objects.add(JSON.readTree(l));
        assertEquals(2, objects.size(), json.out());
        int valid = 0;
        String[] puzzles = {HARD, EASY};
        long[] lineNos = {2, 4};
        for (int i = 0; i < 2; i++) {
            JsonNode o = objects.get(i);
            assertEquals("sudoku", o.get("kind").asText());
            assertEquals(lineNos[i], o.get("line").asLong());
            assertEquals(flatten(MiniSudoku.parse(puzzles[i])), cells(o.get("puzzle")), "the puzzle as rows, 0 blank");
            String answer = cells(o.get("answer"));
            assertEquals(81, answer.length());
            String line = lines.get(i);
            assertEquals(answer.replace('0', '.'), line.substring(0, 81), "the text line's answer is the JSON's");
            boolean ok = o.get("valid").asBoolean();
            if (ok) valid++;
            assertEquals(ok ? " valid" : " invalid: " + o.get("why").asText(), line.substring(81));
            assertEquals(ok, o.get("why").isNull());
            assertEquals(ok, MiniSudoku.forCells(81).check(MiniSudoku.parse(puzzles[i]), digits(answer)) == null, "valid is the board's check");
            assertTrue(o.get("segments").asInt() >= 1 && o.get("halted_at").asInt() >= 1 && o.get("halted_at").asInt() <= o.get("segments").asInt(), o.toString());
        }
        assertEquals(valid + " solved of 2", lines.get(2));
        assertEquals(valid == 2 ? 0 : 1, file.code());

        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            PredictionConsistencyTest.Run stdin = solve(CKPT, "sudoku", "-");
            assertEquals(file.code(), stdin.code(), stdin.err());
            assertEquals(file.out(), stdin.out(), "stdin answers as the file does");
            System.setIn(new ByteArrayInputStream((HARD + "\nnot a puzzle\n").getBytes(StandardCharsets.UTF_8)));
            assertRefused(solve(CKPT, "sudoku", "-"), "stdin:2: a Sudoku of 10 cells: expected 16 (4x4), 36 (6x6) or 81 (9x9)");
        } finally {
            System.setIn(saved);
        }
    }

    /** One puzzle: the grid printed as before, its changed givens named; the JSON answer is the grid the text shows. */
    @Test
    void changedGivensAreNamedInTextAndJson() throws Exception {
        PredictionConsistencyTest.Run text = solve(CKPT, "sudoku", HARD);
        PredictionConsistencyTest.Run json = solve(CKPT, "--json", "sudoku", HARD);
        assertEquals(text.code(), json.code(), json.err());
        JsonNode o = JSON.readTree(json.out());
        assertEquals(1, json.out().lines().count(), "one object, one line");
        assertFalse(o.has("line"), "a puzzle given as cells has no line");
        int[] puzzle = MiniSudoku.parse(HARD), answer = digits(cells(o.get("answer")));
        MiniSudoku board = MiniSudoku.forCells(81);
        String shown = text.out().substring(text.out().indexOf("answer:\n") + "answer:\n".length());
        assertTrue(shown.startsWith(board.format(answer)), "the text's grid is the JSON's answer:\n" + shown);
        List<String> changed = new ArrayList<>();
        for (int c = 0; c < 81; c++)
            if (puzzle[c] != 0 && answer[c] != puzzle[c]) changed.add("r" + (c / 9 + 1) + "c" + (c % 9 + 1) + " from " + puzzle[c] + " to " + answer[c]);
        assertFalse(changed.isEmpty(), "the fixture's model answers a grid of 9s, changing the givens that are not 9");
        JsonNode list = o.get("changed_givens");
        assertEquals(changed.size(), list.size());
        for (int i = 0; i < changed.size(); i++) {
            JsonNode c = list.get(i);
            assertEquals(changed.get(i), c.get("cell").asText() + " from " + c.get("given").asInt() + " to " + c.get("answer").asInt());
            assertEquals(c.get("cell").asText(), "r" + c.get("row").asInt() + "c" + c.get("column").asInt());
        }
        String why = "the model changed givens " + String.join(", ", changed.subList(0, 3)) + " and " + (changed.size() - 3) + " more";
        assertEquals(why, o.get("why").asText());
        assertFalse(o.get("valid").asBoolean());
        assertEquals(1, text.code());
        assertTrue(text.out().contains("\nnot a valid solution: " + why + "\n"), text.out());
        assertTrue(text.out().contains("ACT would halt after segment " + o.get("halted_at").asInt() + " of " + o.get("segments").asInt()), text.out());
    }

    @Test
    void stepsTakeOnePuzzleAsText() throws Exception {
        assertRefused(solve(CKPT, "--json", "--steps", "sudoku", HARD), "--steps prints every segment as text: leave out --json");
        Path f = Files.writeString(tmp.resolve("two.txt"), HARD + "\n" + EASY + "\n");
        assertRefused(solve(MISSING_CKPT, "--steps", "sudoku", f.toString()), "--steps shows one puzzle's segments: " + f + " holds 2 puzzles");
    }

    /** ARC's JSON (the fixture ARC checkpoint cannot run a real task): colours in rows, and valid unknown without an expected output. */
    @Test
    void arcGridsAreRowsOfColoursAndAnUnknownVerdictIsNull() throws Exception {
        var arc = new hrm.api.Puzzle.Arc("task", 1, hrm.data.arc.ArcGrid.of(2, 3, 1, 2, 3, 4, 5, 6), null);
        int[] canvas = new int[hrm.data.arc.ArcCanvas.SEQ_LEN];
        hrm.data.arc.ArcCanvas.place(hrm.data.arc.ArcGrid.of(1, 2, 0, 9), 0, 0, canvas);
        var segs = List.of(new hrm.eval.SinglePuzzleRun.Segment(new int[0], -1, 1, false), new hrm.eval.SinglePuzzleRun.Segment(new int[0], 2, 1, true),
                new hrm.eval.SinglePuzzleRun.Segment(new int[0], 3, 1, true));
        var o = AnswerJson.of(hrm.api.Answer.of(arc, segs, canvas), null);
        JsonNode back = JSON.readTree(o.toString());
        assertEquals("[[1,2,3],[4,5,6]]", back.get("puzzle").toString());
        assertEquals("[[0,9]]", back.get("answer").toString());
        assertTrue(back.get("valid").isNull());
        assertEquals("the task gives no expected output for this test input", back.get("why").asText());
        assertFalse(back.has("expected_matches"));
        assertEquals(3, back.get("segments").asInt());
        assertEquals(2, back.get("halted_at").asInt(), "q_halt > q_continue first after segment 2");
    }

    private static String cells(JsonNode rows) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode row : rows) for (JsonNode v : row) sb.append(v.asInt());
        return sb.toString();
    }

    private static String flatten(int[] cells) {
        StringBuilder sb = new StringBuilder();
        for (int v : cells) sb.append(v);
        return sb.toString();
    }

    private static int[] digits(String s) {
        return s.chars().map(c -> c - '0').toArray();
    }
}
