package hrm.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.io.AtomicDirectory;
import hrm.io.OutputDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a dataset directory in the reference layout (docs/model.md §10.1). Everything is built in a
 * temporary sibling directory that is renamed into place at the end, so a failed or interrupted
 * build never leaves a half-written dataset where a trainer would find it. Tokens are spilled to
 * that directory as they come; {@link #close()} removes it when a build is abandoned.
 */
public final class DatasetWriter implements AutoCloseable {
    public static final String BLANK_IDENTIFIER = "<blank>";

    private final Path outputDir;
    private final int vocabSize, seqLen;
    private boolean overwrite;
    private final Map<String, Map<String, PuzzleSetBuilder>> splits = new LinkedHashMap<>();
    private AtomicDirectory building;

    public DatasetWriter(Path outputDir, int vocabSize, int seqLen) {
        if (vocabSize < 2 || vocabSize > 256) throw new IllegalArgumentException("vocab_size must be in 2..256, got " + vocabSize);
        this.outputDir = outputDir.toAbsolutePath().normalize();
        this.vocabSize = vocabSize;
        this.seqLen = seqLen;
    }

    /** Whether an existing non-empty output directory may be replaced. */
    public DatasetWriter overwrite(boolean replaceExisting) {
        this.overwrite = replaceExisting;
        return this;
    }

    /** The builder of one set of one split ({@code train} or {@code test}), created on first use. */
    public PuzzleSetBuilder set(String split, String setName) {
        if (!split.equals("train") && !split.equals("test")) throw new IllegalArgumentException("split must be train or test, got '" + split + "'");
        if (setName.isEmpty() || setName.contains("/") || setName.contains("__"))
            throw new IllegalArgumentException("bad set name '" + setName + "'");
        return splits.computeIfAbsent(split, k -> new LinkedHashMap<>())
                .computeIfAbsent(setName, k -> new PuzzleSetBuilder(seqLen, spillDir(), split + "." + setName));
    }

    private Path spillDir() {
        if (building == null) {
            checkOutputFree(); // before any work is done, not after
            building = AtomicDirectory.begin(outputDir, "building");
            try {
                Files.createDirectory(building.path().resolve("spill"));
            } catch (IOException e) {
                throw new UncheckedIOException(outputDir + ": " + hrm.io.ErrorText.of(e), e);
            }
        }
        return building.path().resolve("spill");
    }

    /** Abandons an uncommitted build: its temporary directory is removed. */
    @Override
    public void close() {
        for (var sets : splits.values()) for (PuzzleSetBuilder b : sets.values()) b.close();
        if (building != null) building.close();
        building = null;
    }

    /** Writes everything; {@code identifiers.get(0)} must be {@value #BLANK_IDENTIFIER}. */
    public void commit(List<String> identifiers) {
        try {
            validateAndWrite(identifiers);
        } finally {
            close(); // committed, or abandoned: either way no temporary directory is left
        }
    }

    private void validateAndWrite(List<String> identifiers) {
        if (identifiers.isEmpty() || !identifiers.get(0).equals(BLANK_IDENTIFIER))
            throw new IllegalArgumentException("identifiers[0] must be \"" + BLANK_IDENTIFIER + "\"");
        if (splits.isEmpty()) throw new IllegalStateException("nothing to write: no split has a set");
        for (var split : splits.entrySet())
            for (var set : split.getValue().entrySet()) {
                PuzzleSetBuilder b = set.getValue();
                String where = split.getKey() + "/" + set.getKey();
                b.checkClosed(where);
                if (b.maxPuzzleIdentifier() >= identifiers.size())
                    throw new IllegalStateException(where + ": puzzle identifier " + b.maxPuzzleIdentifier() + " has no name (" + identifiers.size() + " identifiers)");
                if (b.maxToken() >= vocabSize)
                    throw new IllegalStateException(where + ": token " + b.maxToken() + " outside the vocabulary of " + vocabSize);
            }
        checkOutputFree();
        try {
            writeInto(building.path(), identifiers);
            AtomicDirectory.deleteTree(building.path().resolve("spill"));
            building.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(outputDir + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    private void checkOutputFree() {
        String why = OutputDirectory.refusal(outputDir, overwrite, "--overwrite", KIND);
        if (why != null) throw new DatasetException(outputDir, why);
    }

    /**
     * A dataset directory as this writer (and the authors' builders) lay it out: identifiers.json and
     * split folders of dataset.json and .npy files, nothing else; the only kind --overwrite replaces.
     */
    public static final OutputDirectory.Kind KIND = new OutputDirectory.Kind("a dataset directory", DatasetWriter::isDataset);

    static boolean isDataset(Path dir) {
        boolean split = false;
        for (String e : OutputDirectory.entries(dir)) {
            if (e.equals("identifiers.json") && Files.isRegularFile(dir.resolve(e), java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            if (!(e.equals("train") || e.equals("test"))) return false;
            Path sd = dir.resolve(e);
            if (!OutputDirectory.onlyFiles(sd, n -> n.equals("dataset.json") || n.endsWith(".npy")) || !Files.isRegularFile(sd.resolve("dataset.json")))
                return false;
            split = true;
        }
        return split;
    }

    private void writeInto(Path dir, List<String> identifiers) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Files.writeString(dir.resolve("identifiers.json"), json.writeValueAsString(identifiers), StandardCharsets.UTF_8);
        for (var split : splits.entrySet()) {
            Path sd = Files.createDirectory(dir.resolve(split.getKey()));
            long examples = 0, puzzles = 0, groups = 0;
            List<String> names = new ArrayList<>();
            for (var set : split.getValue().entrySet()) {
                PuzzleSetBuilder b = set.getValue();
                String p = set.getKey() + "__";
                long[] tokensShape = {b.examples(), seqLen};
                Path[] spilled = b.finish();
                Npy.writeFrom(sd.resolve(p + "inputs.npy"), Npy.DType.UINT8, tokensShape, spilled[0]);
                Npy.writeFrom(sd.resolve(p + "labels.npy"), Npy.DType.UINT8, tokensShape, spilled[1]);
                Npy.writeInts(sd.resolve(p + "puzzle_identifiers.npy"), b.puzzleIdentifiers());
                Npy.writeInts(sd.resolve(p + "puzzle_indices.npy"), b.puzzleIndices());
                Npy.writeInts(sd.resolve(p + "group_indices.npy"), b.groupIndices());
                examples += b.examples();
                puzzles += b.puzzles();
                groups += b.groups();
                names.add(set.getKey());
            }
            DatasetMetadata m = new DatasetMetadata(0, 0, 0, vocabSize, seqLen, identifiers.size(), Math.toIntExact(groups),
                    puzzles == 0 ? 0 : (double) examples / puzzles, names);
            Files.writeString(sd.resolve("dataset.json"), m.toJson(), StandardCharsets.UTF_8);
        }
    }
}
