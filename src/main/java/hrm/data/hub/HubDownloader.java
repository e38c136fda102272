package hrm.data.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads dataset files from the Hugging Face hub
 * ({@code <endpoint>/datasets/<repo>/resolve/main/<file>}) into a cache, the way
 * {@code hf_hub_download} does: a finished file is reused; a transfer goes to {@code <file>.part},
 * resumes with an HTTP Range request after an interruption (within a call, up to {@code retries}
 * times, and across calls), and is renamed into place only when complete.
 */
public final class HubDownloader {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    private final URI endpoint;
    private final Path cacheDir;
    private final PrintStream progress;
    private final int retries;
    private final HttpClient client;

    /**
     * @param endpoint the hub's address ({@link #DEFAULT_ENDPOINT}; a local server in tests)
     * @param cacheDir where finished files are kept ({@link #defaultCacheDir()})
     * @param progress where the progress bar goes (stderr), or null for none
     * @param retries  further attempts, each resuming, after an interrupted transfer
     */
    public HubDownloader(URI endpoint, Path cacheDir, PrintStream progress, int retries) {
        if (retries < 0) throw new IllegalArgumentException("retries must be >= 0");
        this.endpoint = endpoint;
        this.cacheDir = cacheDir;
        this.progress = progress;
        this.retries = retries;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** {@code $HRM_CACHE_DIR}, else {@code ~/.cache/hrm-java}. */
    public static Path defaultCacheDir() {
        return hrm.io.CacheDirectory.base();
    }

    /** Where {@code file} of dataset {@code repo} ("owner/name") is cached. */
    public Path cachedPath(String repo, String file) {
        String[] parts = checkRepo(repo);
        checkName("file", file);
        return cacheDir.resolve("datasets").resolve(parts[0]).resolve(parts[1]).resolve(file);
    }

    public URI url(String repo, String file) {
        checkRepo(repo);
        checkName("file", file);
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create(base + "/datasets/" + repo + "/resolve/main/" + file);
    }

    /**
     * The cached file, downloading it first if it is not complete in the cache. When nothing could be
     * fetched, the cache folders this call created are removed again: a failed first try leaves no
     * empty folders behind.
     */
    public Path datasetFile(String repo, String file) throws IOException {
        Path target = cachedPath(repo, file);
        if (Files.isRegularFile(target)) return target;
        Path dir = target.getParent().toAbsolutePath().normalize(), created = firstMissing(dir);
        Files.createDirectories(dir);
        Path part = target.resolveSibling(file + ".part");
        URI url = url(repo, file);
        IOException last = null;
        try {
            for (int attempt = 0; attempt <= retries; attempt++) {
                try {
                    fetch(url, part, file);
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    return target;
                } catch (HubHttpException e) {
                    throw e;
                } catch (IOException e) {
                    last = e;
                }
            }
            throw new IOException("downloading " + url + " failed after " + (retries + 1) + " attempt(s); "
                    + (Files.exists(part) ? Files.size(part) + " bytes kept in " + part + " for the next try" : "nothing kept")
                    + ": " + describe(last, url), last);
        } finally {
            if (created != null && !Files.exists(target) && !Files.exists(part)) removeEmpty(dir, created);
        }
    }

    /** The outermost folder of {@code dir} that does not exist yet (null when dir exists): what createDirectories will make. */
    private static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) missing = d;
        return missing;
    }

    /** Removes dir and its parents up to and including {@code top}, each only while it is empty. */
    private static void removeEmpty(Path dir, Path top) {
        for (Path d = dir; d != null && d.startsWith(top); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (IOException notEmptyOrGone) {
                return; // something else is in it now: it is not ours to remove
            }
        }
    }

    /**
     * What went wrong, for a person: the HTTP client's connection errors carry no message (a
     * ConnectException caused by an UnresolvedAddressException or a ClosedChannelException), so the
     * message is made from the exception classes and the address.
     */
    public static String describe(Throwable e, URI url) {
        String host = url.getHost(), address = host + (url.getPort() >= 0 ? ":" + url.getPort() : "");
        StringBuilder chain = new StringBuilder();
        String message = null;
        boolean unresolved = false, connect = false, timeout = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (chain.indexOf(name) < 0) chain.append(chain.isEmpty() ? "" : " <- ").append(name);
            if (message == null && t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
            unresolved |= t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException;
            connect |= t instanceof java.net.ConnectException;
            timeout |= t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException;
        }
        String what = unresolved ? "host " + host + " not found"
                : timeout ? "no answer from " + address + " in time"
                : connect ? "no connection to " + address
                : message != null ? message : "the transfer failed";
        return what + " (" + chain + (message != null && !what.equals(message) ? ": " + message : "") + ")";
    }

    /** Brings {@code part} up to the whole file, resuming from its current length. */
    private void fetch(URI url, Path part, String name) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5)).GET();
        if (have > 0) req.header("Range", "bytes=" + have + "-");
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = resp.body()) {
            int status = resp.statusCode();
            long total;
            boolean append;
            if (status == 206) {
                String range = resp.headers().firstValue("Content-Range").orElse("");
                Matcher m = CONTENT_RANGE.matcher(range);
                if (!m.matches() || Long.parseLong(m.group(1)) != have)
                    throw new IOException(url + ": asked for bytes " + have + "- and got Content-Range '" + range + "'");
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                append = true;
            } else if (status == 200) {
                total = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                append = false;
                have = 0;
            } else if (status == 416 && have > 0) {
                // The .part may already be whole (interrupted just before the rename).
                Matcher m = UNSATISFIED_RANGE.matcher(resp.headers().firstValue("Content-Range").orElse(""));
                if (m.matches() && Long.parseLong(m.group(1)) == have) return;
                Files.delete(part);
                throw new IOException(url + ": the server refused to resume at byte " + have + "; starting over");
            } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
                throw new HubHttpException(url + ": HTTP " + status + (status == 404 ? " (no such repository or file)" : status == 401 || status == 403 ? " (the dataset needs authorisation)" : ""));
            } else {
                throw new IOException(url + ": HTTP " + status);
            }
            DownloadProgress bar = new DownloadProgress(progress, name, total, have);
            long done = have;
            try (OutputStream out = append
                    ? Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                    : Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = body.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    done += n;
                    bar.update(done);
                }
            } finally {
                if (progress != null) bar.finish(done);
            }
            if (total >= 0 && done != total)
                throw new IOException(url + ": transfer ended at byte " + done + " of " + total);
        }
    }

    private static String[] checkRepo(String repo) {
        String[] parts = repo.split("/", -1);
        if (parts.length != 2) throw new IllegalArgumentException("repository must be 'owner/name', got '" + repo + "'");
        checkName("repository owner", parts[0]);
        checkName("repository name", parts[1]);
        return parts;
    }

    private static void checkName(String what, String s) {
        if (!NAME.matcher(s).matches() || s.contains(".."))
            throw new IllegalArgumentException(what + " '" + s + "' must be letters, digits, '.', '_' or '-'");
    }

    /** An HTTP answer that retrying cannot fix (missing file, no access). */
    public static final class HubHttpException extends IOException {
        public HubHttpException(String message) {
            super(message);
        }
    }
}
