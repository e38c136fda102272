package hrm.tensor;

import java.lang.foreign.MemorySegment;

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

    /** The write count of the tensors this one belongs to ({@link Backend#allocate(int, DataType, Version)}), or null. */
    Version version();

    /**
     * The elements where a native library (MPI's collectives) can read and write them in place, in
     * the layout the backend keeps them ({@link hrm.tensor.cpu.CpuTensor}: 4-byte floats, bfloat16
     * values included; a compact one, {@link hrm.tensor.cpu.Bf16Tensor}: 2-byte bfloat16 values):
     * memory of the Java heap or off it. A backend whose memory the host cannot
     * address throws.
     */
    MemorySegment segment();
}
