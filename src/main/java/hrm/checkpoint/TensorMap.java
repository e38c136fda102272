package hrm.checkpoint;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors in insertion order, with string metadata (safetensors' {@code __metadata__}) and the
 * file they came from, so errors can name both.
 */
public final class TensorMap {
    private final Path source;
    private final Map<String, NamedTensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** An empty map; {@code source} (may be null) is the file it was read from, for messages. */
    public TensorMap(Path source) {
        this.source = source;
    }

    public TensorMap() {
        this(null);
    }

    public Path source() {
        return source;
    }

    /** Adds a tensor under its own name; a second tensor of the same name is an error. */
    public TensorMap put(NamedTensor t) {
        if (tensors.putIfAbsent(t.name(), t) != null)
            throw new IllegalArgumentException(where() + "two tensors named '" + t.name() + "'");
        return this;
    }

    public TensorMap putMetadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor named {@code name}; missing is an error naming the file and the tensor. */
    public NamedTensor get(String name) {
        NamedTensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(where() + "no tensor named '" + name + "'");
        return t;
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public Iterable<NamedTensor> tensors() {
        return Collections.unmodifiableCollection(tensors.values());
    }

    public int size() {
        return tensors.size();
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    private String where() {
        return source == null ? "" : source + ": ";
    }
}
