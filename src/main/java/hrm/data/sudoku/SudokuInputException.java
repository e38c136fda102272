package hrm.data.sudoku;

import java.nio.file.Path;

/** Bad Sudoku input; the message names the file and the line (1-based). */
public final class SudokuInputException extends RuntimeException {
    private final Path file;
    private final long line;

    public SudokuInputException(Path file, long line, String what) {
        super(file + ":" + line + ": " + what);
        this.file = file;
        this.line = line;
    }

    public Path file() { return file; }

    public long line() { return line; }
}
