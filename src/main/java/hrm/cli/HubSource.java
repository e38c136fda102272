package hrm.cli;

import hrm.data.hub.HubDownloader;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/** The train.csv and test.csv of a hub dataset, for the data commands whose default source is the hub. */
final class HubSource {
    /** What to do without a network: the data commands that download all take these two options. */
    static final String OFFLINE_HINT = "no network? build from local files with --source-csv DIR (train.csv and test.csv), or generate with --generate N";

    private HubSource() {}

    /**
     * Both files, downloaded into {@code cacheDir} (null: the default cache) when not there yet. A
     * failure to reach the hub says what failed and the way out; an HTTP answer (no such dataset,
     * no access) is the hub's word and goes as it is.
     */
    static Path[] trainAndTest(URI endpoint, Path cacheDir, String repo) throws IOException {
        HubDownloader hub = new HubDownloader(endpoint, cacheDir == null ? HubDownloader.defaultCacheDir() : cacheDir, System.err, 5);
        try {
            return new Path[] {hub.datasetFile(repo, "train.csv"), hub.datasetFile(repo, "test.csv")};
        } catch (HubDownloader.HubHttpException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(hrm.io.ErrorText.of(e) + "; " + OFFLINE_HINT, e);
        }
    }
}
