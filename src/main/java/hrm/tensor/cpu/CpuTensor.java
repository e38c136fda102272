package hrm.tensor.cpu;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;

/**
 * A tensor on the Java heap: {@code len} floats of {@code a} starting at {@code off}. A bfloat16 tensor
 * keeps its values in the same float storage, each one a bfloat16 value (every kernel rounds what it
 * writes there), so float32 and bfloat16 share every kernel's code.
 */
public record CpuTensor(float[] a, int off, int len, DataType dtype) implements Tensor {
    public CpuTensor {
        if (off < 0 || len < 0 || off + len > a.length)
            throw new IndexOutOfBoundsException("slice [" + off + ", " + (off + len) + ") of " + a.length);
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
        return new CpuTensor(a, off + offset, length, dtype);
    }
}
