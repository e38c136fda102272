package hrm.tensor;

/**
 * A handle to an array of numbers owned by a {@link Backend}: where they live (heap, device) is the
 * backend's business, what they are is {@link #dtype()}. Slices are views that share storage (and
 * the type); the model takes them once at set-up.
 */
public interface Tensor {
    /** Number of elements. */
    int size();

    /** float32, or bfloat16: then every operation writing this tensor rounds what it writes to bfloat16. */
    DataType dtype();

    /** A view of {@code length} elements starting {@code offset} elements in. */
    Tensor slice(int offset, int length);
}
