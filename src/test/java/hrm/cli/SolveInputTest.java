package hrm.cli;

import hrm.data.maze.MazeTokens;
import hrm.api.PuzzleFit;
import hrm.train.TrainCheckpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code hrm solve} takes (issue 18): maze files with any line ends and lines that lost their
 * trailing spaces, printed row by row; only ASCII digits and givens that keep the rules in a Sudoku;
 * and no puzzle of another kind than the checkpoint was trained on, refused before the model runs.
 * A tiny model trained here on 7x7 mazes is the maze checkpoint.
 */
class SolveInputTest {
    static final String SUDOKU_CKPT = "testdata/parity/sudoku/checkpoint/step_1007"; // 9x9 Sudoku, vocabulary 11
    static final String ARC_CKPT = "testdata/parity/arc/checkpoint/step_1007"; // ARC, vocabulary 12
    static final String ARC_TASK = "testdata/arc/arc-agi-1/data/evaluation/f9d67f8b.json";
    /** 7x7, every line ending CRLF; the second has lost its trailing spaces. */
    static final String MAZE = "#######\r\n#S\r\n# ### #\r\n#   # #\r\n# #   #\r\n#    G#\r\n#######\r\n";
    static final List<String> ROWS = List.of("#######", "#S     ", "# ### #", "#   # #", "# #   #", "#    G#", "#######");
    @TempDir
    static Path tmp;
    static String mazeCkpt;

    @BeforeAll
    static void trainATinyMazeModel() throws Exception {
        Path data = tmp.resolve("mazes");
        PredictionConsistencyTest.Run built = PredictionConsistencyTest.run("data", "maze", "--generate", "16", "--size", "7", "--min-path-length", "4",
                "--test-count", "4", "--output-dir", data.toString());
        assertEquals(0, built.code(), built.err());
        Path run = tmp.resolve("run");
        PredictionConsistencyTest.Run trained = PredictionConsistencyTest.run("train", "data_path=" + data, "checkpoint_path=" + run, "global_batch_size=8",
                "epochs=2", "eval_interval=2", "lr_warmup_steps=1", "arch.hidden_size=16", "arch.num_heads=1", "arch.H_layers=1", "arch.L_layers=1",
                "arch.H_cycles=1", "arch.L_cycles=1", "arch.halt_max_steps=2", "arch.puzzle_emb_ndim=0", "threads=1");
        assertEquals(0, trained.code(), trained.err());
        mazeCkpt = TrainCheckpoint.locate(run).toString();
    }

    static PredictionConsistencyTest.Run solve(String ckpt, String kind, String puzzle) {
        return PredictionConsistencyTest.run("solve", "--checkpoint", ckpt, "--threads", "1", kind, puzzle);
    }

