package hrm.io;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one way this project reads YAML: plain data only (SafeConstructor: no tags that build Java
 * objects), bounded nesting, aliases and size, and no structure that contains itself (a recursive
 * anchor such as {@code a: &x [*x]} would otherwise send every later walk of the tree into a
 * StackOverflowError).
 */
public final class SafeYaml {
    /** Configurations nest three or four levels; far deeper is not a configuration. */
    static final int MAX_DEPTH = 64;
    /** The largest YAML text read (configurations are a few KiB). */
    public static final int MAX_BYTES = 8 << 20;

    private SafeYaml() {}

    /** Parses text; a malformed, oversized or self-containing document is a {@link YAMLException}. */
    public static Object load(String text) {
        LoaderOptions o = new LoaderOptions();
        o.setAllowRecursiveKeys(false);
        o.setMaxAliasesForCollections(50);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setCodePointLimit(MAX_BYTES);
        Object doc = new Yaml(new SafeConstructor(o)).load(text);
        checkAcyclic(doc, new IdentityHashMap<>(), 0);
        return doc;
    }

    private static void checkAcyclic(Object node, IdentityHashMap<Object, Boolean> path, int depth) {
        if (!(node instanceof Map<?, ?>) && !(node instanceof List<?>)) return;
        if (depth > MAX_DEPTH) throw new YAMLException("nested more than " + MAX_DEPTH + " levels deep");
        if (path.put(node, Boolean.TRUE) != null) throw new YAMLException("a recursive anchor: a collection contains itself");
        if (node instanceof Map<?, ?> m) for (Object v : m.values()) checkAcyclic(v, path, depth + 1);
        else for (Object v : (List<?>) node) checkAcyclic(v, path, depth + 1);
        path.remove(node);
    }
}
