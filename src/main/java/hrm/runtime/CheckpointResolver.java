package hrm.runtime;

import hrm.checkpoint.AllConfig;
import hrm.checkpoint.ModelCheckpoint;
import hrm.io.ShellQuote;
import hrm.train.TrainCheckpoint;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a user named as a checkpoint, turned into the checkpoint to load: a step_N directory of
 * {@code hrm train}, a run directory (its latest complete step_N, as {@code hrm train --resume}
 * takes it: {@link TrainCheckpoint#latest}), a .safetensors file, or a released torch checkpoint
 * file; the files with all_config.yaml beside them. Anything else is refused in one line saying what
 * was found there. Only the kind of path is decided here; {@link ModelCheckpoint#read} checks the
 * contents.
 */
public final class CheckpointResolver {
    /** What a checkpoint may be, as every refusal ends. */
    public static final String EXPECTED = "expected a run directory of hrm train, a step_N directory, a .safetensors file or a released checkpoint";

    private CheckpointResolver() {}

    /**
     * The checkpoint {@code named} means, saying on {@code notes} (as "{@code who}: ...") which step
     * was taken when it is a run directory: the user named no step, so is told the one used.
     */
    public static Path resolve(Path named, PrintWriter notes, String who) {
        Path chosen = resolve(named);
        if (!chosen.equals(named))
            notes.println(who + ": using " + chosen.getFileName() + ", the latest checkpoint in " + ShellQuote.quote(named));
        return chosen;
    }

    /** The checkpoint {@code named} means: itself, or the latest step_N inside a run directory. */
    public static Path resolve(Path named) {
        if (Files.isRegularFile(named)) {
            if (!Files.isRegularFile(named.toAbsolutePath().resolveSibling(AllConfig.FILE_NAME)))
                throw new IllegalArgumentException(named + ": a file with no " + AllConfig.FILE_NAME + " beside it (" + EXPECTED
                        + ", with " + AllConfig.FILE_NAME + " beside it)");
            return named;
        }
        if (!Files.isDirectory(named)) throw new IllegalArgumentException(named + ": no such file or directory (" + EXPECTED + ")");
        if (Files.isRegularFile(named.resolve(ModelCheckpoint.MODEL_FILE))) return named;
        return TrainCheckpoint.latest(named).orElseThrow(() -> new IllegalArgumentException(named + ": " + inside(named) + " (" + EXPECTED + ")"));
    }

    /** What a directory with no checkpoint to load holds instead, as far as it tells what the user meant. */
    private static String inside(Path dir) {
        List<String> steps;
        try (Stream<Path> s = Files.list(dir)) {
            steps = s.filter(p -> TrainCheckpoint.stepNumber(p) >= 0).map(p -> p.getFileName() + (Files.isRegularFile(p) ? " is a file" : " is incomplete"))
                    .sorted().limit(3).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + hrm.io.ErrorText.of(e), e);
        }
        if (!steps.isEmpty()) return "no complete step_N checkpoint inside (" + String.join(", ", steps) + ")";
        if (Files.isRegularFile(dir.resolve(AllConfig.FILE_NAME))) return "no step_N checkpoint inside yet (the run stopped before its first)";
        return "no step_N checkpoint inside";
    }
}
