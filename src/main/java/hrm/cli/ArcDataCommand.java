package hrm.cli;

import hrm.io.OutputDirectory;
import hrm.data.DatasetException;
import hrm.data.DatasetWriter;
import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcDatasetBuilder;
import hrm.data.arc.ArcFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code hrm data arc}: the ARC dataset of spec section 10 from folders of task JSON. */
@Command(name = "arc", mixinStandardHelpOptions = true,
        description = "Build the ARC dataset (30x30 canvas, dihedral + colour augmentation) from task JSON folders.")
public final class ArcDataCommand implements Callable<Integer> {
    @Option(names = "--dataset-dirs", arity = "1..*", required = true,
            description = "folders holding task sub-folders (training/ and evaluation/, or ConceptARC's concept folders); "
                    + "the test pairs of tasks in a sub-folder named 'evaluation' form the test split")
    List<Path> datasetDirs;
    @Option(names = "--output-dir", required = true, description = "the dataset directory to write")
    Path outputDir;
    @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--num-aug", defaultValue = "1000", description = "augmented versions per task (default: ${DEFAULT-VALUE})")
    int numAug;
    @Option(names = "--overwrite", description = "replace an existing non-empty output directory")
    boolean overwrite;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        ArcDatasetBuilder.Summary s;
        try { // the writer checks too, but only after the whole build
            OutputDirectory.checkWritable(outputDir, overwrite, "--overwrite", DatasetWriter.KIND);
        } catch (IllegalArgumentException e) {
            System.err.println("hrm data arc: " + e.getMessage());
            return 2;
        }
        try {
            DatasetWriter writer = new DatasetWriter(outputDir, ArcCanvas.VOCAB_SIZE, ArcCanvas.SEQ_LEN).overwrite(overwrite);
            s = new ArcDatasetBuilder(numAug, new SplittableRandom(seed)).build(datasetDirs, writer);
        } catch (ArcFormatException | DatasetException | IllegalArgumentException e) {
            // Bad input: the message names the file and field; a stack trace would only hide it.
            System.err.println("hrm data arc: " + e.getMessage());
            return 2;
        }
        System.out.printf("%s: %d tasks, %d versions, %d train examples, %d test examples, %d puzzle identifiers (%.1f s)%n",
                outputDir, s.tasks(), s.versions(), s.trainExamples(), s.testExamples(), s.identifiers(),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
