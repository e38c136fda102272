package hrm.serve;

/**
 * A request the server refuses: the HTTP status and one line for {@code {"error": ...}}, naming the
 * field at fault where there is one ("puzzle: ...", "kind: ...").
 */
final class ApiError extends RuntimeException {
    final int status;

    ApiError(int status, String message) {
        super(message, null, false, false); // a refusal, not a bug: no stack trace to fill
        this.status = status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }
}
