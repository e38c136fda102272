package hrm.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One stored tensor: name, element type, shape and its raw little-endian bytes (C order). The bytes
 * may be a read-only slice of a memory-mapped file; the typed accessors copy them out.
 */
public final class NamedTensor {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    public NamedTensor(String name, DType dtype, long[] shape, ByteBuffer data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        long n = numel(this.shape, name);
        if (data.remaining() != n * dtype.bytes)
            throw new IllegalArgumentException(name + ": " + data.remaining() + " bytes for shape " + shapeString(this.shape)
                    + " of " + dtype + " (needs " + n * dtype.bytes + ")");
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static NamedTensor ofFloats(String name, float[] v, long... shape) {
        ByteBuffer b = allocate(v.length, 4);
        b.asFloatBuffer().put(v);
        return new NamedTensor(name, DType.F32, shape, b);
    }

    /** Stored as bfloat16, rounded to nearest even as PyTorch's {@code .to(torch.bfloat16)} does. */
    public static NamedTensor ofBfloat16(String name, float[] v, long... shape) {
        ByteBuffer b = allocate(v.length, 2);
        for (int i = 0; i < v.length; i++) b.putShort(2 * i, toBfloat16(v[i]));
        return new NamedTensor(name, DType.BF16, shape, b);
    }

    public static NamedTensor ofDoubles(String name, double[] v, long... shape) {
        ByteBuffer b = allocate(v.length, 8);
        b.asDoubleBuffer().put(v);
        return new NamedTensor(name, DType.F64, shape, b);
    }

    public static NamedTensor ofInts(String name, int[] v, long... shape) {
        ByteBuffer b = allocate(v.length, 4);
        b.asIntBuffer().put(v);
        return new NamedTensor(name, DType.I32, shape, b);
    }

    public static NamedTensor ofLongs(String name, long[] v, long... shape) {
        ByteBuffer b = allocate(v.length, 8);
        b.asLongBuffer().put(v);
        return new NamedTensor(name, DType.I64, shape, b);
    }

    /** Raw bytes of any type (U8, BOOL, F16, ...), little-endian. */
    public static NamedTensor ofBytes(String name, DType dtype, byte[] raw, long... shape) {
        return new NamedTensor(name, dtype, shape, ByteBuffer.wrap(raw.clone()));
    }

    private static ByteBuffer allocate(int n, int bytes) {
        return ByteBuffer.allocate(Math.multiplyExact(n, bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    /** The bytes, read-only, little-endian, positioned at 0. */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long numel() {
        return numel(shape, name);
    }

    public long byteSize() {
        return data.remaining();
    }

    public String shapeString() {
        return shapeString(shape);
    }

    static String shapeString(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    static long numel(long[] shape, String name) {
        long n = 1;
        for (long s : shape) {
            if (s < 0) throw new IllegalArgumentException(name + ": negative dimension in shape " + shapeString(shape));
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    private int count() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException(name + ": " + n + " elements do not fit a Java array");
        return (int) n;
    }

    /** Values as float32. F32, BF16 and F16 are exact; F64 is rounded to nearest; integer types are refused. */
    public float[] toFloats() {
        int n = count();
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((data.getShort(2 * i) & 0xffff) << 16);
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(data.getShort(2 * i));
            }
            case F64 -> {
                for (int i = 0; i < n; i++) out[i] = (float) data.getDouble(8 * i);
            }
            default -> throw new IllegalArgumentException(name + ": expected a floating-point tensor, found " + dtype);
        }
        return out;
    }

    /** Values as float64 (exact for every floating type). */
    public double[] toDoubles() {
        if (dtype == DType.F64) {
            double[] out = new double[count()];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
            return out;
        }
        float[] f = toFloats();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    /** Integer values as long[]; floating types are refused. */
    public long[] toLongs() {
        int n = count();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case I64 -> data.getLong(8 * i);
                case I32 -> data.getInt(4 * i);
                case I16 -> data.getShort(2 * i);
                case I8 -> data.get(i);
                case U8, BOOL -> data.get(i) & 0xff;
                default -> throw new IllegalArgumentException(name + ": expected an integer tensor, found " + dtype);
            };
        }
        return out;
    }

    /** Integer values as int[]; a value outside the int range is an error naming the tensor and the element. */
    public int[] toInts() {
        if (dtype == DType.I32) {
            int[] out = new int[count()];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
            return out;
        }
        long[] l = toLongs();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] != (int) l[i]) throw new IllegalArgumentException(name + ": element " + i + " = " + l[i] + " does not fit an int");
            out[i] = (int) l[i];
        }
        return out;
    }

    /** float32 to bfloat16 bits, round to nearest even; NaN stays a (quiet) NaN. */
    public static short toBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeString();
    }

    /** Same name, type, shape and bytes. */
    public boolean contentEquals(NamedTensor o) {
        return name.equals(o.name) && dtype == o.dtype && Arrays.equals(shape, o.shape) && data().equals(o.data());
    }
}
