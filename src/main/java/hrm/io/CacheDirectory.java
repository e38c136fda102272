package hrm.io;

import java.nio.file.Path;

/** Where hrm-java keeps what it can make again (downloads, native libraries, measured product plans). */
public final class CacheDirectory {
    public static final String VARIABLE = "HRM_CACHE_DIR";

    private CacheDirectory() {}

    /** {@code $HRM_CACHE_DIR}, else {@code ~/.cache/hrm-java}. */
    public static Path base() {
        String env = System.getenv(VARIABLE);
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "hrm-java");
    }
}
