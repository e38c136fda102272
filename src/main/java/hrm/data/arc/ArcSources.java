package hrm.data.arc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The task folders of a dataset directory: its sub-folders holding {@code *.json} tasks, such as
 * ARC-AGI's {@code training} and {@code evaluation} or ConceptARC's concept folders. Folders and files
 * are listed in name order, so a build does not depend on the file system's listing order.
 */
public final class ArcSources {
    /** The folder whose tasks' test pairs form the test split. */
    public static final String EVALUATION = "evaluation";

    /** One sub-folder of tasks. */
    public record Folder(Path dir, List<Path> tasks) {
        public String name() {
            return dir.getFileName().toString();
        }

        /** Whether its test pairs go to the test split (the folder is named {@value #EVALUATION}). */
        public boolean isEvaluation() {
            return name().equals(EVALUATION);
        }
    }

    private ArcSources() {}

    public static List<Folder> scan(Path datasetDir) {
        if (!Files.isDirectory(datasetDir))
            throw new ArcFormatException(datasetDir, null, "not a directory (expected a folder of task sub-folders, such as training/ and evaluation/)");
        List<Folder> folders = new ArrayList<>();
        for (Path sub : sorted(datasetDir))
            if (Files.isDirectory(sub)) {
                List<Path> tasks = sorted(sub).stream().filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f)).toList();
                if (!tasks.isEmpty()) folders.add(new Folder(sub, tasks));
            }
        if (folders.isEmpty()) {
            boolean direct = sorted(datasetDir).stream().anyMatch(f -> f.getFileName().toString().endsWith(".json"));
            throw new ArcFormatException(datasetDir, null, direct
                    ? "holds task files itself; pass its parent folder (a sub-folder named 'evaluation' decides the test split)"
                    : "no sub-folder holds task *.json files");
        }
        return folders;
    }

    private static List<Path> sorted(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
