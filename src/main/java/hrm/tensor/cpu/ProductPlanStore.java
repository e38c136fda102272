package hrm.tensor.cpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hrm.io.AtomicFiles;
import hrm.io.BoundedRead;
import hrm.io.CacheDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The measured product choices of one machine, in {@code products/<machine>.json} under the cache
 * directory. A machine is everything the rates depend on: the CPU (model, family, flags), the
 * logical cores and the threads a run uses, the native library's version and instruction set, the
 * Java vector width and this file's {@link #KERNELS} version (raised when our kernels change, so old
 * rates are not trusted). The file names the machine by a digest of that description and holds the
 * description too; a file that is damaged, too large or describes another machine is measured
 * again and replaced (it is ours: nothing else writes that name). Writes are atomic; a cache that
 * cannot be written keeps the plan in memory after one notice.
 */
public final class ProductPlanStore {
    /** Raise when a kernel's speed changes enough that rates measured before are wrong. */
    static final int KERNELS = 2; // 2: the Java products read the weights' 2-byte copies (faster than 1's float copies)
    static final int FORMAT = 1;
    static final long LIMIT = 1 << 20;

    private final Path file;
    private final Map<String, String> machine;
    private final Consumer<String> notices;
    private boolean warned;

    ProductPlanStore(Path file, Map<String, String> machine, Consumer<String> notices) {
        this.file = file;
        this.machine = Map.copyOf(machine);
        this.notices = notices;
    }

    /** The store of this machine running {@code threads} threads with {@code nativeLibrary} ("oneDNN 3.3.4 isa 0xe7"). */
    public static ProductPlanStore forThisMachine(int threads, String nativeLibrary, Consumer<String> notices) {
        return in(CacheDirectory.base().resolve("products"), describeMachine(threads, nativeLibrary), notices);
    }

    /** The store of the machine {@code machine} describes, in {@code dir}. */
    public static ProductPlanStore in(Path dir, Map<String, String> machine, Consumer<String> notices) {
        return new ProductPlanStore(dir.resolve(digest(machine) + ".json"), machine, notices);
    }

    public Path file() {
        return file;
    }

    /** What the rates depend on. */
    static Map<String, String> describeMachine(int threads, String nativeLibrary) {
        Map<String, String> m = new TreeMap<>(cpuInfo());
        m.put("logical_cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("threads", Integer.toString(threads));
        m.put("native", nativeLibrary);
        m.put("java_vector_bits", Integer.toString(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize()));
        m.put("java", Runtime.version().feature() + "");
        m.put("kernels", Integer.toString(KERNELS));
        return m;
    }

    /** The first processor's model, family and flags from /proc/cpuinfo (os.arch alone elsewhere). */
    private static Map<String, String> cpuInfo() {
        Map<String, String> m = new TreeMap<>();
        m.put("arch", System.getProperty("os.arch"));
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.isBlank()) break; // the first processor's block
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
                switch (key) {
                    case "vendor_id", "cpu family", "model", "model name", "stepping", "flags" -> m.put(key.replace(' ', '_'), value);
                    default -> {}
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture, cores and library versions still tell machines apart
        }
        return m;
    }

    static String digest(Map<String, String> machine) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (var e : new TreeMap<>(machine).entrySet()) d.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored choices; empty where there is no file or it cannot be trusted. */
    Map<String, ProductPlan.Choice> load() {
        Map<String, ProductPlan.Choice> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) return out;
        try {
            JsonNode root = new ObjectMapper().readTree(BoundedRead.text(file, LIMIT, "product plan"));
            if (root == null || root.path("format").asInt() != FORMAT || !sameMachine(root.path("machine"))) return out;
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("products").fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode c = e.getValue();
                ProductPlan.Path path = ProductPlan.Path.valueOf(c.path("path").asText());
                out.put(e.getKey(), new ProductPlan.Choice(path, rate(c, "java_gflops"), rate(c, "onednn_gflops")));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return new LinkedHashMap<>(); // damaged: measured again and replaced
        }
    }

    private static double rate(JsonNode c, String field) {
        return c.hasNonNull(field) ? c.get(field).asDouble() : Double.NaN;
    }

    private boolean sameMachine(JsonNode m) {
        if (!m.isObject() || m.size() != machine.size()) return false;
        for (var e : machine.entrySet())
            if (!e.getValue().equals(m.path(e.getKey()).asText(null))) return false;
        return true;
    }

    /** Writes every choice (atomically); where it cannot, says so once and keeps going. */
    void save(Map<String, ProductPlan.Choice> choices) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode m = root.putObject("machine");
        new TreeMap<>(machine).forEach(m::put);
        ObjectNode products = root.putObject("products");
        new TreeMap<>(choices).forEach((key, c) -> {
            ObjectNode n = products.putObject(key);
            n.put("path", c.path().name());
            if (!Double.isNaN(c.javaGflops())) n.put("java_gflops", Math.round(c.javaGflops() * 10) / 10.0);
            if (!Double.isNaN(c.onednnGflops())) n.put("onednn_gflops", Math.round(c.onednnGflops() * 10) / 10.0);
        });
        try {
            byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            AtomicFiles.write(file, out -> out.write(bytes));
        } catch (IOException | RuntimeException e) {
            if (!warned) notices.accept("note: the measured product choices stay in memory: " + file + " cannot be written (" + hrm.io.ErrorText.of(e) + ")");
            warned = true;
        }
    }
}
