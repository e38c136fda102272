package hrm.cli;

import hrm.io.OutputDirectory;
import hrm.data.DatasetWriter;
import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcDatasetBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** {@code hrm data arc}: the ARC dataset of docs/model.md §11.3 from folders of task JSON. */
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
        // the writer checks too, but only after the whole build
        OutputDirectory.checkWritable(outputDir, overwrite, "--overwrite", DatasetWriter.KIND);
        // bad input (the message names the file and field): Main reports it in one line (ErrorReport)
        DatasetWriter writer = new DatasetWriter(outputDir, ArcCanvas.VOCAB_SIZE, ArcCanvas.SEQ_LEN).overwrite(overwrite);
        ArcDatasetBuilder.Summary s = new ArcDatasetBuilder(numAug, new SplittableRandom(seed)).build(datasetDirs, writer);
        System.out.printf("%s: %d tasks, %d versions, %d train examples, %d test examples, %d puzzle identifiers (%.1f s)%n",
                outputDir, s.tasks(), s.versions(), s.trainExamples(), s.testExamples(), s.identifiers(),
                (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
