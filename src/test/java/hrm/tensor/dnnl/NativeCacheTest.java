package hrm.tensor.dnnl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native cache without loading anything: files are checked against the jar they came from and
 * replaced when they differ, a directory in a library's place is refused and left alone, and no
 * temporary survives a failed or concurrent copy.
 */
class NativeCacheTest {
    @TempDir
    Path tmp;

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** A jar holding {@code lib/<name>} for each name, and the sources read back through a class loader, as OneDnn reads its own. */
    List<NativeCache.Source> jarred(String[] names, byte[][] contents) throws IOException {
        Path jar = tmp.resolve("natives.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (int i = 0; i < names.length; i++) {
                out.putNextEntry(new JarEntry("lib/" + names[i]));
                out.write(contents[i]);
                out.closeEntry();
            }
        }
        List<NativeCache.Source> sources = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            for (String n : names) sources.add(NativeCache.resource(loader, "lib/" + n));
        }
        return sources;
    }

    static NativeCache.Source inMemory(String name, byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return new NativeCache.Source(name, content.length, crc.getValue(), () -> new ByteArrayInputStream(content));
    }

    static List<String> temporaries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
        }
    }

    @Test
    void theJarsRecordOfEachEntryIsWhatFilesAreCheckedAgainst() throws Exception {
        byte[] a = bytes(70_000, 1), b = bytes(3, 2);
        List<NativeCache.Source> s = jarred(new String[] {"liba.so.1", "libb.so.2"}, new byte[][] {a, b});
        assertEquals("liba.so.1", s.get(0).name());
        assertEquals(a.length, s.get(0).size());
        assertEquals(inMemory("x", a).crc(), s.get(0).crc());
        assertEquals(inMemory("x", b).crc(), s.get(1).crc());
        try (InputStream in = s.get(0).opener().open()) {
            assertArrayEquals(a, in.readAllBytes());
        }
    }

    @Test
    void missingFilesAreCopiedAndAGoodCacheIsLeftAsItIs() throws Exception {
        byte[] a = bytes(70_000, 1), b = bytes(5_000, 2);
        List<NativeCache.Source> s = jarred(new String[] {"liba.so.1", "libb.so.2"}, new byte[][] {a, b});
        Path dir = tmp.resolve("cache/native/x");
        NativeCache.ensure(dir, s);
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("liba.so.1")));
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("libb.so.2")));
        Object inode = Files.readAttributes(dir.resolve("liba.so.1"), BasicFileAttributes.class).fileKey();
        NativeCache.ensure(dir, s);
        assertEquals(inode, Files.readAttributes(dir.resolve("liba.so.1"), BasicFileAttributes.class).fileKey(), "a good file is not copied again");
        assertEquals(List.of(), temporaries(dir));
    }

    @Test
    void aDamagedOrForeignFileIsReplacedAndALinksTargetIsNotTouched() throws Exception {
        String[] names = {"truncated.so", "flipped.so", "foreign.so", "link.so", "empty.so"};
        byte[][] contents = new byte[names.length][];
        for (int i = 0; i < names.length; i++) contents[i] = bytes(50_000 + i, 10 + i);
        List<NativeCache.Source> s = jarred(names, contents);
        Path dir = Files.createDirectories(tmp.resolve("cache"));
        Files.write(dir.resolve("truncated.so"), Arrays.copyOf(contents[0], 1000));
        byte[] flipped = contents[1].clone();
        flipped[flipped.length / 2] ^= 1; // same size, one bit off: only the CRC tells
        Files.write(dir.resolve("flipped.so"), flipped);
        Files.write(dir.resolve("foreign.so"), bytes(contents[2].length, 99)); // a file someone put there, of the right size
        Path elsewhere = Files.write(tmp.resolve("users-file"), "mine".getBytes());
        Files.createSymbolicLink(dir.resolve("link.so"), elsewhere);
        Files.createFile(dir.resolve("empty.so"));

        NativeCache.ensure(dir, s);
        for (int i = 0; i < names.length; i++) {
            assertTrue(Files.isRegularFile(dir.resolve(names[i]), LinkOption.NOFOLLOW_LINKS), names[i]);
            assertArrayEquals(contents[i], Files.readAllBytes(dir.resolve(names[i])), names[i]);
        }
        assertEquals("mine", Files.readString(elsewhere), "the link was replaced, not written through");
        assertEquals(List.of(), temporaries(dir));
    }

    @Test
    void aDirectoryInALibrarysPlaceIsRefusedAndLeftAlone() throws Exception {
        List<NativeCache.Source> s = jarred(new String[] {"liba.so.1", "libb.so.2"}, new byte[][] {bytes(9_000, 1), bytes(9_000, 2)});
        Path dir = Files.createDirectories(tmp.resolve("cache"));
        Path users = Files.createDirectories(dir.resolve("libb.so.2"));
        Files.writeString(users.resolve("notes.txt"), "keep me");
        Files.createDirectories(dir.resolve("liba.so.1")); // empty, and still not ours to remove

        IOException e = assertThrows(IOException.class, () -> NativeCache.ensure(dir, s));
        assertTrue(e.getMessage().contains(dir.resolve("liba.so.1") + " is a directory"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(Files.isDirectory(dir.resolve("liba.so.1")));
        Files.delete(dir.resolve("liba.so.1"));
        IOException again = assertThrows(IOException.class, () -> NativeCache.ensure(dir, s));
        assertTrue(again.getMessage().contains(users + " is a directory") && again.getMessage().contains("left alone"), again.getMessage());
        assertEquals("keep me", Files.readString(users.resolve("notes.txt")));
        assertEquals(List.of(), temporaries(dir), "nothing was copied towards a name it could not take");
    }

    @Test
    void aCopyThatFailsLeavesNoTemporaryAndTheOldFileAsItWas() throws Exception {
        byte[] good = bytes(300_000, 3);
        Path dir = Files.createDirectories(tmp.resolve("cache"));
        byte[] damaged = Arrays.copyOf(good, 1000);
        Files.write(dir.resolve("lib.so"), damaged);
        NativeCache.Source real = inMemory("lib.so", good);
        NativeCache.Source failing = new NativeCache.Source("lib.so", real.size(), real.crc(), () -> new FilterInputStream(new ByteArrayInputStream(good)) {
            long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > 100_000) throw new IOException("disk full (injected)");
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        });
        IOException e = assertThrows(IOException.class, () -> NativeCache.ensure(dir, List.of(failing)));
        assertTrue(e.getMessage().contains("injected"), e.getMessage());
        assertEquals(List.of(), temporaries(dir));
        assertArrayEquals(damaged, Files.readAllBytes(dir.resolve("lib.so")), "never written in place");

        // A jar whose entry does not read back as recorded (a damaged jar) is not copied into place either.
        NativeCache.Source lying = new NativeCache.Source("lib.so", real.size(), real.crc() ^ 1, real.opener());
        IOException bad = assertThrows(IOException.class, () -> NativeCache.ensure(dir, List.of(lying)));
        assertTrue(bad.getMessage().contains("damaged jar"), bad.getMessage());
        assertEquals(List.of(), temporaries(dir));
        assertArrayEquals(damaged, Files.readAllBytes(dir.resolve("lib.so")));

        NativeCache.ensure(dir, List.of(real));
        assertArrayEquals(good, Files.readAllBytes(dir.resolve("lib.so")), "and the next start heals it");
    }

    @Test
    void copiesRunningAtOnceAllEndWithTheGoodFile() throws Exception {
        byte[] good = bytes(8 << 20, 4);
        NativeCache.Source s = inMemory("lib.so", good);
        Path dir = tmp.resolve("cache");
        int n = 4;
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            for (int round = 0; round < 3; round++) {
                if (Files.exists(dir.resolve("lib.so"))) Files.write(dir.resolve("lib.so"), new byte[1000]);
                List<Future<?>> runs = new ArrayList<>();
                for (int i = 0; i < n; i++)
                    runs.add(pool.submit(() -> {
                        start.await();
                        NativeCache.ensure(dir, List.of(s));
                        return null;
                    }));
                for (Future<?> f : runs) f.get();
                assertArrayEquals(good, Files.readAllBytes(dir.resolve("lib.so")));
                assertEquals(List.of(), temporaries(dir));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void temporariesLeftByAKilledCopyAreRemovedOnceStale() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("cache"));
        NativeCache.Source s = inMemory("libdnnl.so.3", bytes(100, 5));
        FileTime old = FileTime.from(Instant.now().minus(NativeCache.STALE).minusSeconds(60));
        Path stale = Files.write(dir.resolve(".libdnnl.so.3.4242-9f.part"), new byte[10]);
        Path staleOldName = Files.write(dir.resolve(".libdnnl.so.31234567890.part"), new byte[10]); // Files.createTempFile's naming, before this class
        Path live = Files.write(dir.resolve(".libdnnl.so.3.4343-a0.part"), new byte[10]);
        Path notOurs = Files.write(dir.resolve(".notes.part"), new byte[10]);
        for (Path p : List.of(stale, staleOldName, notOurs)) Files.setLastModifiedTime(p, old);

        NativeCache.ensure(dir, List.of(s));
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleOldName));
        assertTrue(Files.exists(live), "a copy another process may still be writing");
        assertTrue(Files.exists(notOurs));
    }

    @Test
    void anUnusableCacheFolderIsNamedInOneLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("native"), "a file where the folder should be");
        IOException e = assertThrows(IOException.class, () -> NativeCache.ensure(file.resolve("dnnl"), List.of(inMemory("lib.so", bytes(10, 6)))));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
