package hrm.train.log;

import hrm.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The run's metrics, one record per logged step, in {@code metrics.jsonl} (one JSON object per line:
 * {@code step}, {@code epoch}, {@code wall_time}, then the metrics by name) and {@code metrics.csv} (the same
 * as a table).
 *
 * <p>The JSON lines are the record of truth: appended and flushed after every record, so a crash loses at
 * most the line being written, and a torn last line is dropped on reopening. The CSV's columns grow when a
 * new metric name appears (evaluation metrics arrive after the first training steps); it is then rewritten
 * whole from the records held in memory, atomically, and otherwise appended to. Steps never go backwards;
 * several records may share a step (training and evaluation metrics of the same step). Not thread-safe.
 */
public final class MetricsLog implements Closeable {
    public static final String JSONL = "metrics.jsonl";
    public static final String CSV = "metrics.csv";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path jsonlFile;
    private final Path csvFile;
    private final InstantSource clock;
    private final List<MetricsRecord> records;
    private final LinkedHashSet<String> columns = new LinkedHashSet<>();
    private List<String> columnList = List.of();
    private Writer jsonl;
    private Writer csv;

    private MetricsLog(Path runDir, InstantSource clock, List<MetricsRecord> records) {
        this.jsonlFile = runDir.resolve(JSONL);
        this.csvFile = runDir.resolve(CSV);
        this.clock = clock;
        this.records = records;
        for (MetricsRecord r : records) columns.addAll(r.metrics().keySet());
        columnList = List.copyOf(columns);
    }

    /**
     * Opens the log of a run directory, keeping the records already there (a resumed run) and rewriting the
     * CSV from them, so both files agree whatever state a crash left them in.
     */
    public static MetricsLog open(Path runDir, InstantSource clock) {
        Path jsonlFile = runDir.resolve(JSONL);
        boolean exists = Files.exists(jsonlFile);
        Loaded loaded = exists ? read(jsonlFile) : new Loaded(new ArrayList<>(), false);
        MetricsLog log = new MetricsLog(runDir, clock, loaded.records);
        if (loaded.needsRewrite) log.rewriteJsonl();
        log.rewriteCsv();
        log.jsonl = appender(jsonlFile);
        return log;
    }

    /** Every record, oldest first (a read-only view). */
    public List<MetricsRecord> records() {
        return Collections.unmodifiableList(records);
    }

    /** The metric names, in the order they first appeared: the CSV's columns after the fixed ones. */
    public List<String> metricNames() {
        return columnList;
    }

    /** Appends a record stamped with the current wall time and flushes both files. */
    public MetricsRecord append(long step, int epoch, Map<String, Double> metrics) {
        if (!records.isEmpty() && step < records.getLast().step())
            throw new IllegalStateException(jsonlFile + ": step " + step + " comes after step "
                    + records.getLast().step() + "; a resumed run must first truncateAfter(its checkpoint's step)");
        Instant now = clock.instant();
        double wallTime = now.toEpochMilli() / 1000.0;
        MetricsRecord record = new MetricsRecord(step, epoch, wallTime, metrics);
        int again = sameLogging(step, record.metrics().keySet());
        if (again >= 0) {
            // The same record of the same step logged again: a run resumed from a checkpoint taken before this
            // record was written (killed between an evaluation and its checkpoint) redoes it. Keep one.
            records.set(again, record);
            rewriteAll();
            return record;
        }
        String line = jsonLine(record);
        try {
            jsonl.write(line);
            jsonl.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(jsonlFile + ": " + hrm.io.ErrorText.of(e), e);
        }
        records.add(record);
        if (columns.addAll(record.metrics().keySet())) {
            columnList = List.copyOf(columns);
            rewriteCsv();
        } else {
            try {
                csv.write(MetricsCsv.row(record, columnList));
                csv.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(csvFile + ": " + hrm.io.ErrorText.of(e), e);
            }
        }
        return record;
    }

    private int sameLogging(long step, java.util.Set<String> names) {
        for (int i = records.size() - 1; i >= 0 && records.get(i).step() == step; i--)
            if (records.get(i).metrics().keySet().equals(names)) return i;
        return -1;
    }

    /**
     * Drops every record after {@code step}, so that a run resumed from that step's checkpoint does not log
     * its next steps twice. Both files are rewritten atomically; the columns shrink to the names still used.
     */
    public void truncateAfter(long step) {
        boolean dropped = false;
        for (Iterator<MetricsRecord> it = records.iterator(); it.hasNext(); ) {
            if (it.next().step() > step) {
                it.remove();
                dropped = true;
            }
        }
        if (!dropped) return;
        columns.clear();
        for (MetricsRecord r : records) columns.addAll(r.metrics().keySet());
        columnList = List.copyOf(columns);
        rewriteAll();
    }

