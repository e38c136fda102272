package hrm.tensor.dnnl;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;

/**
 * The folder the native libraries are loaded from ({@code dlopen} needs files; ours come in jars).
 * Every file is checked against the jar entry it came from before anything loads it, and one that
 * does not match is replaced: dlopen maps a file as it finds it, so a truncated library is only
 * noticed when a page past its end is touched, as a SIGBUS that kills the JVM with no exception to
 * catch. The check is the jar's own record of the entry (its size and CRC-32, read from the jar's
 * directory without inflating anything) against the size and CRC-32 of the cached file: no second
 * file of ours to keep in step, and 15-20 ms for the three files (76 MB) on a warm page cache, about
 * 30 ms more than the unchecked start. It guards against damage and stray files, not against
 * someone who can write to the folder (they could as well change the jar), so a SHA-256 recorded
 * beside each file would add nothing but time (about 55 ms for libdnnl alone).
 */
final class NativeCache {
    /**
     * A temporary older than this was left by a process that died while copying (a live copy
     * writes continuously and takes about a second), so it is removed.
     */
    static final Duration STALE = Duration.ofMinutes(10);

    private NativeCache() {}

    /** Reads a source's bytes from the start. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** What a cached file must hold: its name in the folder, its size and CRC-32 as the jar records them, and the bytes. */
    record Source(String name, long size, long crc, Opener opener) {}

    /** The class-path resource {@code path}, named in the cache by its last part. */
    static Source resource(ClassLoader loader, String path) throws IOException {
        URL url = loader.getResource(path);
        if (url == null) throw new IOException(path + " is not on the class path");
        String name = path.substring(path.lastIndexOf('/') + 1);
        Opener opener = () -> {
            URLConnection c = url.openConnection();
            c.setUseCaches(false); // the stream then closes the jar it opened
            return c.getInputStream();
        };
        if (url.openConnection() instanceof JarURLConnection c) {
            c.setUseCaches(false);
            JarFile jar = c.getJarFile();
            try {
                JarEntry e = c.getJarEntry();
                if (e.getSize() >= 0 && e.getCrc() >= 0) return new Source(name, e.getSize(), e.getCrc(), opener);
            } finally {
                jar.close();
            }
        }
        // Not in a jar (an unpacked class path): nothing records the bytes, so they are read once to know them.
        CRC32 crc = new CRC32();
        long size = 0;
        try (InputStream in = opener.open()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; size += n) crc.update(buf, 0, n);
        }
        return new Source(name, size, crc.getValue(), opener);
    }

    /** {@code native/<folder>} under {@code $HRM_CACHE_DIR}, else under {@code ~/.cache/hrm-java}. */
    static Path directory(String folder) {
        return hrm.io.CacheDirectory.base().resolve("native").resolve(folder);
    }

    /**
     * Makes every source's file in {@code dir} hold exactly its bytes, copying the ones that are
     * missing or do not match; throws with a one-line reason where that cannot be done. A directory
     * in a file's place is refused, never deleted: this cache never makes one under a library's
     * name, so it is someone else's.
     */
    static void ensure(Path dir, List<Source> sources) throws IOException {
        try {
            Files.createDirectories(dir);
            removeStaleTemporaries(dir, sources);
            for (Source s : sources) {
                Path file = dir.resolve(s.name());
                if (!matches(file, s)) replace(file, s);
            }
        } catch (FileSystemException e) {
            if (e.getReason() != null) throw e;
            // Without a reason the message is the bare path ("/home/u/.cache/..."), which says nothing on its own line.
            throw new IOException(e.getFile() + ": " + (e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "exists and is not a directory" : e.getClass().getSimpleName()), e);
        }
    }

    /** Whether {@code file} is a regular file (not a link) holding the source's bytes; throws where a directory stands in its place. */
    static boolean matches(Path file, Source s) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (a.isDirectory())
            throw new IOException(file + " is a directory, not the library; it is not ours, so it is left alone (remove it and the library is copied there again)");
        return a.isRegularFile() && a.size() == s.size() && crc(file) == s.crc();
    }

    /**
     * Copies the source to a temporary name of this process's own, checks what was written, and
     * renames it over {@code file}. The rename replaces a damaged file or a link without writing
     * into it, so a process that has the old file mapped keeps its pages, and two processes
     * copying at once each rename a whole copy. No fsync: a copy a power cut damages fails the
     * next start's check and is copied again.
     */
    static void replace(Path file, Source s) throws IOException {
        Path tmp = file.resolveSibling("." + s.name() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
        try {
            CRC32 crc = new CRC32();
            long size = 0;
            try (InputStream in = s.opener().open();
                 FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; size += n) {
                    crc.update(buf, 0, n);
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) out.write(b);
                }
            }
            if (size != s.size() || crc.getValue() != s.crc())
                throw new IOException(String.format("%s read from its jar is %d bytes with CRC-32 %08x, the jar records %d bytes with %08x (a damaged jar?)",
                        s.name(), size, crc.getValue(), s.size(), s.crc()));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the copy already failed; that error is the one worth reporting
                }
            }
        }
    }

    /**
     * Removes the temporaries ({@code .<name>*.part}, older versions' names included) that a
     * process killed mid-copy left behind; a younger one may still be written by a live process.
     */
    static void removeStaleTemporaries(Path dir, List<Source> sources) throws IOException {
        Instant before = Instant.now().minus(STALE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.part")) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (sources.stream().noneMatch(s -> n.startsWith("." + s.name()))) continue;
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(before)) Files.deleteIfExists(p);
                } catch (IOException e) {
                    // another process removed it first, or it cannot be removed: either way no reason to give up the library
                }
            }
        }
    }

    /** The CRC-32 of a file's bytes. */
    static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buf) > 0) {
                crc.update(buf.flip());
                buf.clear();
            }
        }
        return crc.getValue();
    }
}
