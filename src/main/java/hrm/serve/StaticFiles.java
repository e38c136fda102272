package hrm.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page's files, read from the jar (src/main/resources/hrm/serve/). A fixed list of names rather
 * than a directory handler: a request path is never turned into a file or resource name, so no
 * spelling of "..", no encoded slash and no absolute path can reach anything else.
 */
final class StaticFiles {
    private static final String ROOT = "/hrm/serve/";
    /** URL path -> (resource name, content type). */
    static final Map<String, String[]> FILES = Map.of(
            "/", new String[]{"index.html", "text/html; charset=utf-8"},
            "/board.js", new String[]{"board.js", "text/javascript; charset=utf-8"},
            "/maze-editor.js", new String[]{"maze-editor.js", "text/javascript; charset=utf-8"},
            "/arc-task.js", new String[]{"arc-task.js", "text/javascript; charset=utf-8"},
            "/app.js", new String[]{"app.js", "text/javascript; charset=utf-8"},
            "/browse.js", new String[]{"browse.js", "text/javascript; charset=utf-8"},
            "/browse.css", new String[]{"browse.css", "text/css; charset=utf-8"},
            "/style.css", new String[]{"style.css", "text/css; charset=utf-8"});

    private StaticFiles() {}

    /** The file's bytes, read from the jar. */
    static byte[] read(String resource) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + resource)) {
            if (in == null) throw new IllegalStateException("the jar lacks " + ROOT + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