    /** Both files from the records, atomically, the appender reopened on the new jsonl. */
    private void rewriteAll() {
        closeQuietly(jsonl);
        rewriteJsonl();
        jsonl = appender(jsonlFile);
        rewriteCsv();
    }

    @Override
    public void close() {
        try {
            if (jsonl != null) jsonl.close();
        } catch (IOException e) {
            throw new UncheckedIOException(jsonlFile + ": " + hrm.io.ErrorText.of(e), e);
        } finally {
            closeQuietly(csv);
            jsonl = null;
            csv = null;
        }
    }

    private void rewriteJsonl() {
        AtomicFiles.write(jsonlFile, out -> {
            for (MetricsRecord r : records) out.write(jsonLine(r).getBytes(StandardCharsets.UTF_8));
        });
    }

    /** The rename replaces the file, so the open appender (which holds the old one) is replaced with it. */
    private void rewriteCsv() {
        closeQuietly(csv);
        List<String> names = columnList;
        AtomicFiles.write(csvFile, out -> {
            out.write(MetricsCsv.header(names).getBytes(StandardCharsets.UTF_8));
            for (MetricsRecord r : records) out.write(MetricsCsv.row(r, names).getBytes(StandardCharsets.UTF_8));
        });
        csv = appender(csvFile);
    }

    private static Writer appender(Path file) {
        try {
            return new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
    }

    private static void closeQuietly(Writer w) {
        if (w == null) return;
        try {
            w.close();
        } catch (IOException ignored) {
            // everything written was flushed when it was written; a failing close loses nothing
        }
    }

    /** One line of JSON; NaN and infinities (a diverged loss is worth logging) are written as strings. */
    static String jsonLine(MetricsRecord r) {
        StringWriter sw = new StringWriter(32 * (3 + r.metrics().size()));
        try (JsonGenerator g = JSON.getFactory().createGenerator(sw)) {
            g.writeStartObject();
            g.writeNumberField("step", r.step());
            g.writeNumberField("epoch", r.epoch());
            g.writeNumberField("wall_time", r.wallTime());
            for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
                double v = e.getValue();
                if (Double.isFinite(v)) g.writeNumberField(e.getKey(), v);
                else g.writeStringField(e.getKey(), Double.toString(v));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return sw.append('\n').toString();
    }

    private record Loaded(List<MetricsRecord> records, boolean needsRewrite) {}

    /** The records of a run directory's log, read without writing anything (none if there is no log). */
    public static List<MetricsRecord> readRecords(Path runDir) {
        Path file = runDir.resolve(JSONL);
        return Files.isRegularFile(file) ? Collections.unmodifiableList(read(file).records) : List.of();
    }

    private static Loaded read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + hrm.io.ErrorText.of(e), e);
        }
        List<String> lines = text.lines().toList();
        boolean torn = !text.isEmpty() && !text.endsWith("\n");
        List<MetricsRecord> records = new ArrayList<>(lines.size());
        boolean needsRewrite = torn;
        for (int i = 0; i < lines.size(); i++) {
            boolean lastOfTorn = torn && i == lines.size() - 1;
            MetricsRecord r;
            try {
                r = parse(lines.get(i));
            } catch (IllegalArgumentException e) {
                // The line a crash interrupted is the only one allowed to be broken.
                if (lastOfTorn) break;
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + hrm.io.ErrorText.of(e), e);
            }
            if (!records.isEmpty() && r.step() < records.getLast().step())
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": step " + r.step()
                        + " comes after step " + records.getLast().step());
            records.add(r);
        }
        return new Loaded(records, needsRewrite);
    }

    static MetricsRecord parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException("not a JSON object");
        long step = integer(node, "step");
        long epoch = integer(node, "epoch");
        JsonNode wall = node.get("wall_time");
        if (wall == null || !wall.isNumber()) throw new IllegalArgumentException("field 'wall_time' is missing or not a number");
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (MetricsRecord.FIXED_COLUMNS.contains(e.getKey())) continue;
            metrics.put(e.getKey(), number(e.getKey(), e.getValue()));
        }
        if (epoch < 0 || epoch > Integer.MAX_VALUE) throw new IllegalArgumentException("field 'epoch' is out of range: " + epoch);
        return new MetricsRecord(step, (int) epoch, wall.doubleValue(), metrics);
    }

    private static long integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber())
            throw new IllegalArgumentException("field '" + field + "' is missing or not an integer");
        return v.longValue();
    }

    private static double number(String field, JsonNode v) {
        if (v.isNumber()) return v.doubleValue();
        if (v.isTextual()) {
            switch (v.textValue()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw new IllegalArgumentException("metric '" + field + "' is not a number: " + v);
    }
}
