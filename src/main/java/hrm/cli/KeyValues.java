package hrm.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** key=value arguments of a command (the reference's evaluate.py style), each key known. */
final class KeyValues {
    private KeyValues() {}

    static Map<String, String> parse(List<String> args, Set<String> known) {
        return parse(args, known, Set.of());
    }

    /**
     * As {@link #parse(List, Set)}, where the command also takes the keys {@code takenElsewhere}
     * (checkpoint=, by an option): a misspelt one is still suggested and listed as known.
     */
    static Map<String, String> parse(List<String> args, Set<String> known, Set<String> takenElsewhere) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("argument '" + a + "': expected key=value");
            String k = a.substring(0, eq).strip();
            if (!known.contains(k)) {
                Set<String> all = new java.util.TreeSet<>(known);
                all.addAll(takenElsewhere);
                throw new IllegalArgumentException(hrm.io.DidYouMean.unknownKey("", k, all));
            }
            out.put(k, a.substring(eq + 1));
        }
        return out;
    }

    static int positiveInt(Map<String, String> m, String key, int dflt) {
        String v = m.get(key);
        if (v == null) return dflt;
        try {
            int i = Integer.parseInt(v.strip());
            if (i > 0) return i;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(key + " = " + v + ": expected a positive integer");
    }

    static int nonNegativeInt(Map<String, String> m, String key, int dflt) {
        String v = m.get(key);
        if (v == null) return dflt;
        try {
            int i = Integer.parseInt(v.strip());
            if (i >= 0) return i;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(key + " = " + v + ": expected an integer >= 0");
    }

    static long longValue(Map<String, String> m, String key, long dflt) {
        String v = m.get(key);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = " + v + ": expected an integer");
        }
    }

    static boolean booleanValue(Map<String, String> m, String key, boolean dflt) {
        String v = m.get(key);
        if (v == null) return dflt;
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " = " + v + ": expected true or false");
        };
    }
}
