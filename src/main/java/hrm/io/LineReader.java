package hrm.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lines of a large user file (a puzzle collection, a CSV), one at a time, each at most a length
 * that fits the format. BufferedReader.readLine has no such cap: a file without line ends
 * (/dev/zero, a sparse file, a binary) became one line as long as the heap. Lines end at
 * {@code \n}, {@code \r\n} or {@code \r}; the text must be UTF-8 (a decoding error is an
 * IOException, which {@link IoMessages} names "not UTF-8 text").
 */
public final class LineReader implements Closeable {
    private final Path file;
    private final Reader in;
    private final int maxChars;
    private final String what;
    private final char[] buf = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int pos, end;
    private boolean eof, afterCr;
    private long lineNo;

    private LineReader(Path file, Reader in, int maxChars, String what) {
        this.file = file;
        this.in = in;
        this.maxChars = maxChars;
        this.what = what;
    }

    /**
     * Opens {@code file}; a line longer than {@code maxChars} characters is refused naming the
     * file, the line and {@code what} the lines of this format hold.
     */
    public static LineReader open(Path file, int maxChars, String what) throws IOException {
        return of(Files.newInputStream(file), file, maxChars, what);
    }

    /** As {@link #open}, reading {@code in} (standard input, say), named {@code name} in messages. */
    public static LineReader of(java.io.InputStream in, Path name, int maxChars, String what) {
        return new LineReader(name, new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()), maxChars, what);
    }

    /** The next line without its end, or null after the last. */
    public String next() throws IOException {
        line.setLength(0);
        boolean started = false;
        while (true) {
            if (pos == end) {
                if (eof) return started ? finish() : null;
                int n = in.read(buf);
                if (n < 0) {
                    eof = true;
                    continue;
                }
                pos = 0;
                end = n;
                continue;
            }
            if (afterCr) { // "\r\n" is one line end
                afterCr = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            started = true;
            int start = pos;
            while (pos < end && buf[pos] != '\n' && buf[pos] != '\r') pos++;
            if (line.length() + (pos - start) > maxChars)
                throw new IllegalArgumentException(file + ":" + (lineNo + 1) + ": a line longer than " + maxChars + " characters (" + what + ")");
            line.append(buf, start, pos - start);
            if (pos < end) {
                afterCr = buf[pos++] == '\r';
                return finish();
            }
        }
    }

    private String finish() {
        lineNo++;
        return line.toString();
    }

    /** The 1-based number of the line {@link #next} returned last. */
    public long lineNumber() {
        return lineNo;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
