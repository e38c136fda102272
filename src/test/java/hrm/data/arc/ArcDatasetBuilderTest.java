package hrm.data.arc;

import hrm.data.DatasetWriter;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class ArcDatasetBuilderTest {
    private static final Path ARC1 = Path.of("testdata/arc/arc-agi-1/data");
    private static final Path CONCEPT = Path.of("testdata/arc/concept-arc/corpus");
    private static final Path FIXTURE = Path.of("testdata/reference-datasets/arc");
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9]+(_t[0-7]_0[1-9]{9})?$");

    @TempDir
    Path tmp;

    private ArcDatasetBuilder.Summary build(Path out, int numAug, long seed, Path... dirs) {
        DatasetWriter w = new DatasetWriter(out, ArcCanvas.VOCAB_SIZE, ArcCanvas.SEQ_LEN);
        return new ArcDatasetBuilder(numAug, new SplittableRandom(seed)).build(List.of(dirs), w);
    }

    private static Map<String, ArcTask> tasks(Path... dirs) {
        Map<String, ArcTask> m = new HashMap<>();
        for (Path d : dirs)
            for (ArcSources.Folder f : ArcSources.scan(d))
                for (Path p : f.tasks()) m.put(ArcTaskReader.read(p).name(), ArcTaskReader.read(p));
        return m;
    }

    private static boolean isEvaluation(ArcTask t) {
        return t.file().getParent().getFileName().toString().equals("evaluation");
    }

    /** The original pairs a puzzle of this split holds, in order. */
    private static List<ArcPair> expectedPairs(ArcTask t, String split) {
        boolean eval = isEvaluation(t);
        return t.pairs().stream().filter(p -> split.equals("test") ? eval && p.test() : !(eval && p.test())).toList();
    }

    @Test
    void arcAgi1GivesOneGroupPerTaskAndTheEvaluationTestPairsAsTheTestSplit() {
        Path out = tmp.resolve("arc1");
        ArcDatasetBuilder.Summary s = build(out, 3, 1, ARC1);
        assertEquals(800, s.tasks());
        Map<String, ArcTask> tasks = tasks(ARC1);
        PuzzleDataset train = PuzzleDataset.open(out, "train"), test = PuzzleDataset.open(out, "test");
        List<String> ids = train.identifiers();
        assertEquals("<blank>", ids.get(0));
        assertEquals(s.identifiers(), ids.size());
        PuzzleSet tr = train.sets().get(0), te = test.sets().get(0);
        assertEquals(800, tr.groups());
        assertEquals(400, te.groups());
        assertEquals(800, train.metadata().totalGroups());
        assertEquals(400, test.metadata().totalGroups());

        // Test split: per evaluation task, every kept version's puzzle holds exactly its test pairs.
        Map<String, Integer> testVersions = new HashMap<>();
        int[] in = new int[900], outTokens = new int[900];
        int expectedTestExamples = 0;
        for (int g = 0; g < te.groups(); g++) {
            String task = ArcAugmentation.parse(ids.get(te.puzzleIdentifier(te.groupStart(g)))).task();
            assertTrue(isEvaluation(tasks.get(task)), task + " is not an evaluation task");
            assertNull(testVersions.put(task, te.groupStart(g + 1) - te.groupStart(g)), "task twice: " + task);
            for (int p = te.groupStart(g); p < te.groupStart(g + 1); p++) {
                ArcAugmentation.Version v = ArcAugmentation.parse(ids.get(te.puzzleIdentifier(p)));
                assertEquals(task, v.task());
                List<ArcPair> pairs = tasks.get(task).tests();
                assertEquals(pairs.size(), te.puzzleStart(p + 1) - te.puzzleStart(p));
                for (int k = 0; k < pairs.size(); k++) {
                    ArcExamples.Placed[] ex = ArcExamples.example(te, te.puzzleStart(p) + k, in, outTokens);
                    assertEquals(0, ex[0].top(), "test examples are never translated");
                    assertEquals(0, ex[0].left());
                    ArcAugmentation inv = v.augmentation().inverse();
                    assertEquals(pairs.get(k).input(), inv.apply(ex[0].grid()));
                    assertEquals(pairs.get(k).output(), inv.apply(ex[1].grid()));
                }
                expectedTestExamples += pairs.size();
            }
        }
        assertEquals(400, testVersions.size());
        assertEquals(expectedTestExamples, te.examples());

        // Train split: all 800 tasks; evaluation tasks have the same versions, in the same order, as in the test split.
        int evaluationGroups = 0;
        for (int g = 0; g < tr.groups(); g++) {
            String task = ArcAugmentation.parse(ids.get(tr.puzzleIdentifier(tr.groupStart(g)))).task();
            int versions = tr.groupStart(g + 1) - tr.groupStart(g);
            assertTrue(versions >= 1 && versions <= 4);
            if (testVersions.containsKey(task)) {
                evaluationGroups++;
                assertEquals(testVersions.get(task), versions, task);
                int tg = te.groupStart(0);
                while (!ArcAugmentation.parse(ids.get(te.puzzleIdentifier(tg))).task().equals(task)) tg++;
                for (int k = 0; k < versions; k++)
                    assertEquals(te.puzzleIdentifier(tg + k), tr.puzzleIdentifier(tr.groupStart(g) + k), "shared identifier");
            }
        }
        assertEquals(400, evaluationGroups);
    }

    @Test
    void everyExampleMapsBackToItsOriginalAndOneExamplePerTrainingPuzzleStaysTopLeft() {
        Path out = tmp.resolve("both");
        build(out, 2, 7, ARC1, CONCEPT);
        Map<String, ArcTask> tasks = tasks(ARC1, CONCEPT);
        int[] in = new int[900], lab = new int[900];
        int translated = 0;
        for (String split : List.of("train", "test")) {
            PuzzleDataset ds = PuzzleDataset.open(out, split);
            PuzzleSet set = ds.sets().get(0);
            for (int p = 0; p < set.puzzles(); p++) {
                ArcAugmentation.Version v = ArcAugmentation.parse(ds.identifiers().get(set.puzzleIdentifier(p)));
                ArcAugmentation inverse = v.augmentation().inverse();
                List<ArcPair> pairs = expectedPairs(tasks.get(v.task()), split);
                assertEquals(pairs.size(), set.puzzleStart(p + 1) - set.puzzleStart(p), v.task());
                int topLeft = 0;
                for (int k = 0; k < pairs.size(); k++) {
                    ArcExamples.Placed[] ex = ArcExamples.example(set, set.puzzleStart(p) + k, in, lab);
                    assertEquals(ex[0].top(), ex[1].top(), "input and output share one placement");
                    assertEquals(ex[0].left(), ex[1].left());
                    assertEquals(pairs.get(k).input(), inverse.apply(ex[0].grid()), v + " example " + k);
                    assertEquals(pairs.get(k).output(), inverse.apply(ex[1].grid()), v + " example " + k);
                    if (ex[0].top() == 0 && ex[0].left() == 0) topLeft++;
                    else translated++;
                }
                assertTrue(topLeft >= 1, "a puzzle keeps one example top-left");
                if (split.equals("test")) assertEquals(pairs.size(), topLeft);
            }
        }
        assertTrue(translated > 5000, "training examples are translated: " + translated);
    }

    /** Per split: task name -> (versions, examples per puzzle) for every group. */
    private static Map<String, String> groupShapes(PuzzleDataset ds) {
        Map<String, String> m = new TreeMap<>();
        PuzzleSet s = ds.sets().get(0);
        for (int g = 0; g < s.groups(); g++) {
            List<Integer> sizes = new ArrayList<>();
            String task = null;
            for (int p = s.groupStart(g); p < s.groupStart(g + 1); p++) {
                String name = ds.identifiers().get(s.puzzleIdentifier(p));
                assertTrue(NAME.matcher(name).matches(), name);
                ArcAugmentation.Version v = ArcAugmentation.parse(name);
                if (task == null) {
                    task = v.task();
                    assertEquals(task, name, "a group starts with the original, under the plain task name");
                }
                assertEquals(task, v.task(), "one task per group");
                sizes.add(s.puzzleStart(p + 1) - s.puzzleStart(p));
            }
            assertNull(m.put(task, sizes.toString()), "task in two groups: " + task);
        }
        return m;
    }

    @Test
    void hasTheStructureOfTheReferenceBuildersFixture() {
        Path out = tmp.resolve("like-fixture");
        build(out, 1, 42, ARC1, CONCEPT);
        for (String split : List.of("train", "test")) {
            PuzzleDataset ours = PuzzleDataset.open(out, split), ref = PuzzleDataset.open(FIXTURE, split);
            var a = ours.metadata();
            var b = ref.metadata();
            assertEquals(b.vocabSize(), a.vocabSize());
            assertEquals(b.seqLen(), a.seqLen());
            assertEquals(b.padId(), a.padId());
            assertEquals(b.ignoreLabelId(), a.ignoreLabelId());
            assertEquals(b.blankIdentifierId(), a.blankIdentifierId());
            assertEquals(b.numPuzzleIdentifiers(), a.numPuzzleIdentifiers());
            assertEquals(b.totalGroups(), a.totalGroups());
            assertEquals(b.meanPuzzleExamples(), a.meanPuzzleExamples(), 1e-12);
            assertEquals(b.sets(), a.sets());
            PuzzleSet x = ours.sets().get(0), y = ref.sets().get(0);
            assertEquals(y.groups(), x.groups(), split);
            assertEquals(y.puzzles(), x.puzzles(), split);
            assertEquals(y.examples(), x.examples(), split);
            assertEquals(groupShapes(ref), groupShapes(ours), split + ": same tasks, versions and examples per puzzle");
        }
        // Identifiers: <blank>, then every task's versions, original first; same set of task names.
        List<String> ours = PuzzleDataset.open(out, "train").identifiers(), ref = PuzzleDataset.open(FIXTURE, "train").identifiers();
        assertEquals(ref.size(), ours.size());
        assertEquals("<blank>", ours.get(0));
        assertEquals(ref.stream().filter(n -> !n.contains("_")).sorted().toList(), ours.stream().filter(n -> !n.contains("_")).sorted().toList());
        for (int i = 1; i < ours.size(); i += 2) {
            assertFalse(ours.get(i).contains("_"));
            assertTrue(ours.get(i + 1).startsWith(ours.get(i) + "_t"));
        }
    }

    @Test
    void rejectsVersionsThatRepeatAnEarlierOne() throws IOException {
        // One colour in 1x1 grids: transforms change nothing, so only the 9 colour choices differ.
        Path dir = Files.createDirectories(tmp.resolve("in/training"));
        Files.writeString(dir.resolve("one.json"), "{\"train\": [{\"input\": [[5]], \"output\": [[5]]}], \"test\": [{\"input\": [[5]], \"output\": [[5]]}]}");
        // Only black: colour maps change nothing; a 1x2 input has two shapes (1x2, and 2x1 after a quarter turn).
        Files.writeString(dir.resolve("black.json"), "{\"train\": [{\"input\": [[0, 0]], \"output\": [[0]]}], \"test\": [{\"input\": [[0]], \"output\": [[0]]}]}");
        ArcDatasetBuilder.Summary s = build(tmp.resolve("out"), 50, 3, tmp.resolve("in"));
        assertEquals(2, s.tasks());
        assertEquals(9 + 2, s.versions());
        PuzzleDataset ds = PuzzleDataset.open(tmp.resolve("out"), "train");
        Map<String, Integer> versions = new HashMap<>();
        PuzzleSet set = ds.sets().get(0);
        for (int g = 0; g < set.groups(); g++)
            versions.put(ds.identifiers().get(set.puzzleIdentifier(set.groupStart(g))), set.groupStart(g + 1) - set.groupStart(g));
        assertEquals(Map.of("one", 9, "black", 2), versions);
        assertFalse(Files.exists(tmp.resolve("out/test")), "no evaluation folder, no test split");
    }

    @Test
    void theSameSeedRepeatsTheBuildAndAnotherSeedDoesNot() throws IOException {
        Path concept = CONCEPT;
        build(tmp.resolve("a"), 2, 5, concept);
        build(tmp.resolve("b"), 2, 5, concept);
        build(tmp.resolve("c"), 2, 6, concept);
        for (String f : List.of("identifiers.json", "train/all__inputs.npy", "train/all__labels.npy", "train/all__puzzle_identifiers.npy")) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
        }
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("a/train/all__inputs.npy")),
                Files.readAllBytes(tmp.resolve("c/train/all__inputs.npy"))));
    }

    @Test
    void badDatasetDirectoriesAndTasksAreNamed() throws IOException {
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        Files.writeString(flat.resolve("x.json"), "{}");
        ArcFormatException e = assertThrows(ArcFormatException.class, () -> build(tmp.resolve("o1"), 1, 0, flat));
        assertTrue(e.getMessage().contains(flat.toString()) && e.getMessage().contains("pass its parent"), e.getMessage());
        Path missing = tmp.resolve("missing");
        e = assertThrows(ArcFormatException.class, () -> build(tmp.resolve("o2"), 1, 0, missing));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());

        Path bad = Files.createDirectories(tmp.resolve("bad/evaluation"));
        Files.writeString(bad.resolve("t.json"), "{\"train\": [{\"input\": [[1, 2], [3]], \"output\": [[1]]}], \"test\": []}");
        e = assertThrows(ArcFormatException.class, () -> build(tmp.resolve("o3"), 1, 0, tmp.resolve("bad")));
        assertTrue(e.getMessage().contains(bad.resolve("t.json").toString()) && e.getMessage().contains("train[0].input[1]"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("o3")), "nothing written on failure");
        assertThrows(IllegalArgumentException.class, () -> new ArcDatasetBuilder(-1, new SplittableRandom(0)));
    }
}
