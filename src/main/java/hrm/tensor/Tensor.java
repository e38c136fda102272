package hrm.tensor;

/**
 * A handle to a float32 array owned by a {@link Backend}: where the numbers live (heap, device) is the
 * backend's business. Slices are views that share storage; the model takes them once at set-up.
 */
public interface Tensor {
    /** Number of floats. */
    int size();

    /** A view of {@code length} floats starting {@code offset} floats in. */
    Tensor slice(int offset, int length);
}
