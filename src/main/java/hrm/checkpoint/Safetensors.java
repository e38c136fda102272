package hrm.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import hrm.io.AtomicFiles;

import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}},
 * offsets relative to the end of the header), then the tensors' bytes, back to back with no gaps.
 *
 * <p>Reading memory-maps each tensor and checks the header completely before returning (types,
 * shapes against byte counts, offsets contiguous and inside the file), so a truncated or corrupt
 * file fails with the file and the tensor or field named. Writing goes to a temporary file in the
 * same directory, forced to disk, then renamed over the target.
 */
public final class Safetensors {
    static final String METADATA = "__metadata__";
    /** The reference implementation's limit; a larger header is a corrupt length field, not a real file. */
    static final long MAX_HEADER = 100_000_000;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private Safetensors() {}

    /** Reads (memory-maps) a file; tensors come in header order. */
    public static TensorMap read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new CheckpointFormatException(file, "truncated: " + size + " bytes, too short for the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 2 || headerLen > MAX_HEADER)
                throw new CheckpointFormatException(file, "header length " + Long.toUnsignedString(headerLen)
                        + " is not plausible (2 to " + MAX_HEADER + " bytes); not a safetensors file or corrupt");
            if (8 + headerLen > size)
                throw new CheckpointFormatException(file, "truncated: header length " + headerLen + " but only " + (size - 8) + " bytes follow it");
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode root;
            try {
                root = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new CheckpointFormatException(file, "header is not valid JSON: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) throw new CheckpointFormatException(file, "header is not a JSON object");
            long dataStart = 8 + headerLen, dataLen = size - dataStart;

            TensorMap out = new TensorMap(file);
            List<Slot> slots = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals(METADATA)) readMetadata(file, f.getValue(), out);
                else slots.add(slot(file, f.getKey(), f.getValue()));
            }
            checkLayout(file, slots, dataLen);
            for (Slot s : slots) {
                long len = s.end - s.begin;
                if (len > Integer.MAX_VALUE) throw new CheckpointFormatException(file, "tensor '" + s.name + "': " + len + " bytes, over the 2 GiB a tensor may have here");
                ByteBuffer data = len == 0 ? ByteBuffer.allocate(0) : ch.map(FileChannel.MapMode.READ_ONLY, dataStart + s.begin, len);
                out.put(new NamedTensor(s.name, s.dtype, s.shape, data));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    private record Slot(String name, DType dtype, long[] shape, long begin, long end) {}

    private static Slot slot(Path file, String name, JsonNode n) {
        String at = "tensor '" + name + "'";
        if (!n.isObject()) throw new CheckpointFormatException(file, at + ": header entry is not an object");
        JsonNode dt = n.get("dtype");
        if (dt == null || !dt.isTextual()) throw new CheckpointFormatException(file, at + ": missing or non-string 'dtype'");
        DType dtype = DType.byName(dt.asText());
        if (dtype == null) throw new CheckpointFormatException(file, at + ": unsupported dtype '" + dt.asText() + "'");
        long[] shape = longs(file, at, n, "shape", -1);
        long[] offsets = longs(file, at, n, "data_offsets", 2);
        if (offsets[1] < offsets[0])
            throw new CheckpointFormatException(file, at + ": data_offsets [" + offsets[0] + ", " + offsets[1] + "] end before they begin");
        long numel;
        try {
            numel = NamedTensor.numel(shape, name);
            Math.multiplyExact(numel, (long) dtype.bytes);
        } catch (ArithmeticException e) {
            throw new CheckpointFormatException(file, at + ": shape " + NamedTensor.shapeString(shape) + " is too large");
        }
        if (offsets[1] - offsets[0] != numel * dtype.bytes)
            throw new CheckpointFormatException(file, at + ": data_offsets [" + offsets[0] + ", " + offsets[1] + "] hold "
                    + (offsets[1] - offsets[0]) + " bytes, but " + dtype + " " + NamedTensor.shapeString(shape) + " needs " + numel * dtype.bytes);
        return new Slot(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] longs(Path file, String at, JsonNode n, String field, int wantLength) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) throw new CheckpointFormatException(file, at + ": missing or non-array '" + field + "'");
        if (wantLength >= 0 && a.size() != wantLength)
            throw new CheckpointFormatException(file, at + ": '" + field + "' has " + a.size() + " entries, expected " + wantLength);
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0)
                throw new CheckpointFormatException(file, at + ": '" + field + "'[" + i + "] = " + v + " is not a non-negative integer");
            out[i] = v.asLong();
        }
        return out;
    }

    private static void readMetadata(Path file, JsonNode m, TensorMap out) {
        if (!m.isObject()) throw new CheckpointFormatException(file, METADATA + " is not an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual())
                throw new CheckpointFormatException(file, METADATA + "." + e.getKey() + " = " + e.getValue() + " is not a string");
            out.putMetadata(e.getKey(), e.getValue().asText());
        }
    }

    /** Tensors must tile the data section exactly: no overlap, no gap, nothing past the end or after the last one. */
    private static void checkLayout(Path file, List<Slot> slots, long dataLen) {
        List<Slot> sorted = new ArrayList<>(slots);
        sorted.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        long at = 0;
        String prev = null;
        for (Slot s : sorted) {
            if (s.begin != at)
                throw new CheckpointFormatException(file, "tensor '" + s.name + "': data starts at byte " + s.begin
                        + (prev == null ? " but the first tensor must start at 0" : " but the previous tensor '" + prev + "' ends at " + at)
                        + " (overlapping or missing data)");
            if (s.end > dataLen)
                throw new CheckpointFormatException(file, "truncated: tensor '" + s.name + "' needs data bytes [" + s.begin + ", " + s.end
                        + ") but the file holds only " + dataLen);
            at = s.end;
            prev = s.name;
        }
        if (at != dataLen)
            throw new CheckpointFormatException(file, (dataLen - at) + " unexpected bytes after the last tensor (header describes " + at
                    + " data bytes, the file has " + dataLen + ")");
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) throw new IOException("unexpected end of file");
            pos += n;
        }
    }

    /**
     * Writes a file atomically. Tensors are laid out widest element type first (then in map order)
     * so that every tensor starts on a multiple of its element size; the header is padded with
     * spaces to a multiple of 8 bytes.
     */
    public static void write(Path file, TensorMap map) {
        List<NamedTensor> order = new ArrayList<>();
        for (NamedTensor t : map.tensors()) {
            if (t.name().equals(METADATA)) throw new IllegalArgumentException(file + ": a tensor may not be named " + METADATA);
            order.add(t);
        }
        order.sort(Comparator.comparingInt((NamedTensor t) -> -t.dtype().bytes));
        ObjectNode header = JSON.createObjectNode();
        if (!map.metadata().isEmpty()) {
            ObjectNode m = header.putObject(METADATA);
            map.metadata().forEach(m::put);
        }
        long offset = 0;
        for (NamedTensor t : order) {
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", t.dtype().name());
            ArrayNode shape = e.putArray("shape");
            for (long s : t.shape()) shape.add(s);
            e.putArray("data_offsets").add(offset).add(offset + t.byteSize());
            offset += t.byteSize();
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        AtomicFiles.write(file, out -> {
            WritableByteChannel ch = Channels.newChannel(out);
            while (head.hasRemaining()) ch.write(head);
            for (NamedTensor t : order) {
                ByteBuffer d = t.data();
                while (d.hasRemaining()) ch.write(d);
            }
        });
    }
}
