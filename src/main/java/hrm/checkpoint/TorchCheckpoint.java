package hrm.checkpoint;

import hrm.checkpoint.SafeUnpickler.PickledTensor;
import hrm.checkpoint.SafeUnpickler.StorageRef;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a state dict written by {@code torch.save} (PyTorch 1.6 and later): a zip archive whose
 * entries sit under one top folder, holding {@code data.pkl} (the pickled dict name -> tensor),
 * {@code data/<key>} (raw little-endian storage bytes) and records such as {@code version} and
 * {@code byteorder}. The pickle is read by {@link SafeUnpickler}, which executes nothing; the
 * storages it refers to are then read and each tensor cut out of its storage (strided views are
 * gathered into C order). Names are returned as stored, {@code _orig_mod.} prefixes included.
 */
public final class TorchCheckpoint {
    /** A real data.pkl is a few kilobytes per tensor; a larger one is not a state dict. */
    static final long MAX_PICKLE = 64L << 20;

    private TorchCheckpoint() {}

    public static TensorMap read(Path file) {
        return read(file, shapes -> Long.MAX_VALUE);
    }

    /**
     * Reads the state dict; {@code maxBytes} is told every tensor's name and shape (from the pickle, before
     * any storage is read) and answers how many storage bytes the model they describe can need at most
     * (it may throw {@link IllegalArgumentException} for shapes no model has). More is refused unread.
     */
    public static TensorMap read(Path file, java.util.function.ToLongFunction<Map<String, long[]>> maxBytes) {
        checkMagic(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String pkl = findPickle(file, zip);
            String root = pkl.substring(0, pkl.length() - "data.pkl".length());
            ZipEntry order = zip.getEntry(root + "byteorder");
            if (order != null) {
                String bo = new String(readEntry(file, zip, order, 16), StandardCharsets.US_ASCII).strip();
                if (!bo.equals("little")) throw new CheckpointFormatException(file, order.getName() + ": byte order '" + bo + "' is not supported (only little)");
            }
            Object top = new SafeUnpickler(file, pkl).read(readEntry(file, zip, zip.getEntry(pkl), MAX_PICKLE));
            if (!(top instanceof Map<?, ?> dict))
                throw new CheckpointFormatException(file, pkl + ": holds a " + (top == null ? "None" : top.getClass().getSimpleName()) + ", not a state dict");
            checkBeforeReading(file, zip, root, dict, maxBytes);
            TensorMap out = new TensorMap(file);
            Map<String, byte[]> storages = new HashMap<>();
            for (Map.Entry<?, ?> e : dict.entrySet()) {
                if (!(e.getKey() instanceof String name)) throw new CheckpointFormatException(file, pkl + ": state-dict key " + e.getKey() + " is not a string");
                if (!(e.getValue() instanceof PickledTensor t))
                    throw new CheckpointFormatException(file, pkl + ": '" + name + "' is a " + (e.getValue() == null ? "None" : e.getValue().getClass().getSimpleName()) + ", not a tensor");
                byte[] storage = storages.get(t.storage().key());
                if (storage == null) {
                    storage = readStorage(file, zip, root, name, t.storage());
                    storages.put(t.storage().key(), storage);
                }
                out.put(view(file, name, t, storage));
            }
            return out;
        } catch (ZipException e) {
            throw new CheckpointFormatException(file, "not a readable zip archive, truncated or corrupt (" + hrm.io.ErrorText.of(e) + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    /**
     * What compressed storage entries may inflate to, beyond the file's own size: torch.save stores
     * tensors uncompressed, so a stored entry costs no more memory than the file holds; a compressed
     * one (a repacked file, or a zip bomb) may cost at most this many times its file plus a margin.
     */
    static final long INFLATE_FACTOR = 8, INFLATE_MARGIN = 64L << 20;

    /**
     * Before any storage is read, in one pass over the distinct storages: each exists with the size its
     * element count says; the compressed ones together inflate to no more than the bound above; and all
     * together hold no more than {@code maxBytes} says the model their tensors' shapes describe needs.
     */
    private static void checkBeforeReading(Path file, ZipFile zip, String root, Map<?, ?> dict,
                                           java.util.function.ToLongFunction<Map<String, long[]>> maxBytes) throws IOException {
        Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        long inflated = 0, total = 0;
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getValue() instanceof PickledTensor t) || !(e.getKey() instanceof String name)) continue; // reported by the caller
            shapes.put(name, t.size());
            if (!seen.add(t.storage().key())) continue;
            ZipEntry z = storageEntry(file, zip, root, name, t.storage());
            total += z.getSize();
            if (z.getMethod() != ZipEntry.STORED) inflated += z.getSize();
        }
        long allowedInflation = INFLATE_FACTOR * Files.size(file) + INFLATE_MARGIN;
        if (inflated > allowedInflation)
            throw new CheckpointFormatException(file, "compressed tensor storages would inflate to " + inflated + " bytes from a file of "
                    + Files.size(file) + " (at most " + allowedInflation + " accepted; torch.save stores tensors uncompressed): refused before inflating");
        long allowed;
        try {
            allowed = maxBytes.applyAsLong(shapes);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "its tensors describe no model this configuration can build: " + hrm.io.ErrorText.of(e));
        }
        if (total > allowed)
            throw new CheckpointFormatException(file, "its storages hold " + total + " bytes, but the model that all_config.yaml and the tensors' shapes describe needs at most "
                    + allowed + ": refused before reading them");
    }

    /** The storage's zip entry, checked to exist and to declare exactly the bytes its element count needs. */
    private static ZipEntry storageEntry(Path file, ZipFile zip, String root, String tensor, StorageRef ref) {
        String entry = root + "data/" + ref.key();
        ZipEntry e = zip.getEntry(entry);
        if (e == null) throw new CheckpointFormatException(file, "tensor '" + tensor + "': storage entry " + entry + " is missing");
        long want;
        try {
            want = Math.multiplyExact(ref.numel(), (long) ref.type().dtype().bytes);
        } catch (ArithmeticException x) {
            throw new CheckpointFormatException(file, "tensor '" + tensor + "': storage numel " + ref.numel() + " is too large");
        }
        if (ref.numel() < 0 || want > Integer.MAX_VALUE - 16)
            throw new CheckpointFormatException(file, "tensor '" + tensor + "': storage of " + ref.numel() + " elements is not supported");
        if (e.getSize() != want)
            throw new CheckpointFormatException(file, "tensor '" + tensor + "': storage " + entry + " has " + e.getSize() + " bytes, but "
                    + ref.numel() + " elements of " + ref.type().global() + " need " + want);
        return e;
    }

    private static void checkMagic(Path file) {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
        if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return;
        if (n >= 1 && (head[0] & 0xff) == 0x80)
            throw new CheckpointFormatException(file, "a legacy torch.save file (a bare pickle, PyTorch before 1.6) is not supported; re-save it with a newer PyTorch");
        throw new CheckpointFormatException(file, n < 4 ? "truncated: " + n + " bytes, not a torch.save checkpoint"
                : "not a torch.save checkpoint (not a zip archive)");
    }

    private static String findPickle(Path file, ZipFile zip) {
        List<String> found = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String n = en.nextElement().getName();
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) found.add(n);
        }
        if (found.isEmpty()) throw new CheckpointFormatException(file, "zip archive without a <folder>/data.pkl entry: not a torch.save checkpoint");
        if (found.size() > 1) throw new CheckpointFormatException(file, "several data.pkl entries " + found + ": not a single torch.save checkpoint");
        return found.get(0);
    }

    private static byte[] readEntry(Path file, ZipFile zip, ZipEntry e, long max) throws IOException {
        long size = e.getSize();
        if (size > max) throw new CheckpointFormatException(file, e.getName() + ": " + size + " bytes, more than the " + max + " allowed");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(max, size < 0 ? max : size));
            if (size >= 0 && b.length != size)
                throw new CheckpointFormatException(file, e.getName() + ": truncated (" + b.length + " of " + size + " bytes)");
            return b;
        }
    }

    private static byte[] readStorage(Path file, ZipFile zip, String root, String tensor, StorageRef ref) throws IOException {
        ZipEntry e = storageEntry(file, zip, root, tensor, ref);
        return readEntry(file, zip, e, e.getSize());
    }

    /** The tensor's elements, C order: a slice of the storage when contiguous, else gathered. */
    private static NamedTensor view(Path file, String name, PickledTensor t, byte[] storage) {
        DType dt = t.storage().type().dtype();
        long[] size = t.size(), stride = t.stride();
        long numel, last = t.offset();
        try {
            numel = NamedTensor.numel(size, name);
            for (int i = 0; i < size.length; i++) {
                if (stride[i] < 0) throw new CheckpointFormatException(file, "tensor '" + name + "': negative stride " + stride[i]);
                if (size[i] > 0) last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "tensor '" + name + "': bad size " + NamedTensor.shapeString(size) + " or stride");
        }
        long storageNumel = t.storage().numel();
        if (t.offset() < 0 || (numel > 0 && last >= storageNumel))
            throw new CheckpointFormatException(file, "tensor '" + name + "': size " + NamedTensor.shapeString(size) + ", stride "
                    + NamedTensor.shapeString(stride) + ", offset " + t.offset() + " reach past its storage of " + storageNumel + " elements");
        int es = dt.bytes;
        if (numel > (Integer.MAX_VALUE - 16) / es)
            throw new CheckpointFormatException(file, "tensor '" + name + "': " + numel + " elements are more than a Java array holds");
        if (numel == 0) return new NamedTensor(name, dt, size, ByteBuffer.allocate(0));
        if (contiguous(size, stride))
            return new NamedTensor(name, dt, size, ByteBuffer.wrap(storage, (int) (t.offset() * es), (int) (numel * es)));
        byte[] out = new byte[(int) (numel * es)];
        long[] idx = new long[size.length];
        long src = t.offset();
        for (int k = 0; k < numel; k++) {
            System.arraycopy(storage, (int) (src * es), out, k * es, es);
            for (int d = size.length - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) {
                    src += stride[d];
                    break;
                }
                src -= (size[d] - 1) * stride[d];
                idx[d] = 0;
            }
        }
        return new NamedTensor(name, dt, size, ByteBuffer.wrap(out));
    }

    /** Row-major strides; a dimension of size 1 may have any stride (PyTorch does not normalise them). */
    static boolean contiguous(long[] size, long[] stride) {
        long expect = 1;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] != 1 && stride[d] != expect) return false;
            expect *= size[d];
        }
        return true;
    }
}
