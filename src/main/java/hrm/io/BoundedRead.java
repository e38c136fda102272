package hrm.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A user's file read whole, refused past a limit that fits its format. The limit is checked while
 * reading, never by asking the file system first: /dev/zero, pipes and /proc files report a size
 * of 0, and a sparse file reports gigabytes it would take seconds to read. At most limit + 1 bytes
 * are ever read, so a hostile file costs that much memory and time and no more.
 */
public final class BoundedRead {
    private BoundedRead() {}

    /**
     * The file's bytes. Past {@code limit} bytes: IllegalArgumentException (bad input) naming the
     * file, the limit and {@code what} the limit is for; an I/O error: UncheckedIOException naming the file.
     */
    public static byte[] bytes(Path file, long limit, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            return bytes(in, file, limit, what);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + IoMessages.of(e), e);
        }
    }

    /** As {@link #bytes(Path, long, String)}, reading {@code in} (standard input, say; left open), named {@code name} in messages. */
    public static byte[] bytes(InputStream in, Path name, long limit, String what) {
        try {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
            if (b.length > limit)
                throw new IllegalArgumentException(name + ": larger than " + size(limit) + ", the limit for " + what);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + IoMessages.of(e), e);
        }
    }

    /** The file as UTF-8 text (a leading byte-order mark dropped), bounded as {@link #bytes}. */
    public static String text(Path file, long limit, String what) {
        return text(bytes(file, limit, what), file);
    }

    /** As {@link #text(Path, long, String)}, reading {@code in} (left open), named {@code name} in messages. */
    public static String text(InputStream in, Path name, long limit, String what) {
        return text(bytes(in, name, limit, what), name);
    }

    private static String text(byte[] b, Path file) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new UncheckedIOException(file + ": " + IoMessages.of(e), e);
        }
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** "1 MiB", "8 MiB", "4096 bytes": how the limits read in messages. */
    static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) return (bytes >> 10) + " KiB";
        return bytes + " bytes";
    }
}
