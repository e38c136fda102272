package hrm.analysis;

import java.util.regex.Pattern;

/** The files hrm analyze writes into its output directory: what may be replaced as its own. */
public final class AnalysisFiles {
    private static final Pattern OWN = Pattern.compile("(dimensionality|scaling|residuals|trace)\\.(json|csv|png)|dimensionality-whole-state\\.png|trace-\\d+\\.png"
            + "|\\..+\\.\\d+\\.\\d+\\.tmp"); // the last: an interrupted write's temporary name (io.AtomicFiles)

    private AnalysisFiles() {}

    public static boolean isOwnFile(String name) {
        return OWN.matcher(name).matches();
    }
}
