package hrm.tensor.cpu;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.Version;

import java.lang.foreign.MemorySegment;

/**
 * A tensor on the Java heap: {@code len} floats of {@code a} starting at {@code off}. A bfloat16 tensor
 * keeps its values in the same float storage, each one a bfloat16 value (every kernel rounds what it
 * writes there), so float32 and bfloat16 share every kernel's code. What a block keeps is stored at
 * 2 bytes a value instead ({@link Bf16Tensor}).
 */
public record CpuTensor(float[] a, int off, int len, DataType dtype, Version version) implements Tensor {
    public CpuTensor {
        if (off < 0 || len < 0 || off + len > a.length)
            throw new IndexOutOfBoundsException("slice [" + off + ", " + (off + len) + ") of " + a.length);
    }

    /** A tensor without a version. */
    public CpuTensor(float[] a, int off, int len, DataType dtype) {
        this(a, off, len, dtype, null);
    }

    /** A float32 tensor. */
    public CpuTensor(float[] a, int off, int len) {
        this(a, off, len, DataType.FLOAT32);
    }

    @Override
    public int size() {
        return len;
    }

    boolean bf16() {
        return dtype == DataType.BFLOAT16;
    }

    @Override
    public CpuTensor slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > len)
            throw new IndexOutOfBoundsException("slice [" + offset + ", " + (offset + length) + ") of a tensor of " + len);
        return new CpuTensor(a, off + offset, length, dtype, version);
    }

    /** The floats of {@code a} this tensor covers, on the heap (a native call reaches them only when linked with heap access). */
    @Override
    public MemorySegment segment() {
        return MemorySegment.ofArray(a).asSlice(4L * off, 4L * len);
    }
}
