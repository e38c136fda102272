package hrm.api;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * How {@link HrmModel#open(java.nio.file.Path, OpenOptions)} sets a model up.
 *
 * @param threads      worker threads of each backend; 0 for one per core
 * @param forwardDtype what to compute in, "float32" or "bfloat16"; null for the checkpoint's configuration
 * @param notes        where notes for a person go (the step taken from a run directory, a checkpoint that records
 *                     no puzzle size, the bfloat16 product path); the CLI passes its stderr
 */
public record OpenOptions(int threads, String forwardDtype, PrintWriter notes) {
    public OpenOptions {
        if (threads < 0) throw new IllegalArgumentException("threads: " + threads + ", expected 0 (one per core) or more");
        if (forwardDtype != null && !forwardDtype.equals("float32") && !forwardDtype.equals("bfloat16"))
            throw new IllegalArgumentException("forwardDtype: '" + forwardDtype + "', expected float32 or bfloat16");
        if (notes == null) notes = new PrintWriter(Writer.nullWriter());
    }

    /** One thread per core, the checkpoint's dtype, notes dropped. */
    public static OpenOptions defaults() {
        return new OpenOptions(0, null, null);
    }

    /** These options with {@code n} threads. */
    public OpenOptions withThreads(int n) {
        return new OpenOptions(n, forwardDtype, notes);
    }

    /** These options computing in {@code dtype} (float32 or bfloat16). */
    public OpenOptions withForwardDtype(String dtype) {
        return new OpenOptions(threads, dtype, notes);
    }

    /** These options with notes going to {@code out}. */
    public OpenOptions withNotes(PrintWriter out) {
        return new OpenOptions(threads, forwardDtype, out);
    }
}
