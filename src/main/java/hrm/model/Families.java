package hrm.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The registry: the model families by the reference's {@code arch.name}, one line each. The first
 * is the family of a configuration that names none and has no key only another family has.
 */
final class Families {
    private Families() {}

    /**
     * A family as configurations name it: the reference's arch.name, its short name, what messages
     * call it, its type, its own keys (besides the common ones), the keys that make a configuration
     * without a name one of its (a parity fixture's config.json has none), and how it reads its keys.
     */
    record Entry(String name, String shortName, String label, Class<? extends ModelFamily> type, Set<String> keys, Set<String> marks,
                 Function<Keys, ModelFamily> read) {
        String className() {
            return name.substring(name.lastIndexOf('@') + 1);
        }

        /** module@Class, or the class alone: the class decides. */
        boolean isCalled(String n) {
            return n.equals(className()) || n.endsWith("@" + className());
        }
    }

    static final List<Entry> ALL = List.of(
            HrmFamily.ENTRY,
            TrmFamily.ENTRY,
            TransformerFamily.ENTRY);

    /** The family of a configuration's keys: by its name, or by the keys only one family has. */
    static Entry of(Keys m) {
        Object name = m.get("name");
        if (name == null) {
            for (Entry e : ALL) for (String k : e.marks()) if (m.has(k)) return e;
            return ALL.get(0);
        }
        for (Entry e : ALL) if (e.isCalled(String.valueOf(name))) return e;
        throw Keys.bad("name", name, "only " + classNames() + " are implemented");
    }

    /** The class names of every family: "A, B and C". */
    static String classNames() {
        List<String> n = ALL.stream().map(Entry::className).toList();
        return n.size() == 1 ? n.get(0) : String.join(", ", n.subList(0, n.size() - 1)) + " and " + n.getLast();
    }

    /** The entry of a family. */
    static Entry of(ModelFamily f) {
        for (Entry e : ALL) if (e.type().isInstance(f)) return e;
        throw new IllegalStateException(f.getClass().getName());
    }

    /** Every family's keys. */
    static Set<String> allKeys() {
        Set<String> s = new LinkedHashSet<>();
        for (Entry e : ALL) s.addAll(e.keys());
        return s;
    }

    /** The first family that has {@code key}. */
    static Entry owner(String key) {
        for (Entry e : ALL) if (e.keys().contains(key)) return e;
        throw new IllegalStateException(key);
    }
}
