package hrm.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchCheckpointTest {
    @TempDir
    Path dir;

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static byte[] bf16(float... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putShort((short) (Float.floatToIntBits(x) >>> 16));
        return b.array();
    }

    static long[] l(long... v) {
        return v;
    }

    /** An OrderedDict state dict as torch.save writes one, with the _metadata attribute set by BUILD. */
    static byte[] stateDictPickle() {
        PickleBytes p = new PickleBytes().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        p.str("_orig_mod.a").tensor("FloatStorage", "0", 6, 0, l(2, 3), l(3, 1));
        p.str("_orig_mod.b").tensor("BFloat16Storage", "1", 4, 0, l(4), l(1));
        p.str("transposed").tensor("FloatStorage", "0", 6, 0, l(3, 2), l(1, 3));
        p.str("offset").tensor("FloatStorage", "0", 6, 2, l(2, 1), l(1, 7));
        p.str("param").global("torch._utils", "_rebuild_parameter").mark()
                .tensor("FloatStorage", "2", 1, 0, l(), l()).newFalse().global("collections", "OrderedDict").emptyTuple().reduce()
                .tuple().reduce();
        p.setitems();
        p.emptyDict().str("_metadata").global("collections", "OrderedDict").emptyTuple().reduce().setitem().build();
        return p.stop().bytes();
    }

    static Map<String, byte[]> storages() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("0", floats(0, 1, 2, 3, 4, 5));
        s.put("1", bf16(1f, -2.5f, 0.0078125f, 3e38f));
        s.put("2", floats(42f));
        return s;
    }

    @Test
    void readsAStateDictWithViewsOffsetsBfloat16AndParameters() throws IOException {
        Path f = dir.resolve("ckpt");
        PickleBytes.torchZip(f, "ckpt", stateDictPickle(), storages());
        TensorMap m = TorchCheckpoint.read(f);
        assertEquals(List.of("_orig_mod.a", "_orig_mod.b", "transposed", "offset", "param"), List.copyOf(m.names()));
        assertEquals(DType.F32, m.get("_orig_mod.a").dtype());
        assertArrayEquals(new long[]{2, 3}, m.get("_orig_mod.a").shape());
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5}, m.get("_orig_mod.a").toFloats());
        assertEquals(DType.BF16, m.get("_orig_mod.b").dtype());
        float big = Float.intBitsToFloat(Float.floatToIntBits(3e38f) & 0xffff0000);
        assertArrayEquals(new float[]{1f, -2.5f, 0.0078125f, big}, m.get("_orig_mod.b").toFloats());
        assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, m.get("transposed").toFloats());
        assertArrayEquals(new float[]{2, 3}, m.get("offset").toFloats());
        assertArrayEquals(new long[]{2, 1}, m.get("offset").shape());
        assertArrayEquals(new float[]{42f}, m.get("param").toFloats());
        assertEquals(0, m.get("param").rank());
    }

    /** GLOBAL os.system + REDUCE: what a malicious pickle does to run a shell command. */
    static byte[] osSystem(Path marker) {
        return new PickleBytes().proto(2).global("os", "system").str("touch " + marker).tuple1().reduce().stop().bytes();
    }

    @Test
    void aPickleCallingOsSystemIsRefusedNamingTheGlobal() throws IOException {
        Path marker = dir.resolve("pwned");
        Path f = dir.resolve("evil");
        PickleBytes.torchZip(f, "evil", osSystem(marker), Map.of());
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(f));
        assertTrue(e.getMessage().startsWith(f + ": evil/data.pkl: refused to load global 'os.system'"), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void everyOtherGlobalIsRefusedHoweverItIsNamed() {
        SafeUnpickler u = new SafeUnpickler(Path.of("x"), "data.pkl");
        // builtins.eval via GLOBAL, via protocol 4's STACK_GLOBAL, and the protocol-0 INST opcode
        assertRefused(new PickleBytes().proto(2).global("builtins", "eval").str("1+1").tuple1().reduce().stop(), "builtins.eval");
        assertRefused(new PickleBytes().proto(4).shortStr("builtins").shortStr("eval").op(0x93).str("1").tuple1().reduce().stop(), "builtins.eval");
        assertRefused(new PickleBytes().mark().str("ls").op('i').raw("subprocess\ncall\n").stop(), "subprocess.call");
        // refused when named, even if never called
        assertRefused(new PickleBytes().proto(2).global("posix", "system").stop(), "posix.system");
        // hidden in the arguments of an allowed rebuild
        assertRefused(new PickleBytes().proto(2).global("torch._utils", "_rebuild_tensor_v2").mark()
                .storage("FloatStorage", "0", 1).integer(0).ints().ints().newFalse()
                .global("builtins", "exec").str("x").tuple1().reduce().tuple().reduce().stop(), "builtins.exec");
        // a look-alike of an allowed name
        assertRefused(new PickleBytes().proto(2).global("torch._utils", "_rebuild_tensor_v3").stop(), "torch._utils._rebuild_tensor_v3");
        // BUILD (Pyrolite would call __setstate__ by reflection) is allowed on an OrderedDict only
        CheckpointFormatException b = assertThrows(CheckpointFormatException.class,
                () -> u.read(new PickleBytes().proto(2).emptyDict().emptyDict().build().stop().bytes()));
        assertTrue(b.getMessage().contains("refused BUILD"), b.getMessage());
    }

    private static void assertRefused(PickleBytes p, String global) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> new SafeUnpickler(Path.of("x"), "data.pkl").read(p.bytes()));
        assertTrue(e.getMessage().startsWith("x: data.pkl: refused to load global '" + global + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was executed"), e.getMessage());
    }

    @Test
    void compressedStoragesThatWouldInflateFarBeyondTheFileAreRefusedBeforeInflating() throws IOException {
        int n = 50 << 20; // 50 M floats: 200 MB of zeros, a few hundred KB deflated
        PickleBytes p = new PickleBytes().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        for (int k = 0; k < 3; k++) p.str("w" + k).tensor("FloatStorage", String.valueOf(k), n, 0, l(n), l(1));
        byte[] pickle = p.setitems().stop().bytes();
        Path f = dir.resolve("bomb");
        try (var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new java.util.zip.ZipEntry("bomb/data.pkl"));
            z.write(pickle);
            byte[] zeros = new byte[1 << 20];
            for (int k = 0; k < 3; k++) {
                z.putNextEntry(new java.util.zip.ZipEntry("bomb/data/" + k)); // DEFLATED
                for (int i = 0; i < 200; i++) z.write(zeros);
            }
        }
        assertTrue(Files.size(f) < 4 << 20, "a small file: " + Files.size(f));
        long heapBefore = usedHeap();
        long t0 = System.nanoTime();
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(f));
        assertTrue(e.getMessage().contains("would inflate to " + 3L * 4 * n + " bytes") && e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "refused at once");
        assertTrue(usedHeap() - heapBefore < 100L << 20, "nothing was inflated");
    }

    @Test
    void storagesLargerThanTheConfiguredModelAreRefusedBeforeTheyAreRead() throws IOException {
        // the sudoku fixture's configuration (hidden 64, 2+2 blocks: about 0.3 M elements) beside a file whose
        // lm_head storage claims 4 M floats
        Path d = Files.createDirectories(dir.resolve("big"));
        Files.copy(Path.of("testdata/parity/sudoku/checkpoint/all_config.yaml"), d.resolve("all_config.yaml"));
        int n = 4 << 20;
        PickleBytes p = new PickleBytes().proto(2).global("collections", "OrderedDict").emptyTuple().reduce().mark();
        p.str("_orig_mod.model.inner.embed_tokens.embedding_weight").tensor("FloatStorage", "0", 11 * 64, 0, l(11, 64), l(64, 1));
        p.str("_orig_mod.model.inner.lm_head.weight").tensor("FloatStorage", "1", n, 0, l(11, 64), l(64, 1));
        Map<String, byte[]> storages = new LinkedHashMap<>();
        storages.put("0", new byte[11 * 64 * 4]);
        storages.put("1", new byte[4 * n]);
        Path f = d.resolve("step_1");
        PickleBytes.torchZip(f, "step_1", p.setitems().stop().bytes(), storages);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> ModelCheckpoint.read(f));
        assertTrue(e.getMessage().contains("storages hold " + (4L * n + 11 * 64 * 4) + " bytes") && e.getMessage().contains("refused before reading"),
                e.getMessage());
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void hugeNumericLiteralsAreRefusedBeforeTheyAreParsed() {
        SafeUnpickler u = new SafeUnpickler(Path.of("x"), "data.pkl");
        assertEquals(new java.math.BigInteger("123456789012345678901234567890"),
                u.read(new PickleBytes().proto(2).op('L').raw("123456789012345678901234567890L\n").op('.').bytes()));
        String digits = "7".repeat(2_000_000);
        for (byte[] evil : List.of(new PickleBytes().proto(2).op('L').raw(digits + "L\n").op('.').bytes(),
                new PickleBytes().proto(2).op('I').raw(digits + "\n").op('.').bytes(),
                new PickleBytes().proto(2).op('F').raw(digits + "\n").op('.').bytes())) {
            long t0 = System.nanoTime();
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> u.read(evil));
            assertTrue(e.getMessage().contains("numeric literal longer than"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "judged in well under a second");
        }
        PickleBytes long4 = new PickleBytes().proto(2).op(0x8b);
        long4.int4(1 << 20);
        byte[] evil = long4.raw("x".repeat(1 << 20)).op('.').bytes();
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> u.read(evil));
        assertTrue(e.getMessage().contains("1048576-byte integer literal"), e.getMessage());
    }

    @Test
    void corruptPicklesAreErrorsNotCrashes() {
        SafeUnpickler u = new SafeUnpickler(Path.of("x"), "data.pkl");
        byte[] good = stateDictPickle();
        for (int len : new int[]{0, 1, 5, 40, good.length / 2, good.length - 1}) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> u.read(Arrays.copyOf(good, len)));
            assertTrue(e.getMessage().startsWith("x: data.pkl: "), e.getMessage());
        }
        // a string length of 2 GiB in a 10-byte pickle: refused before anything is allocated
        byte[] huge = new PickleBytes().proto(2).op('X').int4(Integer.MAX_VALUE).stop().bytes();
        assertTrue(assertThrows(CheckpointFormatException.class, () -> u.read(huge)).getMessage().contains("truncated pickle"));
        byte[] underflow = new PickleBytes().proto(2).reduce().stop().bytes();
        assertTrue(assertThrows(CheckpointFormatException.class, () -> u.read(underflow)).getMessage().contains("corrupt pickle"));
        byte[] badPid = new PickleBytes().proto(2).str("oops").binpersid().stop().bytes();
        assertTrue(assertThrows(CheckpointFormatException.class, () -> u.read(badPid)).getMessage().contains("unexpected persistent id"));
    }

    @Test
    void foreignAndDamagedFilesAreRefused() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, not a checkpoint");
        refused(text, "not a torch.save checkpoint (not a zip archive)");
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        refused(empty, "truncated: 0 bytes");
        Path legacy = dir.resolve("legacy.pt");
        Files.write(legacy, new byte[]{(byte) 0x80, 2, (byte) 0x8a, 10});
        refused(legacy, "legacy torch.save file");

        Path noPickle = dir.resolve("nopkl");
        PickleBytes.torchZip(noPickle, "nopkl", null, storages());
        refused(noPickle, "zip archive without a <folder>/data.pkl entry");

        Path good = dir.resolve("good");
        PickleBytes.torchZip(good, "good", stateDictPickle(), storages());
        byte[] all = Files.readAllBytes(good);
        Path cut = dir.resolve("cut");
        for (int len : new int[]{4, 100, all.length / 2, all.length - 10}) {
            Files.write(cut, Arrays.copyOf(all, len));
            refused(cut, "not a readable zip archive, truncated or corrupt");
        }

        Map<String, byte[]> missing = storages();
        missing.remove("1");
        Path noStorage = dir.resolve("nostorage");
        PickleBytes.torchZip(noStorage, "nostorage", stateDictPickle(), missing);
        refused(noStorage, "tensor '_orig_mod.b': storage entry nostorage/data/1 is missing");

        Map<String, byte[]> shortStorage = storages();
        shortStorage.put("0", floats(0, 1, 2, 3, 4));
        Path shortFile = dir.resolve("short");
        PickleBytes.torchZip(shortFile, "short", stateDictPickle(), shortStorage);
        refused(shortFile, "tensor '_orig_mod.a': storage short/data/0 has 20 bytes, but 6 elements of torch.FloatStorage need 24");

        Path past = dir.resolve("past");
        PickleBytes.torchZip(past, "past", new PickleBytes().proto(2).emptyDict().str("w")
                .tensor("FloatStorage", "0", 6, 4, l(3), l(1)).setitem().stop().bytes(), storages());
        refused(past, "tensor 'w': size (3,), stride (1,), offset 4 reach past its storage of 6 elements");

        Path notTensor = dir.resolve("nottensor");
        PickleBytes.torchZip(notTensor, "nottensor", new PickleBytes().proto(2).emptyDict().str("step").integer(5).setitem().stop().bytes(), Map.of());
        refused(notTensor, "nottensor/data.pkl: 'step' is a Integer, not a tensor");

        Path evil = dir.resolve("evil2");
        PickleBytes.torchZip(evil, "evil2", osSystem(dir.resolve("x")), storages());
        refused(evil, "refused to load global 'os.system'");
    }

    private static void refused(Path f, String expected) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(f), f.toString());
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains(expected), "message: " + e.getMessage() + "\nexpected: " + expected);
    }

    @Test
    void contiguityIgnoresStridesOfSizeOneDimensions() {
        assertTrue(TorchCheckpoint.contiguous(l(2, 3), l(3, 1)));
        assertTrue(TorchCheckpoint.contiguous(l(2, 1, 3), l(3, 99, 1)));
        assertTrue(TorchCheckpoint.contiguous(l(), l()));
        assertFalse(TorchCheckpoint.contiguous(l(3, 2), l(1, 3)));
        assertFalse(TorchCheckpoint.contiguous(l(4), l(0)));
    }
}