    static Path write(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void mazeLinesEndInLfCrLfOrCrAndShortLinesAreOpenCells() throws Exception {
        int[] want = MazeTokens.question(String.join("", ROWS));
        for (String end : new String[] {"\n", "\r\n", "\r"})
            assertArrayEquals(want, MazeSolve.read(write("m.txt", MAZE.replace("\r\n", end))), "line ends " + end.replace("\r", "CR").replace("\n", "LF"));
    }

    @Test
    void aMazeIsPrintedRowByRow() throws Exception {
        PredictionConsistencyTest.Run r = solve(mazeCkpt, "maze", write("crlf.txt", MAZE).toString());
        assertTrue(r.code() == 0 || r.code() == 1, r.err());
        String shown = r.out().substring(r.out().indexOf("maze:\n") + "maze:\n".length());
        assertEquals(String.join("\n", ROWS), shown.substring(0, 7 * 8 - 1), r.out());
        String answer = r.out().substring(r.out().indexOf("answer:\n") + "answer:\n".length());
        assertEquals(7, answer.lines().limit(7).filter(l -> l.length() == 7).count(), "the answer too: " + r.out());
    }

    @Test
    void aPuzzleOfAnotherKindIsRefusedBeforeTheModelRuns() throws Exception {
        String maze = write("m7.txt", MAZE).toString();
        assertKind(solve(ARC_CKPT, "maze", maze), ARC_CKPT, "was trained on ARC tasks (a vocabulary of 12 tokens", "it cannot solve a maze");
        assertKind(solve(SUDOKU_CKPT, "maze", maze), SUDOKU_CKPT, "was trained on Sudoku (a vocabulary of 11 tokens", "it cannot solve a maze");
        assertKind(solve(mazeCkpt, "sudoku", ".".repeat(81)), mazeCkpt, "was trained on mazes (a vocabulary of 6 tokens, 49 cells", "it cannot solve a Sudoku");
        assertKind(solve(mazeCkpt, "sudoku", ".".repeat(16)), mazeCkpt, "was trained on mazes", "it cannot solve a Sudoku");
        assertKind(solve(mazeCkpt, "arc", ARC_TASK), mazeCkpt, "was trained on mazes", "it cannot solve an ARC task");
        assertKind(solve(SUDOKU_CKPT, "arc", ARC_TASK), SUDOKU_CKPT, "was trained on Sudoku", "it cannot solve an ARC task");
        assertKind(solve(ARC_CKPT, "sudoku", ".".repeat(81)), ARC_CKPT, "was trained on ARC tasks", "it cannot solve a Sudoku");
    }

    private static void assertKind(PredictionConsistencyTest.Run r, String ckpt, String... parts) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("", r.out(), "nothing printed, the model never ran");
        assertTrue(r.err().startsWith("hrm solve: the checkpoint " + ckpt), r.err());
        for (String p : parts) assertTrue(r.err().contains(p), p + " in " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aVocabularySmallerThanThePuzzlesTokensIsRefused() {
        // a checkpoint of a dataset of its own (vocabulary 5) and a 9x9 Sudoku, whose digit 9 is token 10
        assertEquals("was trained on a dataset of its own (a vocabulary of 5 tokens): this puzzle's tokens go up to 10, beyond its vocabulary",
                PuzzleFit.refusal("sudoku", 10, 5, 0));
        assertNull(PuzzleFit.refusal("sudoku", 5, 11, 0), "a 4x4 Sudoku's tokens fit 9x9 Sudoku weights (the size is checked where it is known)");
        assertNull(PuzzleFit.refusal("maze", 4, 6, 0), "vocabulary 6 without a length: a maze or a 4x4 Sudoku");
        assertNull(PuzzleFit.refusal("sudoku", 5, 6, 0));
    }

    @Test
    void sudokuDigitsAreAsciiOnly() {
        String blanks = ".".repeat(80);
        for (String[] c : new String[][] {{"\u0663" + blanks, "row 1 column 1: '\u0663' (U+0663)"}, {blanks + "\uFF18", "row 9 column 9: '\uFF18' (U+FF18)"},
                {"\u06F5" + blanks, "row 1 column 1: '\u06F5' (U+06F5)"}}) {
            PredictionConsistencyTest.Run r = solve(SUDOKU_CKPT, "sudoku", c[0]);
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains(c[1]) && r.err().contains("only ASCII digits"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void givensThatBreakARuleAreRefusedNamingTheCells() {
        String row = "5.5" + ".".repeat(78), column = "7" + ".".repeat(17) + "7" + ".".repeat(62), box = "3" + ".".repeat(9) + "3" + ".".repeat(70);
        assertGivens(solve(SUDOKU_CKPT, "sudoku", row), "5 twice in row 1 (r1c1, r1c3)");
        assertGivens(solve(SUDOKU_CKPT, "sudoku", column), "7 twice in column 1 (r1c1, r3c1)");
        assertGivens(solve(SUDOKU_CKPT, "sudoku", box), "3 twice in box 1 (r1c1, r2c2)");
    }

    @Test
    void aMisspeltKindGetsTheNearestOne() {
        PredictionConsistencyTest.Run r = solve(SUDOKU_CKPT, "sudok", ".".repeat(81));
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("hrm solve: unknown puzzle kind 'sudok'; did you mean sudoku? (sudoku, maze or arc)", r.err().strip());
    }

    private static void assertGivens(PredictionConsistencyTest.Run r, String cells) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("hrm solve: givens break a rule: " + cells, r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void aMazeFromStdinAnswersInJsonAsInText() throws Exception {
        PredictionConsistencyTest.Run text = solve(mazeCkpt, "maze", write("m.txt", MAZE).toString());
        java.io.InputStream saved = System.in;
        PredictionConsistencyTest.Run json;
        try {
            System.setIn(new java.io.ByteArrayInputStream(MAZE.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            json = PredictionConsistencyTest.run("solve", "--checkpoint", mazeCkpt, "--threads", "1", "--json", "maze", "-");
        } finally {
            System.setIn(saved);
        }
        assertEquals(text.code(), json.code(), json.err());
        com.fasterxml.jackson.databind.JsonNode o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals("maze", o.get("kind").asText());
        assertEquals(ROWS, rows(o.get("puzzle")));
        String answer = text.out().substring(text.out().indexOf("answer:\n") + "answer:\n".length());
        assertEquals(answer.lines().limit(7).toList(), rows(o.get("answer")), "the rows the text shows");
        assertEquals(text.code() == 0, o.get("valid").asBoolean());
        assertEquals(text.code() == 0, o.get("why").isNull());
        assertTrue(text.out().contains("ACT would halt after segment " + o.get("halted_at").asInt() + " of " + o.get("segments").asInt()), text.out());
    }

    private static List<String> rows(com.fasterxml.jackson.databind.JsonNode a) {
        List<String> out = new java.util.ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void helpExamplesFitAnEightyColumnTerminalAndPaste() {
        PredictionConsistencyTest.Run r = PredictionConsistencyTest.run("solve", "--help");
        for (String line : r.out().lines().toList()) assertTrue(line.length() <= 80, line.length() + " columns: " + line);
        // the 9x9 example spans two lines inside one quoted argument; the spaces and line end between are ignored
        String help = r.out();
        int open = help.indexOf("sudoku '") + "sudoku '".length(), close = help.indexOf('\'', open);
        int[] cells = hrm.data.sudoku.MiniSudoku.parse(help.substring(open, close));
        assertEquals(81, cells.length);
        assertArrayEquals(hrm.data.sudoku.MiniSudoku.parse("4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......"), cells);
    }

    @Test
    void helpListsTheExitCodes() {
        PredictionConsistencyTest.Run r = PredictionConsistencyTest.run("solve", "--help");
        assertEquals(0, r.code());
        String help = r.out().substring(r.out().indexOf("Exit codes:"));
        assertTrue(help.contains("0   every answer is right") && help.contains("1   the model answered and some answer is not right")
                && help.contains("2   bad input"), help);
    }
}
