package hrm.tensor.cpu;

import hrm.tensor.Tensor;

/** A float32 tensor on the Java heap: {@code len} floats of {@code a} starting at {@code off}. */
public record CpuTensor(float[] a, int off, int len) implements Tensor {
    public CpuTensor {
        if (off < 0 || len < 0 || off + len > a.length)
            throw new IndexOutOfBoundsException("slice [" + off + ", " + (off + len) + ") of " + a.length);
    }

    @Override
    public int size() {
        return len;
    }

    @Override
    public CpuTensor slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > len)
            throw new IndexOutOfBoundsException("slice [" + offset + ", " + (offset + length) + ") of a tensor of " + len);
        return new CpuTensor(a, off + offset, length);
    }
}
