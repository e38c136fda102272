package hrm.tensor;

/**
 * What a tensor's values are: float32, or bfloat16 (the authors' {@code forward_dtype}). A bfloat16
 * tensor holds only values that bfloat16 can represent: every operation that writes one rounds its
 * result to nearest-even there, which is where the reference's bfloat16 tensors round.
 */
public enum DataType {
    FLOAT32("float32"), BFLOAT16("bfloat16");

    /** The name configs and PyTorch use. */
    public final String configName;

    DataType(String configName) {
        this.configName = configName;
    }

    /** The type named {@code name} in a config (float32 or bfloat16), or null. */
    public static DataType byConfigName(String name) {
        for (DataType t : values()) if (t.configName.equals(name)) return t;
        return null;
    }
}
