package hrm.io;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;

/** What an I/O error means to the person who gave the file, for the one-line messages. */
public final class IoMessages {
    private IoMessages() {}

    /** "not UTF-8 text (a binary file?)" for a decoding error (whose own message is "Input length = 1"), else the error's message. */
    public static String of(IOException e) {
        if (e instanceof CharacterCodingException) return "not UTF-8 text (a binary file?)";
        return e.getMessage();
    }
}
