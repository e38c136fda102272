package hrm.checkpoint;

import java.nio.file.Path;

/** A malformed, truncated, foreign or unsafe checkpoint file; the message names the file and the field or tensor. */
public final class CheckpointFormatException extends RuntimeException {
    public CheckpointFormatException(Path file, String what) {
        super(file + ": " + what);
    }

    public CheckpointFormatException(Path file, String what, Throwable cause) {
        super(file + ": " + what, cause);
    }
}
