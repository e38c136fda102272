package hrm.data.arc;

import java.nio.file.Path;

/** A task file or dataset directory that does not hold what the ARC builder needs; names the file and the field. */
public final class ArcFormatException extends RuntimeException {
    public ArcFormatException(Path file, String field, String what) {
        super(file + (field == null ? "" : ": field '" + field + "'") + ": " + what);
    }

    public ArcFormatException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
    }
}
