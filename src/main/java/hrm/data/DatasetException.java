package hrm.data;

import java.nio.file.Path;

/** A dataset file that is missing, malformed or inconsistent; the message names the file and the field. */
public final class DatasetException extends RuntimeException {
    public DatasetException(Path file, String what) {
        super(file + ": " + what);
    }

    public DatasetException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
    }
}
