package hrm.train.log;

import java.math.BigDecimal;
import java.util.List;

/** The CSV form of the metrics: fixed columns, then one column per metric name; empty cells where a step lacks one. */
final class MetricsCsv {
    private MetricsCsv() {}

    static String header(List<String> metricNames) {
        StringBuilder sb = new StringBuilder("step,epoch,wall_time");
        for (String name : metricNames) sb.append(',').append(quote(name));
        return sb.append('\n').toString();
    }

    static String row(MetricsRecord r, List<String> metricNames) {
        StringBuilder sb = new StringBuilder(16 * (3 + metricNames.size()));
        sb.append(r.step()).append(',').append(r.epoch()).append(',')
                .append(BigDecimal.valueOf(r.wallTime()).toPlainString());
        for (String name : metricNames) {
            sb.append(',');
            Double v = r.metrics().get(name);
            // Double.toString is the shortest text that reads back to the same double (NaN and Infinity too).
            if (v != null) sb.append(v.doubleValue());
        }
        return sb.append('\n').toString();
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0)
            return field;
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
