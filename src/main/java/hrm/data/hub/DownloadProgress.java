package hrm.data.hub;

import java.io.PrintStream;

/** A one-line progress bar redrawn in place (carriage return), at most ten times a second. */
final class DownloadProgress {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String name;
    private final long total, startBytes, startNanos;
    private long lastDraw;

    /** @param total expected bytes, or -1 if unknown; @param startBytes bytes already there when resuming */
    DownloadProgress(PrintStream out, String name, long total, long startBytes) {
        this.out = out;
        this.name = name;
        this.total = total;
        this.startBytes = startBytes;
        this.startNanos = System.nanoTime();
    }

    void update(long bytes) {
        long now = System.nanoTime();
        if (out == null || now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        draw(bytes, now);
    }

    void finish(long bytes) {
        if (out == null) return;
        draw(bytes, System.nanoTime());
        out.println();
    }

    private void draw(long bytes, long now) {
        double sec = Math.max(1e-9, (now - startNanos) * 1e-9);
        double rate = (bytes - startBytes) / sec;
        StringBuilder sb = new StringBuilder("\r").append(name).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, bytes * WIDTH / total);
            sb.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
              .append(String.format("%3d%% %s / %s", bytes * 100 / total, size(bytes), size(total)));
        } else {
            sb.append(size(bytes));
        }
        sb.append(String.format(" %s/s", size((long) rate)));
        out.print(sb);
        out.flush();
    }

    static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format("%.1f KiB", bytes / 1024.0);
        if (bytes < 1024L * 1024 * 1024) return String.format("%.1f MiB", bytes / (1024.0 * 1024));
        return String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
