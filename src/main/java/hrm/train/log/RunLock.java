package hrm.train.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock a training run holds on its directory for as long as it runs: an OS file
 * lock on {@value #FILE}, so it goes with the process (kill -9 included) and never goes stale. The
 * file holds the holder's process id, for the message that refuses a second run.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".hrm-train.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of dir (which must exist), or throws naming the directory and the holder. */
    public static RunLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock run directory " + dir + ": " + hrm.io.ErrorText.of(e), e);
        }
        try {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // held by this process already (another run in the same JVM)
            }
            if (l == null) {
                String holder = holder(ch);
                ch.close();
                throw new IllegalArgumentException("run directory " + dir + " is in use by another hrm train (process "
                        + holder + "); wait for it to finish, or choose another checkpoint_path");
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
            ch.force(false);
            return new RunLock(ch, l);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the lock goes with the channel
            }
            throw new UncheckedIOException("cannot lock run directory " + dir + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        int n = ch.read(b, 0);
        String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).trim();
        return s.matches("\\d{1,19}") ? s : "unknown";
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
    }
}
