package hrm.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes pickle opcodes by hand, and torch.save-shaped zips around them, for the reader's tests. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBytes op(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    PickleBytes proto(int v) {
        return op(0x80, v);
    }

    /** GLOBAL: 'c' module '\n' name '\n'. */
    PickleBytes global(String module, String name) {
        op('c');
        return raw(module + "\n" + name + "\n");
    }

    PickleBytes raw(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** BINUNICODE: 'X', 4-byte length, UTF-8. */
    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        int4(b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBytes shortStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(0x8c, b.length);
        out.writeBytes(b);
        return this;
    }

    /** BININT: 'J', 4 bytes little-endian. */
    PickleBytes integer(long v) {
        op('J');
        return int4((int) v);
    }

    PickleBytes int4(int v) {
        return op(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    }

    /** A tuple of ints: MARK, BININT..., TUPLE. */
    PickleBytes ints(long... v) {
        mark();
        for (long x : v) integer(x);
        return tuple();
    }

    PickleBytes mark() {
        return op('(');
    }

    PickleBytes tuple() {
        return op('t');
    }

    PickleBytes tuple1() {
        return op(0x85);
    }

    PickleBytes emptyTuple() {
        return op(')');
    }

    PickleBytes emptyDict() {
        return op('}');
    }

    PickleBytes setitems() {
        return op('u');
    }

    PickleBytes setitem() {
        return op('s');
    }

    PickleBytes reduce() {
        return op('R');
    }

    PickleBytes build() {
        return op('b');
    }

    PickleBytes binpersid() {
        return op('Q');
    }

    PickleBytes newFalse() {
        return op(0x89);
    }

    PickleBytes stop() {
        return op('.');
    }

    /** The persistent id ('storage', torch.&lt;type&gt;, key, 'cpu', numel). */
    PickleBytes storage(String type, String key, long numel) {
        return mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel).tuple().binpersid();
    }

    /** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()). */
    PickleBytes tensor(String type, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        storage(type, key, numel).integer(offset).ints(size).ints(stride).newFalse();
        return global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** A zip laid out like torch.save's: archive/data.pkl, archive/data/&lt;key&gt;, archive/version; entries stored. */
    static void torchZip(Path file, String archive, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(os)) {
            if (pickle != null) stored(z, archive + "/data.pkl", pickle);
            for (Map.Entry<String, byte[]> s : storages.entrySet()) stored(z, archive + "/data/" + s.getKey(), s.getValue());
            stored(z, archive + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }
}
