package hrm.eval;

import hrm.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class EvalOutputsTest {
    @TempDir
    Path dir;

    /** Two examples of 4 tokens: the first right (its ignored position differs), the second wrong at positions 1 and 3. */
    private void writeSet(String name) throws Exception {
        Files.writeString(dir.resolve("metrics.json"), "{\"all\": {\"exact_accuracy\": 0.5}, \"data_path\": \"data/x\"}");
        Npy.writeInts(dir.resolve(name + "__inputs.npy"), new int[] {1, 2, 1, 3, 4, 1, 1, 2}, 2, 4);
        Npy.writeInts(dir.resolve(name + "__labels.npy"), new int[] {-100, 2, 5, 3, 4, 6, 7, 2}, 2, 4);
        Npy.writeInts(dir.resolve(name + "__predictions.npy"), new int[] {9, 2, 5, 3, 4, 5, 7, 8}, 2, 4);
        Npy.writeInts(dir.resolve(name + "__puzzle_identifiers.npy"), new int[] {0, 3}, 2);
        Npy.writeFloats(dir.resolve(name + "__q_halt.npy"), new float[] {1.5f, -0.25f}, 2);
    }

    @Test
    void readsBackWhatEachExampleGot() throws Exception {
        writeSet("all");
        EvalOutputs out = EvalOutputs.open(dir);
        assertEquals(Path.of("data/x"), out.dataPath());
        assertEquals(0.5, out.metrics().get("all").get("exact_accuracy").asDouble());
        EvalOutputs.SetOutputs set = out.set("all");
        assertEquals(2, set.examples());
        assertEquals(4, set.seqLen());
        assertArrayEquals(new int[] {4, 1, 1, 2}, set.input(1));
        assertArrayEquals(new int[] {4, 5, 7, 8}, set.prediction(1));
        assertTrue(set.correct(0), "a difference at an ignored position does not count");
        assertFalse(set.correct(1));
        assertArrayEquals(new int[] {1, 3}, set.wrongCells(1));
        assertEquals(3, set.puzzleIdentifier(1));
        assertEquals(-0.25f, set.qHalt(1));
        assertThrows(IndexOutOfBoundsException.class, () -> set.input(2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> out.set("other")).getMessage().contains("[all]"));
    }

    @Test
    void aMissingOrMisshapenFileIsNamed() throws Exception {
        writeSet("all");
        Files.delete(dir.resolve("all__q_halt.npy"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalOutputs.open(dir)).getMessage().contains("all__q_halt.npy: missing"));
        Npy.writeFloats(dir.resolve("all__q_halt.npy"), new float[] {1f, 2f, 3f}, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalOutputs.open(dir)).getMessage().contains("all__q_halt.npy: shape [3], expected [2]"));
        Npy.writeFloats(dir.resolve("all__q_halt.npy"), new float[] {1f, 2f}, 2);
        Npy.writeInts(dir.resolve("all__labels.npy"), new int[] {1, 2, 3}, 1, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalOutputs.open(dir)).getMessage().contains("all__labels.npy: shape [1, 3]"));
        Files.writeString(dir.resolve("all__predictions.npy"), "not numpy");
        Npy.writeInts(dir.resolve("all__labels.npy"), new int[8], 2, 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalOutputs.open(dir)).getMessage().contains("all__predictions.npy"));
        Files.delete(dir.resolve("metrics.json"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EvalOutputs.open(dir)).getMessage().contains("no metrics.json"));
    }
}
