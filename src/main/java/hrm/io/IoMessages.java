package hrm.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** What an I/O error means to the person who gave the file, for the one-line messages. */
public final class IoMessages {
    private IoMessages() {}

    /**
     * "not UTF-8 text (a binary file?)" for a decoding error (whose own message is "Input length = 1"),
     * "no such file" and "permission denied" for those (whose own message is only the path), else the
     * error's message ({@link ErrorText}: its class and cause where it has none).
     */
    public static String of(IOException e) {
        if (e instanceof CharacterCodingException) return "not UTF-8 text (a binary file?)";
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        return ErrorText.of(e);
    }
}
