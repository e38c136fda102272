package hrm.data;

import hrm.io.AtomicFiles;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files, format versions 1, 2 and 3, little-endian, C order.
 *
 * <p>Files are memory-mapped, so a multi-gigabyte dataset array is not read into the heap until a
 * caller asks for a copy. Writes go to a temporary file that is renamed into place.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Element types the reference's files use. */
    public enum DType {
        BOOL("|b1", 1), UINT8("|u1", 1), INT8("|i1", 1), INT16("<i2", 2), UINT16("<u2", 2),
        INT32("<i4", 4), UINT32("<u4", 4), INT64("<i8", 8), FLOAT32("<f4", 4), FLOAT64("<f8", 8);

        public final String descr;
        public final int bytes;

        DType(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        static DType parse(String d, Path file) {
            String norm = d.length() == 3 && d.charAt(0) == '=' ? "<" + d.substring(1) : d;
            if (norm.equals("<u1") || norm.equals("u1")) norm = "|u1";
            if (norm.equals("<i1") || norm.equals("i1")) norm = "|i1";
            if (norm.equals("<b1") || norm.equals("b1") || norm.equals("?")) norm = "|b1";
            for (DType t : values()) if (t.descr.equals(norm)) return t;
            if (d.startsWith(">")) throw new NpyFormatException(file, "big-endian dtype '" + d + "' is not supported");
            throw new NpyFormatException(file, "unsupported dtype '" + d + "'");
        }
    }

    /** A malformed or unsupported file; the message names the file and the field. */
    public static final class NpyFormatException extends RuntimeException {
        public NpyFormatException(Path file, String what) {
            super(file + ": " + what);
        }
    }

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * An array: its type, its shape and its little-endian data, memory-mapped read-only. The data
     * is a MemorySegment, so arrays over 2 GiB (an ARC build with 1000 augmentations has 3 GB token
     * files) are read like small ones.
     */
    public record Array(Path file, DType dtype, long[] shape, MemorySegment segment) {
        public long size() {
            long n = 1;
            for (long s : shape) n *= s;
            return n;
        }

        public int dim(int i) {
            return Math.toIntExact(shape[i]);
        }

        /** The data as a little-endian ByteBuffer; only for arrays under 2 GiB. */
        public ByteBuffer data() {
            if (segment.byteSize() > Integer.MAX_VALUE) throw new NpyFormatException(file, "over 2 GiB: read it through segment()");
            return segment.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }

        private int checkedSize() {
            long n = size();
            if (n > Integer.MAX_VALUE - 16) throw new NpyFormatException(file, "array too large for a Java array: " + n);
            return (int) n;
        }

        /** Element {@code i} as a long, for any integer or bool type. */
        public long getLong(long i) {
            long at = i * dtype.bytes;
            return switch (dtype) {
                case BOOL, UINT8 -> segment.get(ValueLayout.JAVA_BYTE, at) & 0xff;
                case INT8 -> segment.get(ValueLayout.JAVA_BYTE, at);
                case INT16 -> segment.get(I16, at);
                case UINT16 -> segment.get(I16, at) & 0xffff;
                case INT32 -> segment.get(I32, at);
                case UINT32 -> segment.get(I32, at) & 0xffffffffL;
                case INT64 -> segment.get(I64, at);
                case FLOAT32 -> (long) segment.get(F32, at);
                case FLOAT64 -> (long) segment.get(F64, at);
            };
        }

        public double getDouble(long i) {
            long at = i * dtype.bytes;
            return switch (dtype) {
                case FLOAT32 -> segment.get(F32, at);
                case FLOAT64 -> segment.get(F64, at);
                default -> getLong(i);
            };
        }

        public float[] toFloats() {
            int n = checkedSize();
            float[] out = new float[n];
            if (dtype == DType.FLOAT32) MemorySegment.copy(segment, F32, 0, out, 0, n);
            else for (int i = 0; i < n; i++) out[i] = (float) getDouble(i);
            return out;
        }

        public double[] toDoubles() {
            int n = checkedSize();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) out[i] = getDouble(i);
            return out;
        }

        /** Integer contents as int[]; values outside the int range are an error naming the file. */
        public int[] toInts() {
            int n = checkedSize();
            int[] out = new int[n];
            if (dtype == DType.INT32) {
                MemorySegment.copy(segment, I32, 0, out, 0, n);
                return out;
            }
            if (dtype == DType.FLOAT32 || dtype == DType.FLOAT64)
                throw new NpyFormatException(file, "expected an integer array, found dtype " + dtype.descr);
            for (int i = 0; i < n; i++) {
                long v = getLong(i);
                if (v != (int) v) throw new NpyFormatException(file, "element " + i + " = " + v + " does not fit an int");
                out[i] = (int) v;
            }
            return out;
        }
    }

    /** Reads (memory-maps) a file. */
    public static Array read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(fileSize, 12)).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            head.flip();
            if (head.remaining() < 10) throw new NpyFormatException(file, "too short for an .npy header");
            for (int i = 0; i < MAGIC.length; i++)
                if (head.get(i) != MAGIC[i]) throw new NpyFormatException(file, "not an .npy file (bad magic)");
            int major = head.get(6);
            long headerLen;
            int dataStart;
            if (major == 1) {
                headerLen = head.getShort(8) & 0xffff;
                dataStart = 10;
            } else if (major == 2 || major == 3) {
                if (head.remaining() < 12) throw new NpyFormatException(file, "truncated version-" + major + " header");
                headerLen = head.getInt(8) & 0xffffffffL;
                dataStart = 12;
            } else {
                throw new NpyFormatException(file, "unsupported .npy format version " + major);
            }
            if (dataStart + headerLen > fileSize) throw new NpyFormatException(file, "header length " + headerLen + " runs past the end of the file");
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, dataStart);
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            DType dtype = DType.parse(field(DESCR, header, "descr", file), file);
            if (field(FORTRAN, header, "fortran_order", file).equals("True"))
                throw new NpyFormatException(file, "fortran_order=True is not supported");
            long[] shape = parseShape(field(SHAPE, header, "shape", file), file);
            long n = 1, bytes;
            try {
                for (long s : shape) n = Math.multiplyExact(n, s);
                bytes = Math.multiplyExact(n, (long) dtype.bytes);
            } catch (ArithmeticException overflow) {
                throw new NpyFormatException(file, "shape " + java.util.Arrays.toString(shape) + " has more elements than any file can hold");
            }
            long offset = dataStart + headerLen;
            if (offset + bytes > fileSize)
                throw new NpyFormatException(file, "truncated: header promises " + bytes + " data bytes, file has " + (fileSize - offset));
            // an automatic arena: the mapping lives as long as the array is reachable
            MemorySegment data = bytes == 0 ? MemorySegment.ofArray(new byte[0])
                    : ch.map(FileChannel.MapMode.READ_ONLY, offset, bytes, Arena.ofAuto());
            return new Array(file, dtype, shape, data);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    private static String field(Pattern p, String header, String name, Path file) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new NpyFormatException(file, "header has no '" + name + "' field: " + header.strip());
        return m.group(1);
    }

    private static long[] parseShape(String s, Path file) {
        List<Long> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String t = part.strip();
            if (t.isEmpty()) continue;
            if (t.endsWith("L")) t = t.substring(0, t.length() - 1);
            try {
                long v = Long.parseLong(t);
                if (v < 0) throw new NumberFormatException();
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(file, "bad dimension '" + part.strip() + "' in shape (" + s + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** Writes an array atomically (temporary file, then rename), format version 1 unless the header needs 2. */
    public static void write(Path file, DType dtype, long[] shape, ByteBuffer littleEndianData) {
        writeAtomically(file, dtype, shape, out -> {
            WritableByteChannel ch = Channels.newChannel(out);
            ByteBuffer d = littleEndianData.duplicate();
            while (d.hasRemaining()) ch.write(d);
        });
    }

    /** Writes an array whose little-endian data is the whole of {@code raw} (any size), atomically. */
    public static void writeFrom(Path file, DType dtype, long[] shape, Path raw) {
        writeAtomically(file, dtype, shape, out -> Files.copy(raw, out));
    }

    private static void writeAtomically(Path file, DType dtype, long[] shape, AtomicFiles.Content body) {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sh.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        sh.append(")");
        String dict = "{'descr': '" + dtype.descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int pre = 10;
        int total = pre + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        boolean v2 = padded - pre > 0xffff;
        if (v2) {
            pre = 12;
            padded = (pre + dict.length() + 1 + 63) / 64 * 64;
        }
        String header = dict + " ".repeat(padded - pre - dict.length() - 1) + "\n";
        ByteBuffer hb = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        hb.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) hb.putInt(header.length());
        else hb.putShort((short) header.length());
        hb.put(header.getBytes(StandardCharsets.ISO_8859_1));
        AtomicFiles.write(file, out -> {
            out.write(hb.array(), 0, hb.position());
            body.writeTo(out);
        });
    }

    public static void writeFloats(Path file, float[] data, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        write(file, DType.FLOAT32, shape, b);
    }

    /** An int32 array of the given shape (1-d when no shape is given). */
    public static void writeInts(Path file, int[] data, long... shape) {
        if (shape.length == 0) shape = new long[] {data.length};
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(data);
        write(file, DType.INT32, shape, b);
    }
}
