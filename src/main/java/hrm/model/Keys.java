package hrm.model;

import java.util.Map;
import java.util.function.Function;

/**
 * Typed reads of the model keys (docs/model.md §1.1) from a map under the reference's names, and the
 * checks every value gets; each error names the key and the value.
 */
final class Keys {
    private final Map<String, ?> m;

    Keys(Map<String, ?> m) {
        this.m = m;
    }

    boolean has(String key) {
        return m.containsKey(key);
    }

    Object get(String key) {
        return m.get(key);
    }

    java.util.Set<String> keySet() {
        return java.util.Collections.unmodifiableSet(m.keySet());
    }

    private Object need(String key, Object dflt) {
        Object v = m.get(key);
        if (v == null) {
            if (dflt == null) throw new IllegalArgumentException("missing model key '" + key + "'");
            return dflt;
        }
        return v;
    }

    int intKey(String key, Integer dflt) {
        return read(key, dflt, n -> n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE ? n.intValue() : null,
                Integer::parseInt, "an integer");
    }

    double doubleKey(String key, Double dflt) {
        return read(key, dflt, Number::doubleValue, Double::parseDouble, "a number");
    }

    /** A number given as a number or as text; null from {@code number}, or text that does not parse, is refused. */
    private <T> T read(String key, Object dflt, Function<Number, T> number, Function<String, T> text, String expected) {
        Object v = need(key, dflt);
        T t = null;
        if (v instanceof Number n) t = number.apply(n);
        else if (v instanceof String s) {
            try {
                t = text.apply(s.strip());
            } catch (NumberFormatException ignored) {
                // refused below
            }
        }
        if (t == null) throw new IllegalArgumentException(key + " = " + v + ": expected " + expected);
        return t;
    }

    boolean boolKey(String key, boolean dflt) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        if (v instanceof String s && (s.strip().equalsIgnoreCase("true") || s.strip().equalsIgnoreCase("false")))
            return Boolean.parseBoolean(s.strip());
        throw new IllegalArgumentException(key + " = " + v + ": expected true or false");
    }

    String stringKey(String key, String dflt) {
        return String.valueOf(need(key, dflt));
    }

    /** Puts key, value, key, value, ... into m, in that order. */
    static void put(Map<String, Object> m, Object... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }

    static void positive(String key, int v) {
        if (v <= 0) throw bad(key, v, "must be > 0");
    }

    static void nonNegative(String key, int v) {
        if (v < 0) throw bad(key, v, "must be >= 0");
    }

    static IllegalArgumentException bad(String key, Object value, String why) {
        return new IllegalArgumentException(key + " = " + value + ": " + why);
    }
}
