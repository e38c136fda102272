package hrm.data.maze;

import java.nio.file.Path;

/** Malformed maze input; the message names the file and the line (and the field or cell). */
public final class MazeFormatException extends RuntimeException {
    public MazeFormatException(Path file, int line, String what) {
        super(file + ": line " + line + ": " + what);
    }
}
