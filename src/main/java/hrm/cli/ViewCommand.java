package hrm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import hrm.io.AtomicFiles;
import hrm.serve.ViewReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hrm view --output report.html EVAL_DIR|TRACE_JSON...}: the page's views of traces and
 * evaluations as one self-contained HTML file ({@link ViewReport}), written atomically; an existing
 * file is replaced only with --overwrite.
 */
@Command(name = "view", mixinStandardHelpOptions = true,
        header = "Write traces and evaluations as one self-contained HTML report",
        description = {"One HTML file of the page's views, for sharing: no server, nothing requested.",
                "  ./hrm view --output report.html CKPT/analysis/trace.json CKPT/eval",
                "A trace.json of hrm analyze trace (or its directory): each example, a",
                "slider over every update, q_halt per segment and where ACT halts.",
                "An hrm eval output directory: its metrics and its examples right or wrong",
                "(failures first, at most --limit per set), as input, label and prediction.",
                "Several inputs: a section each."})
public final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "EVAL_DIR|TRACE_JSON", description = "hrm eval output directories and trace.json files")
    List<Path> inputs;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "the HTML file to write")
    Path output;

    @Option(names = "--overwrite", description = "replace FILE if it exists")
    boolean overwrite;

    @Option(names = "--limit", paramLabel = "N", description = "examples embedded per eval set (failures first) and per trace (default "
            + ViewReport.DEFAULT_LIMIT + ")")
    int limit = ViewReport.DEFAULT_LIMIT;

    @Override
    public Integer call() {
        checkWritable(); // before reading anything, not after
        ViewReport report = new ViewReport(limit);
        PrintWriter out = spec.commandLine().getOut();
        for (Path in : inputs) out.println(summary(report.add(in)));
        String html = report.html();
        checkWritable(); // nothing appeared there meanwhile
        AtomicFiles.write(output, o -> o.write(html.getBytes(StandardCharsets.UTF_8)));
        out.println("written: " + output);
        return 0;
    }

    private void checkWritable() {
        if (Files.isDirectory(output)) throw new IllegalArgumentException(output + ": is a directory; --output names the HTML file to write");
        if (Files.exists(output, LinkOption.NOFOLLOW_LINKS) && !overwrite)
            throw new IllegalArgumentException(output + ": exists (add --overwrite to replace it)");
    }

    /** One line per section: what it holds and what was left out. */
    private static String summary(JsonNode s) {
        String what = s.get("type").asText().equals("trace")
                ? s.get("examples").asInt() + " traced examples" + leftOut(s.get("left_out").asInt())
                : setsSummary(s.get("sets"));
        return s.get("source").asText() + ": " + s.get("kind").asText() + " (from " + s.get("kind_from").asText() + "), " + what;
    }

    private static String setsSummary(JsonNode sets) {
        StringBuilder b = new StringBuilder();
        for (JsonNode set : sets)
            b.append(b.isEmpty() ? "" : "; ").append("set ").append(set.get("name").asText()).append(": ").append(set.get("examples").asInt())
                    .append(" examples, ").append(set.get("wrong").asInt()).append(" wrong").append(leftOut(set.get("left_out").asInt()));
        return b.toString();
    }

    private static String leftOut(int n) {
        return n == 0 ? "" : " (" + n + " left out: --limit)";
    }
}
