package hrm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.checkpoint.NpyStateDict;
import hrm.checkpoint.ParameterLoader;
import hrm.data.Npy;
import hrm.model.Batch;
import hrm.model.ModelConfig;
import hrm.model.Parameters;
import hrm.tensor.Backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** One parity fixture directory (docs/model.md §12), read through what the format promises. */
final class ParityFixture {
    final Path dir;
    final JsonNode json;
    final ModelConfig config;
    final int globalBatchSize, evalSteps, trainSteps;

    ParityFixture(Path dir) {
        this.dir = dir;
        try {
            json = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        json.get("model").fields().forEachRemaining(f -> model.put(f.getKey(),
                f.getValue().isNumber() ? (Object) f.getValue().numberValue() : f.getValue().asText()));
        if (json.has("loss")) model.put("loss_type", json.get("loss").asText());
        config = ModelConfig.fromMap(model);
        globalBatchSize = json.path("global_batch_size").asInt(config.batchSize());
        evalSteps = json.path("eval_steps").asInt(0);
        trainSteps = json.path("train_steps").asInt(0);
    }

    /**
     * Every fixture directory under root by display name; fails (never skips) when root is not a
     * directory or holds no fixtures, so a mistyped HRM_PARITY_FIXTURES cannot pass.
     */
    static Map<String, Path> named(Path root) {
        if (!Files.isDirectory(root)) throw new AssertionError("HRM_PARITY_FIXTURES: " + root.toAbsolutePath() + " is not a directory");
        java.util.List<Path> dirs = find(root);
        if (dirs.isEmpty()) throw new AssertionError("no parity fixtures (directories with config.json and init/) under " + root.toAbsolutePath());
        Map<String, Path> out = new LinkedHashMap<>();
        for (Path d : dirs) {
            String name = root.relativize(d).toString();
            out.put(name.isEmpty() ? d.getFileName().toString() : name, d);
        }
        return out;
    }

    /** Every directory under root (itself included) that holds a config.json, sorted by name. */
    static java.util.List<Path> find(Path root) {
        try (Stream<Path> s = Files.walk(root, 3)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("config.json")) && Files.isDirectory(p.resolve("init")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    double opt(String key) {
        JsonNode n = json.path("optimizer").get(key);
        if (n == null) throw new IllegalArgumentException(dir + "/config.json: optimizer." + key + " missing");
        return n.asDouble();
    }

    Npy.Array npy(String rel) {
        return Npy.read(dir.resolve(rel));
    }

    boolean exists(String rel) {
        return Files.exists(dir.resolve(rel));
    }

    Batch batch() {
        return new Batch(npy("batch/inputs.npy").toInts(), npy("batch/labels.npy").toInts(),
                npy("batch/puzzle_identifiers.npy").toInts());
    }

    /** name -> array for every .npy in a folder (names without the extension), sorted. */
    Map<String, Npy.Array> tensors(String rel) {
        Map<String, Npy.Array> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir.resolve(rel))) {
            s.filter(p -> p.getFileName().toString().endsWith(".npy")).forEach(p -> {
                String f = p.getFileName().toString();
                out.put(f.substring(0, f.length() - 4), Npy.read(p));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Loads init/ into the parameters; every tensor of the model must be there with its shape. */
    void loadInit(Parameters p, Backend be) {
        ParameterLoader.load(NpyStateDict.read(dir.resolve("init")), p, be);
    }
}
