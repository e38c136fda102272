package hrm.checkpoint;

/** Element types of stored tensors, under their safetensors names. All little-endian. */
public enum DType {
    F64(8, true), F32(4, true), F16(2, true), BF16(2, true),
    I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

    public final int bytes;
    public final boolean floating;

    DType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** The type named {@code s} (safetensors spelling), or null. */
    public static DType byName(String s) {
        for (DType t : values()) if (t.name().equals(s)) return t;
        return null;
    }
}
