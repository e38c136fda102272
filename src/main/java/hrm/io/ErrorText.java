package hrm.io;

/**
 * An error as the text of a one-line message, never "null": many exceptions carry no message
 * (the HTTP client's ConnectException, a ClosedChannelException, an EOFException), and a message
 * built from {@code getMessage()} alone then ends in "null", which names no cause.
 */
public final class ErrorText {
    private ErrorText() {}

    /** The error's message; without one, its class's simple name and what its cause says. */
    public static String of(Throwable e) {
        String m = e.getMessage();
        if (m != null && !m.isBlank()) return m;
        Throwable cause = e.getCause();
        String name = e.getClass().getSimpleName();
        return cause == null || cause == e ? name : name + " (" + of(cause) + ")";
    }
}
