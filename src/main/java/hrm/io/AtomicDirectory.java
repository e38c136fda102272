package hrm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A directory built under a hidden temporary sibling name and renamed into place when complete,
 * so a reader (or a crash) sees the old tree or the whole new one, never a half-written one. A
 * tree already at the target is moved aside first and deleted after the rename. Closing without
 * {@link #commit()} abandons the build and removes it.
 */
public final class AtomicDirectory implements AutoCloseable {
    private final Path target;
    private Path building;

    private AtomicDirectory(Path target, Path building) {
        this.target = target;
        this.building = building;
    }

    /** Starts building {@code target}; write into {@link #path()}. */
    public static AtomicDirectory begin(Path target, String purpose) {
        Path abs = target.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + "." + purpose + "-");
            try {
                // createTempDirectory makes it owner-only, and the rename would keep that
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: its default permissions apply
            }
            return new AtomicDirectory(abs, tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": " + ErrorText.of(e), e);
        }
    }

    /**
     * Whether {@code name} is one of the hidden temporary trees this class makes beside a target whose
     * name matches {@code targetPattern} (a regex): {@code .<target>.<purpose>-*} while building, or
     * {@code .<target>.old-*} while replacing. A process killed mid-write leaves them behind.
     */
    public static boolean isTemporaryName(String name, String targetPattern) {
        return name.matches("\\." + targetPattern + "\\.[a-z]+-.+");
    }

    /** Where the new tree is being built. */
    public Path path() {
        if (building == null) throw new IllegalStateException(target + ": already committed or abandoned");
        return building;
    }

    /** Renames the finished tree into place, replacing whatever was there. */
    public void commit() {
        Path built = path();
        try {
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(built, target, StandardCopyOption.ATOMIC_MOVE);
            building = null;
            if (old != null) deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": " + ErrorText.of(e), e);
        }
    }

    /** Abandons an uncommitted build. */
    @Override
    public void close() {
        if (building != null) deleteTree(building);
        building = null;
    }

    /** Deletes a tree, best effort: a leftover temporary directory is harmless and visibly named. */
    public static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // see above
        }
    }
}
