package hrm.data.arc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ArcTaskReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    @Test
    void readsPairsInTheFileOrderOfTheLists() throws IOException {
        Path f = write("abc.json", """
                {"test": [{"input": [[1]], "output": [[2]]}],
                 "train": [{"input": [[0, 1], [2, 3]], "output": [[4, 5, 6]]}, {"input": [[9]], "output": [[8]]}]}""");
        ArcTask t = ArcTaskReader.read(f);
        assertEquals("abc", t.name());
        assertEquals(3, t.pairs().size());
        assertTrue(t.pairs().get(0).test());
        assertEquals(ArcGrid.of(2, 2, 0, 1, 2, 3), t.pairs().get(1).input());
        assertEquals(ArcGrid.of(1, 3, 4, 5, 6), t.pairs().get(1).output());
        assertEquals(2, t.demonstrations().size());
        assertEquals(1, t.tests().size());
    }

    @Test
    void aNameKeyNamesTheTask() throws IOException {
        Path f = write("file.json", """
                {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[1]], "output": [[2]]}], "name": "real"}""");
        assertEquals("real", ArcTaskReader.read(f).name());
    }

    @Test
    void readsTheSharedArcFiles() {
        ArcTask t = ArcTaskReader.read(Path.of("testdata/arc/arc-agi-1/data/training/007bbfb7.json"));
        assertEquals(6, t.pairs().size());
        assertEquals(3, t.pairs().get(0).input().rows());
        assertEquals(9, t.pairs().get(0).output().cols());
    }

    private String error(String json) throws IOException {
        Path f = write("bad.json", json);
        ArcFormatException e = assertThrows(ArcFormatException.class, () -> ArcTaskReader.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void badInputNamesTheFileAndTheField() throws IOException {
        String ok = "{\"input\": [[1]], \"output\": [[2]]}";
        assertTrue(error("{\"train\": [" + ok + "]}").contains("'test': missing"));
        assertTrue(error("{\"test\": [" + ok + "]}").contains("'train': missing"));
        assertTrue(error("{\"train\": [{\"input\": [[1]]}], \"test\": [" + ok + "]}").contains("'train[0].output': missing"));
        assertTrue(error("{\"train\": [" + ok + "], \"test\": [{\"input\": [[1, 2], [3]], \"output\": [[1]]}]}")
                .contains("'test[0].input[1]': ragged grid"));
        assertTrue(error("{\"train\": [{\"input\": [[1, 10]], \"output\": [[2]]}], \"test\": [" + ok + "]}")
                .contains("'train[0].input[0][1]': colour 10"));
        assertTrue(error("{\"train\": [{\"input\": [[-1]], \"output\": [[2]]}], \"test\": [" + ok + "]}")
                .contains("'train[0].input[0][0]'"));
        assertTrue(error("{\"train\": [{\"input\": [[1.5]], \"output\": [[2]]}], \"test\": [" + ok + "]}")
                .contains("'train[0].input[0][0]'"));
        String wide = "[[" + "0,".repeat(30) + "0]]";
        assertTrue(error("{\"train\": [{\"input\": " + wide + ", \"output\": [[2]]}], \"test\": [" + ok + "]}")
                .contains("'train[0].input[0]': 31 columns"));
        String tall = "[" + "[0],".repeat(30) + "[0]]";
        assertTrue(error("{\"train\": [" + ok + "], \"test\": [{\"input\": [[0]], \"output\": " + tall + "}]}")
                .contains("'test[0].output': 31 rows"));
        assertTrue(error("{\"train\": [], \"test\": [" + ok + "]}").contains("'train': has no pairs"));
        assertTrue(error("{\"train\": [" + ok + "], \"test\": [" + ok + "], \"extra\": 1}").contains("'extra': unknown key"));
        assertTrue(error("{\"train\": [" + ok + "], \"test\": [{\"input\": [], \"output\": [[1]]}]}").contains("'test[0].input'"));
        assertTrue(error("{\"train\": [").contains("not valid JSON"));
        assertTrue(error("[1, 2]").contains("expected a JSON object"));
    }
}
