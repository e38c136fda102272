package hrm.cli;

import hrm.data.PuzzleDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ArcDataCommandTest {
    @TempDir
    Path tmp;

    private static int run(String... args) {
        return Main.commandLine().execute(args); // as ./hrm runs it: the one-line error policy is Main's
    }

    @Test
    void buildsThroughHrmDataArc() throws IOException {
        Path eval = Files.createDirectories(tmp.resolve("in/evaluation"));
        Files.writeString(eval.resolve("t.json"), """
                {"train": [{"input": [[1, 2]], "output": [[2, 1]]}], "test": [{"input": [[3, 4]], "output": [[4, 3]]}]}""");
        Path out = tmp.resolve("out");
        assertEquals(0, run("data", "arc", "--dataset-dirs", tmp.resolve("in").toString(), "--output-dir", out.toString(),
                "--num-aug", "3", "--seed", "1"));
        PuzzleDataset test = PuzzleDataset.open(out, "test");
        assertEquals(1, test.metadata().totalGroups());
        assertEquals(4, test.sets().get(0).puzzles());
        assertEquals(12, test.metadata().vocabSize());
        // An existing dataset is kept unless --overwrite is given.
        String[] again = {"data", "arc", "--dataset-dirs", tmp.resolve("in").toString(), "--output-dir", out.toString(), "--num-aug", "1"};
        assertEquals(2, run(again));
        assertEquals(4, PuzzleDataset.open(out, "test").sets().get(0).puzzles());
        String[] overwrite = java.util.Arrays.copyOf(again, again.length + 1);
        overwrite[again.length] = "--overwrite";
        assertEquals(0, run(overwrite));
        assertEquals(2, PuzzleDataset.open(out, "test").sets().get(0).puzzles());
    }

    @Test
    void badInputIsAnErrorExitNotAStackTrace() {
        assertEquals(2, run("data", "arc", "--dataset-dirs", tmp.resolve("none").toString(), "--output-dir", tmp.resolve("o").toString()));
        assertEquals(2, run("data", "arc", "--dataset-dirs", tmp.toString(), "--output-dir", tmp.resolve("o").toString(), "--num-aug", "-1"));
        assertFalse(Files.exists(tmp.resolve("o")));
    }
}
