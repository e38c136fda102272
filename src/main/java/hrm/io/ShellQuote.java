package hrm.io;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A path as the shell reads it back: printed where a user copies it into the next command. The run
 * directories {@code hrm train} names by default have spaces (the authors' naming, kept), so a path
 * pasted as printed would be split into several arguments.
 */
public final class ShellQuote {
    /** Characters no POSIX shell treats specially: a word of only these is left as it is, easier to read. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {}

    /** {@code path} unchanged when the shell reads it as one word already, else in single quotes (an inner ' as '\''). */
    public static String quote(String path) {
        if (PLAIN.matcher(path).matches()) return path;
        // inside single quotes nothing is special but the quote itself: close, an escaped quote, reopen
        return "'" + path.replace("'", "'\\''") + "'";
    }

    /** {@link #quote(String)} of the path as printed. */
    public static String quote(Path path) {
        return quote(path.toString());
    }
}
