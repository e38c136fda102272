package hrm.data.maze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hrm.data.DatasetException;
import hrm.data.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MazeCsvTest {
    static final Path CSV_DIR = Path.of("testdata/reference-datasets/maze-csv");
    static final Path FIXTURE = Path.of("testdata/reference-datasets/maze");

    @TempDir
    Path tmp;

    @Test
    void fixtureFilesRoundTripByteForByte() throws IOException {
        for (String name : new String[] {"train.csv", "test.csv"}) {
            List<Maze> mazes = MazeCsv.read(CSV_DIR.resolve(name));
            assertEquals(name.equals("train.csv") ? 20 : 10, mazes.size());
            Path copy = tmp.resolve(name);
            MazeCsv.write(copy, mazes);
            assertArrayEquals(Files.readAllBytes(CSV_DIR.resolve(name)), Files.readAllBytes(copy), name);
            List<Maze> again = MazeCsv.read(copy);
            for (int i = 0; i < mazes.size(); i++) {
                assertArrayEquals(mazes.get(i).input(), again.get(i).input());
                assertArrayEquals(mazes.get(i).label(), again.get(i).label());
                assertEquals(mazes.get(i).rating(), again.get(i).rating());
                assertEquals(mazes.get(i).source(), again.get(i).source());
            }
        }
    }

    @Test
    void aBinaryFileIsNamedAsSuch(@TempDir Path tmp) throws IOException {
        Path bin = tmp.resolve("maze.bin");
        Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0x80, 'x', '\n'});
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> MazeCsv.read(bin));
        assertTrue(e.getMessage().contains(bin.toString()) && e.getMessage().contains("not UTF-8 text"), e.getMessage());
    }

    @Test
    void tokensMatchTheReferenceBuildersArrays() {
        // The fixture's test split holds the test mazes in file order, unaugmented.
        List<Maze> mazes = MazeCsv.read(CSV_DIR.resolve("test.csv"));
        int[] inputs = Npy.read(FIXTURE.resolve("test/all__inputs.npy")).toInts();
        int[] labels = Npy.read(FIXTURE.resolve("test/all__labels.npy")).toInts();
        for (int i = 0; i < mazes.size(); i++) {
            Maze m = mazes.get(i);
            assertEquals(30, m.size());
            for (int c = 0; c < 900; c++) {
                assertEquals(inputs[i * 900 + c], m.input()[c], "maze " + i + " input cell " + c);
                assertEquals(labels[i * 900 + c], m.label()[c], "maze " + i + " label cell " + c);
            }
        }
        assertEquals(1, MazeTokens.token('#'));
        assertEquals(2, MazeTokens.token(' '));
        assertEquals(3, MazeTokens.token('S'));
        assertEquals(4, MazeTokens.token('G'));
        assertEquals(5, MazeTokens.token('o'));
        assertEquals(6, MazeTokens.VOCAB_SIZE);
    }

    @Test
    void fixtureLabelsAreShortestPathsAndRatingsTheirLength() {
        MazePathChecker checker = new MazePathChecker(30);
        for (String name : new String[] {"train.csv", "test.csv"})
            for (Maze m : MazeCsv.read(CSV_DIR.resolve(name))) {
                assertEquals(MazePathChecker.Verdict.SHORTEST_PATH, checker.check(m.input(), m.label()));
                assertEquals(m.rating() - 1, MazeGeneratorTest.count(m.label(), MazeTokens.PATH));
            }
    }

    private static final String Q = "#####" + "#S  #" + "# # #" + "#  G#" + "#####";
    private static final String A = "#####" + "#Soo#" + "# #o#" + "#  G#" + "#####";

    @Test
    void aSmallHandWrittenFileReads() throws IOException {
        Path f = write("x.csv", "source,question,answer,rating\r\n\"a,b\",%s,%s,4\r\n\nplain,%s,%s,\n".formatted(Q, A, Q, A));
        List<Maze> mazes = MazeCsv.read(f);
        assertEquals(2, mazes.size());
        assertEquals("a,b", mazes.get(0).source());
        assertEquals(4, mazes.get(0).rating());
        assertEquals(-1, mazes.get(1).rating());
        assertEquals(5, mazes.get(0).size());
        assertEquals(MazeTokens.START, mazes.get(0).input()[6]);
        assertEquals(MazeTokens.PATH, mazes.get(0).label()[7]);
    }

    @Test
    void badRowsNameTheFileTheLineAndTheFault() throws IOException {
        String header = "source,question,answer,rating\n";
        String good = "ok," + Q + "," + A + ",4\n";
        expect(header + good + "x," + Q + "," + A + "\n", "line 3", "3 fields");
        expect(header + good + "x," + Q + "#," + A + "#,4\n", "line 3", "26 characters, not a square");
        expect(header + good + "x," + Q + "," + A + "#,4\n", "line 3", "answer has 26 characters");
        String big = "#".repeat(36);
        expect(header + good + "x," + big + "," + big + ",1\n", "line 3", "6x6 grid but earlier rows are 5x5");
        expect(header + "x," + Q.replace("#S", "#x") + "," + A + ",4\n", "line 2", "'x' at row 2, column 2");
        expect(header + "x," + Q.replace("S  ", "So ") + "," + A + ",4\n", "line 2", "'o' at row 2, column 3");
        expect(header + "x," + Q + "," + A.replace("Soo", "So?") + ",4\n", "line 2", "answer: character '?'");
        expect(header + "x," + Q.replace("S  ", "S S") + "," + A.replace("Soo", "SoS") + ",4\n", "line 2", "2 S and 1 G");
        expect(header + "x," + Q.replace("G", " ") + "," + A.replace("G", " ") + ",4\n", "line 2", "1 S and 0 G");
        expect(header + "x," + Q + "," + A.replace("# #o#", "#oo ") + "#,4\n", "line 2", "'o' at row 3, column 3 where the question has '#'");
        expect(header + "x," + Q + "," + A.replace("#####", "####o") + ",4\n", "line 2", "only open cells may change");
        expect(header + "x," + Q + "," + A + ",four\n", "line 2", "rating 'four'");
        expect(header + "\"x," + Q + "," + A + ",4\n", "line 2", "unterminated quoted field");
        expect("source,puzzle,solution,rating\n" + good, "line 1", "header");
        expect("", "line 1", "empty file");
        DatasetException missing = assertThrows(DatasetException.class, () -> MazeCsv.read(tmp.resolve("nope.csv")));
        assertTrue(missing.getMessage().contains("nope.csv: no such file"), missing.getMessage());
    }

    private void expect(String content, String... parts) throws IOException {
        Path f = write("bad.csv", content);
        DatasetException e = assertThrows(DatasetException.class, () -> MazeCsv.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }

    private Path write(String name, String content) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        return f;
    }
}
