package hrm.train;

import hrm.data.DatasetMetadata;
import hrm.data.PuzzleDataset;
import hrm.dist.Cluster;
import hrm.train.config.ConfigException;
import hrm.train.config.TrainConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The datasets a run trains and evaluates on, opened and checked: the training split, and the test
 * split (of data_paths_test when given, else of the training data; null where there is none), whose
 * shapes must be the training split's. With N ranks every rank must have composed the same
 * configuration and opened the same data as rank 0.
 */
public record TrainingData(PuzzleDataset train, PuzzleDataset test) {

    /** Opens the configuration's data; a collective with N ranks (each compares itself with rank 0). */
    public static TrainingData open(TrainConfig cfg, Cluster cluster) {
        Path data = Path.of(cfg.dataPath());
        // named as the user wrote it: data_paths=[D] (TinyRecursiveModels' spelling) or data_path=D
        String dataKey = cfg.recursive().dataPathsList() ? "data_paths = [" + cfg.dataPath() + "]" : "data_path = " + cfg.dataPath();
        if (!Files.isDirectory(data))
            throw new ConfigException(dataKey + ": no such dataset directory (build one with ./hrm data sudoku|maze|arc)");
        PuzzleDataset train = PuzzleDataset.open(data, "train");
        boolean ownTest = !cfg.recursive().dataPathsTest().isEmpty();
        Path testData = ownTest ? Path.of(cfg.recursive().dataPathsTest().get(0)) : data;
        String testKey = ownTest ? "data_paths_test = [" + testData + "]" : dataKey;
        if (!Files.isDirectory(testData))
            throw new ConfigException(testKey + ": no such dataset directory");
        PuzzleDataset test = Files.isDirectory(testData.resolve("test")) ? PuzzleDataset.open(testData, "test") : null;
        DatasetMetadata tm = train.metadata();
        if (test != null) {
            DatasetMetadata em = test.metadata();
            if (em.seqLen() != tm.seqLen() || em.vocabSize() != tm.vocabSize() || em.numPuzzleIdentifiers() != tm.numPuzzleIdentifiers())
                throw new ConfigException(testKey + ": the test split's seq_len/vocab_size/num_puzzle_identifiers ("
                        + em.seqLen() + "/" + em.vocabSize() + "/" + em.numPuzzleIdentifiers() + ") differ from the training split's ("
                        + tm.seqLen() + "/" + tm.vocabSize() + "/" + tm.numPuzzleIdentifiers() + ", " + dataKey + ")");
        }
        checkSameEverywhere(cfg, tm, cluster);
        return new TrainingData(train, test);
    }

    /**
     * Refuses, on every rank, a run whose ranks composed different configurations or opened
     * different datasets: rank 0's hash of both is compared with each rank's own.
     */
    private static void checkSameEverywhere(TrainConfig cfg, DatasetMetadata tm, Cluster cluster) {
        if (cluster.size() == 1) return;
        Map<String, Object> keys = new TreeMap<>(cfg.toMap());
        keys.remove("threads"); // may differ per machine
        int hash = Objects.hash(keys.toString(), tm.seqLen(), tm.vocabSize(), tm.numPuzzleIdentifiers(), tm.totalGroups(),
                tm.meanPuzzleExamples(), tm.sets());
        int[] all = new int[cluster.size()];
        cluster.gatherInts(new int[]{hash}, all);
        for (int r = 1; r < all.length; r++)
            if (all[r] != all[0])
                throw new ConfigException("rank " + r + " composed a different configuration or opened a different dataset than rank 0"
                        + " (data_path = " + cfg.dataPath() + "): every rank must run the same command on the same data");
    }
}
