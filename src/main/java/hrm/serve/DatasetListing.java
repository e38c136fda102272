package hrm.serve;

import hrm.data.DatasetException;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GET /api/datasets: the dataset of {@code hrm serve --data DIR} (the authors' layout, {@link PuzzleDataset}),
 * a page at a time: its splits and sets (groups, puzzles, examples each), and for one set the examples
 * {@code offset..offset+limit} with their group, puzzle, puzzle identifier, input and label tokens.
 * Only this directory's dataset files are read, through PuzzleDataset: no path from a request is opened.
 */
final class DatasetListing {
    static final int DEFAULT_LIMIT = 20, MAX_LIMIT = 500;
    private final Path dir;
    private final Map<String, PuzzleDataset> splits = new ConcurrentHashMap<>();

    DatasetListing(Path dir) {
        this.dir = dir;
    }

    /** The page asked for; the parameters are the query's strings (null: the default). */
    Map<String, Object> page(String splitParam, String setParam, String offsetParam, String limitParam) {
        String split = splitParam == null ? "test" : splitParam;
        if (!split.equals("test") && !split.equals("train")) throw ApiError.badRequest("split: '" + split + "', expected test or train");
        if (!Files.isDirectory(dir.resolve(split))) throw new ApiError(404, "split: " + dir + " has no " + split + " split");
        PuzzleDataset ds = splits.computeIfAbsent(split, s -> {
            try {
                return PuzzleDataset.open(dir, s);
            } catch (DatasetException e) {
                throw ApiError.badRequest("data: " + e.getMessage());
            }
        });
        List<Object> sets = new ArrayList<>();
        for (PuzzleSet s : ds.sets())
            sets.add(Map.of("name", s.name(), "groups", s.groups(), "puzzles", s.puzzles(), "examples", s.examples()));
        PuzzleSet set = ds.sets().stream().filter(s -> setParam == null || s.name().equals(setParam)).findFirst()
                .orElseThrow(() -> ApiError.badRequest("set: no set '" + setParam + "' in the " + split + " split (" + ds.metadata().sets() + ")"));
        int offset = number("offset", offsetParam, 0, Math.max(0, set.examples()));
        int limit = number("limit", limitParam, DEFAULT_LIMIT, MAX_LIMIT);
        int seq = ds.metadata().seqLen();
        List<Object> examples = new ArrayList<>();
        int puzzle = 0, group = 0;
        for (int e = offset; e < Math.min(set.examples(), offset + limit); e++) {
            while (set.puzzleStart(puzzle + 1) <= e) puzzle++; // examples are in puzzle order, puzzles in group order
            while (set.groupStart(group + 1) <= puzzle) group++;
            int[] input = new int[seq], label = new int[seq];
            set.input(e, input, 0);
            set.label(e, label, 0);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", e);
            m.put("group", group);
            m.put("puzzle", puzzle);
            m.put("puzzle_identifier", set.puzzleIdentifier(puzzle));
            m.put("input", input);
            m.put("label", label);
            examples.add(m);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("split", split);
        page.put("seq_len", seq);
        page.put("vocab_size", ds.metadata().vocabSize());
        page.put("sets", sets);
        page.put("set", set.name());
        page.put("offset", offset);
        page.put("limit", limit);
        page.put("total", set.examples());
        page.put("examples", examples);
        return page;
    }

    private static int number(String field, String text, int dflt, int max) {
        if (text == null) return dflt;
        try {
            int v = Integer.parseInt(text);
            if (v < 0 || v > max) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(field + ": '" + text + "', expected a whole number 0 to " + max);
        }
    }
}
