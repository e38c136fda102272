package hrm.model;

/** pos_encodings (docs/model.md §1.1, §3, §4): RoPE on q and k, a learned table added to the embedding, or none. */
public enum PosEncoding {
    ROPE("rope"), LEARNED("learned"), NONE("none");

    /** The name configs use. */
    public final String key;

    PosEncoding(String key) {
        this.key = key;
    }

    /** The encoding named {@code key}, or null. */
    static PosEncoding byKey(String key) {
        for (PosEncoding p : values()) if (p.key.equals(key)) return p;
        return null;
    }

    @Override
    public String toString() {
        return key;
    }
}
