package hrm.tensor.cpu;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.Version;

import java.lang.foreign.MemorySegment;

/**
 * A bfloat16 tensor stored at its type's own width: {@code len} values of 2 bytes (the upper half of
 * the float's bits, little-endian) in native memory, half the bytes of a {@link CpuTensor}. What
 * {@link hrm.tensor.Backend#allocateCompact} gives for bfloat16: the MLP's interior, which only the
 * products and SwiGLU read and write, so oneDNN reads and writes it in place and our kernels widen it
 * as they load it (exact) and round what they store into it.
 */
public record Bf16Tensor(MemorySegment data, int len) implements Tensor {
    public Bf16Tensor {
        if (len < 0 || data.byteSize() < 2L * len)
            throw new IndexOutOfBoundsException(len + " values in " + data.byteSize() + " bytes");
    }

    @Override
    public int size() {
        return len;
    }

    @Override
    public DataType dtype() {
        return DataType.BFLOAT16;
    }

    @Override
    public Bf16Tensor slice(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > len)
            throw new IndexOutOfBoundsException("slice [" + offset + ", " + (offset + length) + ") of a tensor of " + len);
        return new Bf16Tensor(data.asSlice(2L * offset, 2L * length), length);
    }

    @Override
    public Version version() {
        return null;
    }

    /** The 2-byte values in place. */
    @Override
    public MemorySegment segment() {
        return data;
    }
}
