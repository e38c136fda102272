package hrm.train.config;


import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Composes a training configuration the way the reference's Hydra setup does, for the features
 * its configs use: a primary YAML file whose {@code defaults} list pulls in config groups
 * ({@code - arch: hrm_v1} loads {@code arch/hrm_v1.yaml} under the key {@code arch}), command-line
 * overrides {@code key=value} with dotted paths ({@code arch.L_cycles=8}), group selection
 * ({@code arch=hrm_v1}), and {@code ${.key}} / {@code ${a.b}} interpolation resolved last, so an
 * override of hidden_size also moves puzzle_emb_ndim.
 */
public final class ConfigLoader {
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([^}]*)}");
    private final Path dir; // null: the copy inside the jar

    /** @param dir a directory holding the primary YAML and the group folders; null for the built-in configs */
    public ConfigLoader(Path dir) {
        this.dir = dir;
    }

    /** The repository's {@code config/} when it is there, else the copy packaged in the jar. */
    public static ConfigLoader standard() {
        Path local = Path.of("config");
        return new ConfigLoader(Files.isRegularFile(local.resolve("cfg_pretrain.yaml")) ? local : null);
    }

    public Map<String, Object> load(String configName, List<String> overrides) {
        Map<String, Object> primary = read(configName + ".yaml");
        Map<String, String> groups = new LinkedHashMap<>();
        Object defaults = primary.remove("defaults");
        if (defaults != null) {
            if (!(defaults instanceof List<?> list)) throw new ConfigException(where(configName + ".yaml") + ": defaults must be a list");
            for (Object d : list) {
                if (d instanceof Map<?, ?> m) m.forEach((k, v) -> groups.put(String.valueOf(k), String.valueOf(v)));
                else if (!"_self_".equals(d)) throw new ConfigException(where(configName + ".yaml") + ": unsupported defaults entry '" + d + "'");
            }
        }
        List<String[]> values = new ArrayList<>();
        for (String o : overrides) {
            String[] kv = split(o);
            if (groups.containsKey(kv[0])) groups.put(kv[0], kv[1]);
            else values.add(kv);
        }
        Map<String, Object> cfg = new LinkedHashMap<>();
        for (var g : groups.entrySet()) cfg.put(g.getKey(), read(g.getKey() + "/" + g.getValue() + ".yaml"));
        merge(cfg, primary);
        for (String[] kv : values) set(cfg, kv[0], parseScalar(kv[0], kv[1]));
        resolve(cfg, cfg, "");
        return cfg;
    }

    /** Applies key=value overrides to an already composed configuration (a resumed run's saved one). */
    public static Map<String, Object> applyOverrides(Map<String, Object> cfg, List<String> overrides) {
        Map<String, Object> out = copy(cfg);
        for (String o : overrides) {
            String[] kv = split(o);
            set(out, kv[0], parseScalar(kv[0], kv[1]));
        }
        resolve(out, out, "");
        return out;
    }

    /** key=value (Hydra's +key=value adds a key; here every key may be set) into {key, value}. */
    private static String[] split(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) throw new ConfigException("override '" + override + "': expected key=value");
        String key = override.substring(0, eq).strip();
        return new String[] {key.startsWith("+") ? key.substring(1) : key, override.substring(eq + 1)};
    }

    private String where(String rel) {
        return dir == null ? "built-in config/" + rel : dir.resolve(rel).toString();
    }

    private Map<String, Object> read(String rel) {
        String text;
        try {
            if (dir != null) {
                Path p = dir.resolve(rel);
                if (!Files.isRegularFile(p)) throw new ConfigException(p + ": no such config file");
                text = hrm.io.BoundedRead.text(p, hrm.io.SafeYaml.MAX_BYTES, "a configuration file");
            } else {
                try (InputStream in = ConfigLoader.class.getResourceAsStream("/config/" + rel)) {
                    if (in == null) throw new ConfigException("built-in config/" + rel + ": no such config");
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new ConfigException(where(rel) + ": " + hrm.io.IoMessages.of(e), e);
        }
        Object doc;
        try {
            doc = hrm.io.SafeYaml.load(text);
        } catch (RuntimeException e) {
            throw new ConfigException(where(rel) + ": not valid YAML: " + hrm.io.ErrorText.of(e), e);
        }
        if (doc == null) return new LinkedHashMap<>();
        if (!(doc instanceof Map<?, ?>)) throw new ConfigException(where(rel) + ": expected a mapping at the top level");
        return copy(doc);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Object map) {
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) map).forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> ? copy(v) : v));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> from) {
        for (var e : from.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m && into.get(e.getKey()) instanceof Map<?, ?> existing)
                merge((Map<String, Object>) existing, (Map<String, Object>) m);
            else into.put(e.getKey(), e.getValue());
        }
    }

    /** A command-line value read as a YAML scalar, so True, 7e-5, null and [a, b] mean what they mean in a file. */
    static Object parseScalar(String key, String text) {
        try {
            Object v = hrm.io.SafeYaml.load(text);
            return v == null && text.isBlank() ? "" : v;
        } catch (RuntimeException e) {
            throw new ConfigException("override " + key + "=" + text + ": not a valid value (" + hrm.io.ErrorText.of(e).lines().findFirst().orElse("") + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> cfg, String dotted, Object value) {
        String[] parts = dotted.split("\\.");
        Map<String, Object> node = cfg;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = node.get(parts[i]);
            if (next == null) {
                next = new LinkedHashMap<String, Object>();
                node.put(parts[i], next);
            } else if (!(next instanceof Map<?, ?>)) {
                throw new ConfigException("override " + dotted + ": '" + String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + "' is not a section");
            }
            node = (Map<String, Object>) next;
        }
        node.put(parts[parts.length - 1], value);
    }

    @SuppressWarnings("unchecked")
    private static void resolve(Map<String, Object> root, Map<String, Object> node, String path) {
        for (var e : node.entrySet()) {
            String here = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m) resolve(root, (Map<String, Object>) m, here);
            else if (e.getValue() instanceof String s && s.contains("${")) e.setValue(interpolate(root, node, here, s, 0));
        }
    }

    @SuppressWarnings("unchecked")
    private static Object interpolate(Map<String, Object> root, Map<String, Object> node, String key, String s, int depth) {
        if (depth > 16) throw new ConfigException(key + " = " + s + ": interpolation does not terminate");
        Matcher m = INTERPOLATION.matcher(s);
        if (m.matches()) {
            String ref = m.group(1).strip();
            Object v = ref.startsWith(".") ? lookup(node, ref.substring(1)) : lookup(root, ref);
            if (v == null) throw new ConfigException(key + " = " + s + ": '" + ref + "' is not set");
            return v instanceof String t && t.contains("${") ? interpolate(root, node, key, t, depth + 1) : v;
        }
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1).strip();
            Object v = ref.startsWith(".") ? lookup(node, ref.substring(1)) : lookup(root, ref);
            if (v == null) throw new ConfigException(key + " = " + s + ": '" + ref + "' is not set");
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(v)));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Object lookup(Map<String, Object> node, String dotted) {
        Object cur = node;
        for (String p : dotted.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) return null;
            cur = ((Map<String, Object>) m).get(p);
        }
        return cur;
    }
}
