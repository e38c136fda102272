package hrm.data;

import hrm.model.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class PuzzleDatasetTest {
    static final Path FIXTURES = Path.of("testdata/reference-datasets");

    @Test
    void readsTheReferenceBuildersOutputUnchanged() {
        PuzzleDataset sudoku = PuzzleDataset.open(FIXTURES.resolve("sudoku"), "train");
        assertEquals(11, sudoku.metadata().vocabSize());
        PuzzleSet s = sudoku.sets().get(0);
        assertEquals(12, s.groups());
        assertEquals(48, s.puzzles());
        assertEquals(48, s.examples());
        int[] in = new int[81], lab = new int[81];
        s.input(0, in, 0);
        s.label(0, lab, 0);
        for (int i = 0; i < 81; i++) {
            assertTrue(in[i] >= 1 && in[i] <= 10, "sudoku input tokens are blank 1 or digit+1");
            assertTrue(lab[i] >= 2 && lab[i] <= 10, "sudoku labels are digits");
            if (in[i] != 1) assertEquals(in[i], lab[i], "givens agree with the solution");
        }
        PuzzleDataset arc = PuzzleDataset.open(FIXTURES.resolve("arc"), "test");
        assertEquals(1921, arc.identifiers().size());
        assertEquals("<blank>", arc.identifiers().get(0));
        assertEquals(400, arc.sets().get(0).groups());
        PuzzleDataset maze = PuzzleDataset.open(FIXTURES.resolve("maze"), "train");
        assertEquals(900, maze.metadata().seqLen());
        assertEquals(160, maze.examples());
    }

    @Test
    void writerRoundTripsAndIsAtomic(@TempDir Path tmp) {
        Path out = tmp.resolve("ds");
        DatasetWriter w = new DatasetWriter(out, 6, 4);
        PuzzleSetBuilder b = w.set("train", "all");
        int[][] ins = {{1, 2, 3, 4}, {2, 2, 2, 2}, {5, 4, 3, 2}};
        b.addExample(ins[0], ins[1]);
        b.addExample(ins[1], ins[2]);
        b.endPuzzle(1);
        b.addExample(ins[2], ins[0]);
        b.endPuzzle(2);
        b.endGroup();
        PuzzleSetBuilder t = w.set("test", "all");
        t.addExample(ins[2], ins[2]);
        t.endPuzzle(1);
        t.endGroup();
        w.commit(List.of("<blank>", "a", "b"));

        PuzzleDataset ds = PuzzleDataset.open(out, "train");
        PuzzleSet s = ds.sets().get(0);
        assertEquals(3, s.examples());
        assertEquals(2, s.puzzles());
        assertEquals(1, s.groups());
        assertEquals(2, s.puzzleStart(1));
        assertEquals(2, s.puzzleIdentifier(1));
        assertEquals(1.5, ds.metadata().meanPuzzleExamples());
        int[] got = new int[4];
        s.label(1, got, 0);
        assertArrayEquals(ins[2], got);
        assertEquals(List.of("<blank>", "a", "b"), ds.identifiers());
        assertEquals(Npy.DType.UINT8, Npy.read(out.resolve("train/all__inputs.npy")).dtype());

        // an existing dataset is not replaced unless asked (refused before any work), and a refused build leaves nothing behind
        DatasetWriter again = new DatasetWriter(out, 6, 4);
        DatasetException e = assertThrows(DatasetException.class, () -> again.set("train", "all"));
        assertTrue(e.getMessage().contains(out.toString()));
        DatasetWriter replacing = new DatasetWriter(out, 6, 4).overwrite(true);
        PuzzleSetBuilder a = replacing.set("train", "all");
        a.addExample(ins[0], ins[0]);
        a.endPuzzle(0);
        a.endGroup();
        replacing.commit(List.of("<blank>"));
        assertEquals(1, PuzzleDataset.open(out, "train").examples());
        DatasetWriter bad = new DatasetWriter(tmp.resolve("bad"), 3, 4);
        PuzzleSetBuilder bb = bad.set("train", "all");
        bb.addExample(ins[2], ins[2]);
        bb.endPuzzle(0);
        bb.endGroup();
        assertThrows(IllegalStateException.class, () -> bad.commit(List.of("<blank>")), "token 5 is outside a vocabulary of 3");
        assertFalse(Files.exists(tmp.resolve("bad")));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("ds"), files.map(p -> p.getFileName().toString()).toList(), "no temporary directories left");
        } catch (java.io.IOException ex) {
            throw new RuntimeException(ex);
        }
    }

    @Test
    void npyRoundTripsTheReferenceDtypes(@TempDir Path tmp) {
        for (Npy.DType d : new Npy.DType[] {Npy.DType.UINT8, Npy.DType.INT32, Npy.DType.INT64}) {
            long[] values = {0, 1, 7, 200, 3, 9};
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(values.length * d.bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                switch (d) {
                    case UINT8 -> buf.put((byte) v);
                    case INT32 -> buf.putInt((int) v);
                    default -> buf.putLong(v);
                }
            }
            buf.flip();
            Path f = tmp.resolve(d + ".npy");
            Npy.write(f, d, new long[] {2, 3}, buf);
            Npy.Array a = Npy.read(f);
            assertEquals(d, a.dtype());
            assertArrayEquals(new long[] {2, 3}, a.shape());
            for (int i = 0; i < values.length; i++) assertEquals(values[i], a.getLong(i));
        }
    }

    @Test
    void badFilesAreNamed(@TempDir Path tmp) throws Exception {
        Path ds = tmp.resolve("ds");
        copyTree(FIXTURES.resolve("sudoku"), ds);
        Path meta = ds.resolve("test/dataset.json");
        Files.writeString(meta, Files.readString(meta).replace("\"seq_len\": 81, ", ""));
        DatasetException e = assertThrows(DatasetException.class, () -> PuzzleDataset.open(ds, "test"));
        assertTrue(e.getMessage().contains("dataset.json") && e.getMessage().contains("seq_len"), e.getMessage());

        String good = Files.readString(ds.resolve("train/dataset.json"));
        Path trainMeta = ds.resolve("train/dataset.json");
        for (String[] bad : new String[][] {{"\"vocab_size\": 11", "\"vocab_size\": 11.7", "vocab_size"},
                {"\"sets\": [\"all\"]", "\"sets\": [\"all\", \"all\"]", "names a set twice"},
                {"\"num_puzzle_identifiers\": 1", "\"num_puzzle_identifiers\": 99999999999", "num_puzzle_identifiers"}}) {
            assertTrue(good.contains(bad[0]), good);
            Files.writeString(trainMeta, good.replace(bad[0], bad[1]));
            e = assertThrows(DatasetException.class, () -> PuzzleDataset.open(ds, "train"), bad[1]);
            assertTrue(e.getMessage().contains("dataset.json") && e.getMessage().contains(bad[2]), e.getMessage());
        }
        Files.writeString(trainMeta, good);

        // an int64 token of 2^32 + 5 is not token 5; found when the dataset is opened, not when its batch is drawn
        Path in = ds.resolve("train/all__inputs.npy");
        byte[] keep = Files.readAllBytes(in);
        Npy.Array arr = Npy.read(in);
        assertEquals(Npy.DType.INT64, arr.dtype());
        long[] shape = arr.shape();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (arr.size() * 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < arr.size(); i++) buf.putLong(i == arr.size() - 3 ? (1L << 32) + 5 : arr.getLong(i));
        buf.flip();
        Npy.write(in, Npy.DType.INT64, shape, buf);
        e = assertThrows(DatasetException.class, () -> PuzzleDataset.open(ds, "train"));
        assertTrue(e.getMessage().contains("all__inputs.npy") && e.getMessage().contains("token 4294967301"), e.getMessage());
        Files.write(in, keep);

        Path groups = ds.resolve("train/all__group_indices.npy");
        byte[] keepGroups = Files.readAllBytes(groups);
        int[] g = Npy.read(groups).toInts();
        g[1] = 0; // group 0 now holds no puzzle (the sampler would fail with "bound must be positive" when it drew it)
        Npy.writeInts(groups, g, g.length);
        e = assertThrows(DatasetException.class, () -> PuzzleDataset.open(ds, "train"));
        assertTrue(e.getMessage().contains("all__group_indices.npy") && e.getMessage().contains("entry 0 is empty"), e.getMessage());
        Files.write(groups, keepGroups);

        Path idx = ds.resolve("train/all__puzzle_indices.npy");
        int[] v = Npy.read(idx).toInts();
        v[v.length - 1] = 47;
        Npy.writeInts(idx, v, v.length);
        e = assertThrows(DatasetException.class, () -> PuzzleDataset.open(ds, "train"));
        assertTrue(e.getMessage().contains("all__puzzle_indices.npy") && e.getMessage().contains("last offset"), e.getMessage());
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(d);
                else {
                    Files.copy(p, d);
                    d.toFile().setWritable(true);
                }
            }
        }
    }

    @Test
    void trainingOrderFollowsTheReferenceSampler() {
        PuzzleDataset arc = PuzzleDataset.open(FIXTURES.resolve("arc"), "train");
        PuzzleSet set = arc.sets().get(0);
        int batch = 64;
        TrainBatches tb = new TrainBatches(arc, batch, 7, 2);
        Batch b = tb.newBatch();
        tb.startPass();
        List<int[]> firstPass = new ArrayList<>();
        int examplesSeen = 0;
        while (tb.next(b)) {
            firstPass.add(b.puzzleIdentifiers().clone());
            for (int r = 0; r < batch; r++) assertTrue(b.puzzleIdentifiers()[r] > 0, "no padding in training batches");
            for (int l : b.labels()) assertTrue(l == -100 || l >= 1, "ignore_label_id 0 becomes -100");
            examplesSeen += batch;
        }
        assertTrue(examplesSeen > set.groups(), "two epochs of groups fill more than one batch per group");
        assertTrue(examplesSeen <= 2L * set.groups() * 10);
        // determinism and seek: the third batch of pass 1 again after a seek
        TrainBatches again = new TrainBatches(arc, batch, 7, 2);
        again.seek(1, 2);
        assertTrue(again.next(b));
        assertArrayEquals(firstPass.get(2), b.puzzleIdentifiers());
        // the next pass is a different order
        tb.startPass();
        assertTrue(tb.next(b));
        assertFalse(java.util.Arrays.equals(firstPass.get(0), b.puzzleIdentifiers()));
    }

    @Test
    void oneExamplePuzzlesGiveEveryGroupOncePerEpoch() {
        PuzzleDataset sudoku = PuzzleDataset.open(FIXTURES.resolve("sudoku"), "train");
        TrainBatches tb = new TrainBatches(sudoku, 4, 0, 1);
        Batch b = tb.newBatch();
        tb.startPass();
        Set<String> seen = new HashSet<>();
        int batches = 0;
        while (tb.next(b)) {
            batches++;
            for (int r = 0; r < 4; r++) seen.add(java.util.Arrays.toString(java.util.Arrays.copyOfRange(b.labels(), r * 81, r * 81 + 81)));
        }
        assertEquals(3, batches, "12 groups in batches of 4");
        assertEquals(12, seen.size(), "each group's solution (shared by its augmentations up to relabelling) appears once");
    }

    @Test
    void testOrderCoversEveryExampleOnceAndPads() {
        PuzzleDataset arc = PuzzleDataset.open(FIXTURES.resolve("arc"), "test");
        PuzzleSet set = arc.sets().get(0);
        TestBatches tb = new TestBatches(arc, 100);
        Batch b = tb.newBatch();
        int total = 0, puzzle = 0;
        int[] expect = new int[900];
        while (tb.next(b)) {
            assertEquals(total, tb.start());
            for (int r = 0; r < tb.count(); r++) {
                int e = total + r;
                while (set.puzzleStart(puzzle + 1) <= e) puzzle++;
                assertEquals(set.puzzleIdentifier(puzzle), b.puzzleIdentifiers()[r]);
                set.input(e, expect, 0);
                assertArrayEquals(expect, java.util.Arrays.copyOfRange(b.inputs(), r * 900, r * 900 + 900));
            }
            for (int r = tb.count(); r < 100; r++) {
                assertEquals(0, b.puzzleIdentifiers()[r]);
                assertEquals(-100, b.labels()[r * 900]);
            }
            total += tb.count();
        }
        assertEquals(set.examples(), total);
    }
}
