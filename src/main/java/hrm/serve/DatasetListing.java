package hrm.serve;

import com.fasterxml.jackson.databind.JsonNode;
import hrm.data.DatasetException;
import hrm.data.PuzzleDataset;
import hrm.data.PuzzleSet;
import hrm.eval.ArcScorer;
import hrm.eval.EvalOutputs;
import hrm.eval.views.PuzzleKind;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The dataset of {@code hrm serve --data DIR} (the authors' layout, {@link PuzzleDataset}) and, with
 * {@code --eval}, its evaluation ({@link DatasetEvaluation}), a page at a time, as the dataset browser
 * steps through it (groups → puzzles → examples, or a set's examples in order):
 * <ul>
 * <li>GET /api/datasets/splits: the splits there are and which one is evaluated (no dataset: none);</li>
 * <li>GET /api/datasets?split=&amp;set=&amp;offset=&amp;limit=[&amp;group=G|&amp;puzzle=P][&amp;only=wrong]: the examples
 *     of a set (of one group, of one puzzle), each with its input and label tokens, where it stands
 *     ({@code position}) and, evaluated, whether the prediction is right, the prediction, the wrong cells and q_halt;</li>
 * <li>GET /api/datasets/groups?split=&amp;set=&amp;offset=&amp;limit=[&amp;only=wrong]: the groups of a set;</li>
 * <li>GET /api/datasets/puzzles?...[&amp;group=G][&amp;only=wrong]: the puzzles of a set or of one group.</li>
 * </ul>
 * {@code only=wrong} keeps the failures: the wrong examples and the puzzles and groups holding one;
 * offsets count within what is kept. Every answer names the puzzle kind (sudoku, maze, arc, other), so
 * the page draws Sudoku as digits and mazes as mazes. Only the dataset's own files and the evaluation's
 * are read, both opened through their readers from the two directories given at start: a request only
 * chooses among the splits test and train, the sets the dataset names and indices, never a path.
 */
final class DatasetListing {
    static final int DEFAULT_LIMIT = 20, MAX_LIMIT = 500;
    private static final Set<String> GROUP_PARAMS = Set.of("split", "set", "offset", "limit", "only"),
            PUZZLE_PARAMS = Set.of("split", "set", "offset", "limit", "only", "group"),
            EXAMPLE_PARAMS = Set.of("split", "set", "offset", "limit", "only", "group", "puzzle");
    private static final List<String> SPLITS = List.of("test", "train");

    /** An opened split: its dataset, its puzzle kind, its evaluation (null: none). */
    private record Split(String name, PuzzleDataset ds, String kind, DatasetEvaluation eval) {}

    /** What one request lists from: a set, stepped through all or failures only ({@code nav}); {@code wrong}: its failures, null unevaluated. */
    private record Scope(Split split, PuzzleSet set, SetNavigation nav, SetNavigation wrong) {
        EvalOutputs.SetOutputs outputs() {
            return split.eval.outputs().set(set.name());
        }
    }

    private final Path dir;
    private final DatasetEvaluation evaluation;
    private final Map<String, Split> splits = new ConcurrentHashMap<>();
    private final Map<String, SetNavigation> navigations = new ConcurrentHashMap<>();

    /** The dataset in {@code dir}; {@code evaluation} (may be null) of its test split, checked by {@link DatasetEvaluation#open}. */
    DatasetListing(Path dir, DatasetEvaluation evaluation) {
        this.dir = dir;
        this.evaluation = evaluation;
    }

    /** GET /api/datasets/splits without --data: answered 200 (the page asks on every load; a 404 would be a console error). */
    static Map<String, Object> none() {
        return Map.of("data", false, "splits", List.of());
    }

    /** GET /api/datasets/splits: the splits of the dataset, without opening them. */
    Map<String, Object> splits() {
        List<Object> out = new ArrayList<>();
        for (String s : SPLITS)
            if (Files.isDirectory(dir.resolve(s))) out.add(Map.of("split", s, "evaluated", evaluated(s)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", true);
        m.put("name", String.valueOf(dir.toAbsolutePath().normalize().getFileName()));
        m.put("splits", out);
        return m;
    }

    /** GET /api/datasets: a set's examples (of a group, of a puzzle), offset..offset+limit of those kept. */
    Map<String, Object> examples(Map<String, List<String>> params) {
        DatasetQuery q = DatasetQuery.of(params, EXAMPLE_PARAMS);
        Scope s = scope(q);
        PuzzleSet set = s.set;
        if (q.has("group") && q.has("puzzle")) throw ApiError.badRequest("puzzle: give a group or a puzzle, not both");
        Map<String, Object> page = header(s, q);
        int g = chosen(q, "group", set.groups(), page), p = chosen(q, "puzzle", set.puzzles(), page);
        int lo = g >= 0 ? set.puzzleStart(set.groupStart(g)) : p >= 0 ? set.puzzleStart(p) : 0;
        int hi = g >= 0 ? set.puzzleStart(set.groupStart(g + 1)) : p >= 0 ? set.puzzleStart(p + 1) : set.examples();
        return items(q, page, "examples", s.nav.examples, lo, hi, e -> example(s, e));
    }

    /** GET /api/datasets/groups: a set's groups kept, each with its range of puzzles and examples. */
    Map<String, Object> groups(Map<String, List<String>> params) {
        DatasetQuery q = DatasetQuery.of(params, GROUP_PARAMS);
        Scope s = scope(q);
        return items(q, header(s, q), "groups", s.nav.groups, 0, s.set.groups(), g -> group(s, g));
    }

    /** GET /api/datasets/puzzles: a set's puzzles kept (of one group), each with its identifier and range of examples. */
    Map<String, Object> puzzles(Map<String, List<String>> params) {
        DatasetQuery q = DatasetQuery.of(params, PUZZLE_PARAMS);
        Scope s = scope(q);
        PuzzleSet set = s.set;
        Map<String, Object> page = header(s, q);
        int g = chosen(q, "group", set.groups(), page);
        return items(q, page, "puzzles", s.nav.puzzles, g >= 0 ? set.groupStart(g) : 0, g >= 0 ? set.groupStart(g + 1) : set.puzzles(), p -> puzzle(s, p));
    }

    /** The group or puzzle the query names (into {@code page}), one of {@code count}; -1 where it names none. */
    private static int chosen(DatasetQuery q, String name, int count, Map<String, Object> page) {
        if (!q.has(name)) return -1;
        int i = q.number(name, 0, count - 1);
        page.put(name, i);
        return i;
    }

    /**
     * {@code page} with the query's window of the indices {@code kept} in [lo, hi): offset, limit, total (of
     * those kept) and the entries, under {@code name}.
     */
    private static Map<String, Object> items(DatasetQuery q, Map<String, Object> page, String name, SetNavigation.Kept kept,
                                             int lo, int hi, IntFunction<Map<String, Object>> entry) {
        int total = kept.count(lo, hi), offset = q.number("offset", 0, total), limit = q.number("limit", DEFAULT_LIMIT, MAX_LIMIT);
        page.put("offset", offset);
        page.put("limit", limit);
        page.put("total", total);
        List<Object> items = new ArrayList<>();
        for (int k = offset; k < Math.min(total, offset + limit); k++) items.add(entry.apply(kept.at(lo, k)));
        page.put(name, items);
        return page;
    }

    private static Map<String, Object> group(Scope s, int g) {
        int p0 = s.set.groupStart(g), p1 = s.set.groupStart(g + 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", g);
        m.put("first_puzzle", p0);
        m.put("puzzles", p1 - p0);
        range(s, m, s.set.puzzleStart(p0), s.set.puzzleStart(p1));
        return m;
    }

    private static Map<String, Object> puzzle(Scope s, int p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", p);
        m.put("group", s.nav.groupOf(p));
        identify(s, m, p);
        range(s, m, s.set.puzzleStart(p), s.set.puzzleStart(p + 1));
        return m;
    }

    /** One example: where it stands, its tokens, and what the evaluation predicted. */
    private Map<String, Object> example(Scope s, int e) {
        PuzzleSet set = s.set;
        SetNavigation nav = s.nav;
        int p = nav.puzzleOf(e), g = nav.groupOf(p), seq = s.split.ds.metadata().seqLen();
        int[] input = new int[seq], label = new int[seq];
        set.input(e, input, 0);
        set.label(e, label, 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", e);
        m.put("group", g);
        m.put("puzzle", p);
        identify(s, m, p);
        m.put("input", input);
        m.put("label", label);
        int p0 = set.groupStart(g), p1 = set.groupStart(g + 1), e0 = set.puzzleStart(p), e1 = set.puzzleStart(p + 1);
        m.put("position", Map.of( // ranks among what is kept: the set's examples, its groups, the group's puzzles, the puzzle's examples
                "set", at(nav.examples.count(0, e), nav.examples.count(0, set.examples())),
                "group", at(nav.groups.count(0, g), nav.groups.count(0, set.groups())),
                "puzzle", at(nav.puzzles.count(p0, p), nav.puzzles.count(p0, p1)),
                "example", at(nav.examples.count(e0, e), nav.examples.count(e0, e1))));
        if (s.wrong != null) {
            EvalOutputs.SetOutputs out = s.outputs();
            m.put("correct", out.correct(e));
            m.put("prediction", out.prediction(e));
            m.put("wrong", out.wrongCells(e));
            m.put("q_halt", out.qHalt(e));
        }
        return m;
    }

    private static Map<String, Integer> at(int rank, int of) {
        return Map.of("at", rank, "of", of);
    }

    /** A puzzle's identifier, and its name where the dataset has identifiers.json. */
    private static void identify(Scope s, Map<String, Object> m, int puzzle) {
        int id = s.set.puzzleIdentifier(puzzle);
        m.put("puzzle_identifier", id);
        List<String> names = s.split.ds.identifiers();
        if (!names.isEmpty()) m.put("name", names.get(id));
    }

    /** A range of examples [e0, e1): its first, its count and, evaluated, how many are wrong. */
    private static void range(Scope s, Map<String, Object> m, int e0, int e1) {
        m.put("first_example", e0);
        m.put("examples", e1 - e0);
        if (s.wrong != null) m.put("wrong", s.wrong.examples.count(e0, e1));
    }

    /** What every listing starts with: the split, its kind and sets, the set listed, all or failures only. */
    private Map<String, Object> header(Scope s, DatasetQuery q) {
        PuzzleDataset ds = s.split.ds;
        List<Object> sets = new ArrayList<>();
        for (PuzzleSet x : ds.sets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", x.name());
            m.put("groups", x.groups());
            m.put("puzzles", x.puzzles());
            m.put("examples", x.examples());
            if (s.split.eval != null) {
                m.put("wrong", s.split.eval.wrong(x.name()).length);
                JsonNode metrics = s.split.eval.outputs().metrics().get(x.name());
                if (metrics != null && metrics.isObject()) m.put("metrics", metrics);
            }
            sets.add(m);
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("split", s.split.name);
        page.put("kind", s.split.kind);
        page.put("seq_len", ds.metadata().seqLen());
        page.put("vocab_size", ds.metadata().vocabSize());
        page.put("evaluated", s.split.eval != null);
        page.put("sets", sets);
        page.put("set", s.set.name());
        page.put("only", q.onlyWrong() ? "wrong" : "all");
        return page;
    }

    private Scope scope(DatasetQuery q) {
        Split split = split(q.text("split"));
        String setParam = q.text("set");
        PuzzleSet set = split.ds.sets().stream().filter(s -> setParam == null || s.name().equals(setParam)).findFirst()
                .orElseThrow(() -> ApiError.badRequest("set: no set '" + setParam + "' in the " + split.name + " split (" + split.ds.metadata().sets() + ")"));
        boolean only = q.onlyWrong();
        if (only && split.eval == null)
            throw ApiError.badRequest("only: no evaluation of the " + split.name + " split is served (hrm serve --eval DIR: an hrm eval of the test split)");
        SetNavigation wrong = split.eval == null ? null
                : navigations.computeIfAbsent(split.name + "/" + set.name(), k -> SetNavigation.only(set, split.eval.wrong(set.name())));
        SetNavigation all = navigations.computeIfAbsent(split.name + "/" + set.name() + "/all", k -> SetNavigation.all(set));
        return new Scope(split, set, only ? wrong : all, wrong);
    }

    private Split split(String param) {
        String name = param == null ? "test" : param;
        if (!SPLITS.contains(name)) throw ApiError.badRequest("split: '" + name + "', expected test or train");
        if (!Files.isDirectory(dir.resolve(name))) throw new ApiError(404, "split: " + dir + " has no " + name + " split");
        return splits.computeIfAbsent(name, s -> {
            DatasetEvaluation eval = evaluated(s) ? evaluation : null;
            try {
                PuzzleDataset ds = eval != null ? eval.test() : PuzzleDataset.open(dir, s);
                return new Split(s, ds, kind(ds), eval);
            } catch (DatasetException e) {
                throw ApiError.badRequest("data: " + e.getMessage());
            }
        });
    }

    private boolean evaluated(String split) {
        return evaluation != null && split.equals("test");
    }

    /** The kind the page draws: sudoku as digits, maze as a maze, arc as colours, other as the tokens. */
    static String kind(PuzzleDataset ds) {
        if (ArcScorer.isArcDataset(ds)) return "arc";
        return switch (PuzzleKind.of(ds)) {
            case PuzzleKind.Sudoku k -> "sudoku";
            case PuzzleKind.Maze k -> "maze";
            case PuzzleKind.Other k -> "other";
        };
    }
}
