package hrm.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The rule every command that writes a directory follows: an absent or empty target is free; a
 * non-empty one is replaced only with the command's replace flag, and then only if it is
 * recognisably that command's own kind of output. Anything else (a user's folder, a run directory
 * given to {@code eval --output}) is refused with a message, never deleted.
 */
public final class OutputDirectory {
    private OutputDirectory() {}

    /** One kind of output: its name in messages, with its article ("a dataset directory"), and how to recognise a directory holding only it. */
    public record Kind(String name, Predicate<Path> recognises) {}

    /**
     * Throws {@link IllegalArgumentException} (naming the directory) unless {@code target} may be
     * written: absent, empty, or a directory of {@code kind} while {@code replace} is set.
     */
    public static void checkWritable(Path target, boolean replace, String replaceFlag, Kind kind) {
        String why = refusal(target, replace, replaceFlag, kind);
        if (why != null) throw new IllegalArgumentException(target + ": " + why);
    }

    /** Why {@code target} may not be written (without its name, for the caller's own message), or null if it may. */
    public static String refusal(Path target, boolean replace, String replaceFlag, Kind kind) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return null;
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) return "exists and is not a directory; choose another output";
        if (entries(target).isEmpty()) return null;
        if (!replace) return "output directory exists and is not empty (add " + replaceFlag + " to replace it)";
        if (!kind.recognises().test(target))
            return "not replacing it: it does not look like " + kind.name() + " (it holds " + preview(target) + "); remove it yourself or choose another output";
        return null;
    }

    /** The names in a directory (empty if it is not one). */
    public static List<String> entries(Path dir) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return names;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) names.add(p.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + ErrorText.of(e), e);
        }
        return names;
    }

    /** True if dir is a real directory whose every entry is a regular file accepted by {@code name}. */
    public static boolean onlyFiles(Path dir, Predicate<String> name) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return false;
        for (String e : entries(dir))
            if (!name.test(e) || !Files.isRegularFile(dir.resolve(e), LinkOption.NOFOLLOW_LINKS)) return false;
        return true;
    }

    private static String preview(Path dir) {
        List<String> names = entries(dir);
        names.sort(null);
        String shown = String.join(", ", names.subList(0, Math.min(3, names.size())));
        return names.size() > 3 ? shown + ", ... (" + names.size() + " entries)" : shown;
    }
}
