package hrm.train.log;

import hrm.io.AtomicFiles;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The resolved configuration as {@code all_config.yaml}, in the shape the reference writes it
 * ({@code yaml.dump(config.model_dump())}): block style, keys sorted at every level, floats as PyYAML writes
 * them ({@code 0.0001}, {@code 1.0e-05}, {@code 4.0}), so the authors' tools and ours read each other's files.
 */
public final class ConfigYaml {
    private ConfigYaml() {}

    /** Writes the configuration atomically. Values: strings, numbers, booleans, null, lists and maps of them. */
    public static void write(Path file, Map<String, ?> config) {
        String text = dump(config);
        AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    static String dump(Map<String, ?> config) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(Integer.MAX_VALUE); // long strings (paths) stay on one line
        return new Yaml(new PyYamlRepresenter(options), options).dump(sorted(config, "config"));
    }

    /** Reads a configuration file; a syntax error names the file and the line. */
    public static Map<String, Object> read(Path file) {
        // bounded while read, as SafeYaml bounds what it parses: a hostile file costs 8 MiB at most
        String text = hrm.io.BoundedRead.text(file, hrm.io.SafeYaml.MAX_BYTES, "a configuration file");
        Object root;
        try {
            root = hrm.io.SafeYaml.load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark != null ? " line " + (mark.getLine() + 1) + " column " + (mark.getColumn() + 1) : "";
            throw new IllegalArgumentException(file + where + ": " + e.getProblem(), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
        if (!(root instanceof Map<?, ?> map))
            throw new IllegalArgumentException(file + ": the top level must be a mapping of keys to values, found "
                    + (root == null ? "nothing" : root.getClass().getSimpleName()));
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) map;
        return config;
    }

    /** Copies maps into key-sorted ones, recursively, checking that every value is plain data. */
    private static Object sorted(Object value, String key) {
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k))
                    throw new IllegalArgumentException("configuration key under '" + key + "' is not a string: " + e.getKey());
                out.put(k, sorted(e.getValue(), key.equals("config") ? k : key + "." + k));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) out.add(sorted(item, key));
            return out;
        }
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) return value;
        throw new IllegalArgumentException("configuration value of '" + key + "' is not plain data: "
                + value.getClass().getName());
    }

    /** Text of a float as Python's repr gives it, with PyYAML's '.0' added to an exponent form without a point. */
    static String pythonFloat(double v) {
        if (Double.isNaN(v)) return ".nan";
        if (Double.isInfinite(v)) return v > 0 ? ".inf" : "-.inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros(); // shortest round-trip digits
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = d.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits + ".0" : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    private static final class PyYamlRepresenter extends Representer {
        PyYamlRepresenter(DumperOptions options) {
            super(options);
            Represent floats = data -> representScalar(Tag.FLOAT, pythonFloat(((Number) data).doubleValue()));
            representers.put(Double.class, floats);
            representers.put(Float.class, data -> representScalar(Tag.FLOAT,
                    pythonFloat(Double.parseDouble(Float.toString((Float) data)))));
        }
    }
}
