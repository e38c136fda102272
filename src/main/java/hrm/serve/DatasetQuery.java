package hrm.serve;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query string of a GET /api/datasets... request, checked: each parameter one the route takes
 * (a misspelt {@code onyl=wrong} is refused rather than silently listing everything) and given once;
 * numbers whole and in range. Refusals are 400s naming the parameter.
 */
final class DatasetQuery {
    private final Map<String, List<String>> params;

    private DatasetQuery(Map<String, List<String>> params) {
        this.params = params;
    }

    /** {@code params} (the query's, as Javalin parses it) if every name is in {@code known}. */
    static DatasetQuery of(Map<String, List<String>> params, Set<String> known) {
        for (var e : params.entrySet()) {
            if (!known.contains(e.getKey()))
                throw ApiError.badRequest(e.getKey() + ": not a parameter of this request (it takes " + known.stream().sorted().toList() + ")");
            if (e.getValue().size() != 1) throw ApiError.badRequest(e.getKey() + ": given " + e.getValue().size() + " times");
        }
        return new DatasetQuery(params);
    }

    /** The parameter's value; null where it is not given. */
    String text(String name) {
        List<String> v = params.get(name);
        return v == null ? null : v.getFirst();
    }

    boolean has(String name) {
        return params.containsKey(name);
    }

    /** A whole number 0..max; {@code dflt} where not given. */
    int number(String name, int dflt, int max) {
        String text = text(name);
        if (text == null) return dflt;
        try {
            int v = Integer.parseInt(text);
            if (v < 0 || v > max) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + ": '" + text + "', expected a whole number 0 to " + max);
        }
    }

    /** only=wrong: the failures only; absent or only=all: every example. */
    boolean onlyWrong() {
        String only = text("only");
        if (only == null || only.equals("all")) return false;
        if (only.equals("wrong")) return true;
        throw ApiError.badRequest("only: '" + only + "', expected wrong or all");
    }
}
