package hrm.data;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One split ({@code train} or {@code test}) of a dataset directory in the reference layout (docs/model.md §10.1). */
public final class PuzzleDataset {
    private final Path dir;
    private final DatasetMetadata metadata;
    private final List<String> identifiers;
    private final List<PuzzleSet> sets;

    private PuzzleDataset(Path dir, DatasetMetadata metadata, List<String> identifiers, List<PuzzleSet> sets) {
        this.dir = dir;
        this.metadata = metadata;
        this.identifiers = identifiers;
        this.sets = sets;
    }

    public static PuzzleDataset open(Path datasetDir, String split) {
        if (!Files.isDirectory(datasetDir)) throw new DatasetException(datasetDir, "not a directory");
        Path splitDir = datasetDir.resolve(split);
        DatasetMetadata meta = DatasetMetadata.read(splitDir.resolve("dataset.json"));
        List<String> ids = readIdentifiers(datasetDir.resolve("identifiers.json"), meta);
        List<PuzzleSet> sets = new ArrayList<>();
        for (String s : meta.sets()) sets.add(new PuzzleSet(splitDir, s, meta));
        return new PuzzleDataset(datasetDir, meta, ids, List.copyOf(sets));
    }

    private static List<String> readIdentifiers(Path file, DatasetMetadata meta) {
        if (!Files.exists(file)) return List.of(); // optional for training; only names puzzles in reports
        try {
            List<String> ids = new ObjectMapper().readValue(file.toFile(), new TypeReference<List<String>>() {});
            if (ids.size() != meta.numPuzzleIdentifiers())
                throw new DatasetException(file, ids.size() + " names, but dataset.json says num_puzzle_identifiers = " + meta.numPuzzleIdentifiers());
            return List.copyOf(ids);
        } catch (IOException e) {
            throw new DatasetException(file, "not a JSON list of strings: " + hrm.io.ErrorText.of(e), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public DatasetMetadata metadata() {
        return metadata;
    }

    /** Identifier names by id ({@code <blank>} for 0); empty when the directory has no identifiers.json. */
    public List<String> identifiers() {
        return identifiers;
    }

    public List<PuzzleSet> sets() {
        return sets;
    }

    public long examples() {
        long n = 0;
        for (PuzzleSet s : sets) n += s.examples();
        return n;
    }
}
