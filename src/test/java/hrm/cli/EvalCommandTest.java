package hrm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EvalCommandTest {
    @Test
    void evaluatesATrainedCheckpointLikeTheTrainingRunDid(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(TrainCommandTest.args(run)).code());
        Path out = tmp.resolve("eval");
        TrainCommandTest.Result r = TrainCommandTest.run("eval", "checkpoint=" + run.resolve("step_18"), "threads=2", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        // the shipped config asks for bfloat16: training and evaluation both compute in it, so they agree exactly
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        List<String> log = Files.readAllLines(run.resolve("metrics.jsonl"));
        JsonNode lastEval = new ObjectMapper().readTree(log.stream().filter(l -> l.contains("all/accuracy")).reduce((a, b) -> b).orElseThrow());
        assertEquals(lastEval.get("all/accuracy").asDouble(), m.get("all").get("accuracy").asDouble(), 1e-12);
        assertEquals(lastEval.get("all/exact_accuracy").asDouble(), m.get("all").get("exact_accuracy").asDouble(), 1e-12);
        Npy.Array pred = Npy.read(out.resolve("all__predictions.npy"));
        assertArrayEquals(new long[] {6, 81}, pred.shape());
        assertEquals(6, Npy.read(out.resolve("all__q_halt.npy")).size());
    }

    @Test
    void theOutputNeverReplacesWhatIsNotAnEvaluation(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(TrainCommandTest.args(run)).code());
        List<String> before;
        try (var s = Files.walk(run)) {
            before = s.map(p -> run.relativize(p).toString()).sorted().toList();
        }
        TrainCommandTest.Result r = TrainCommandTest.run("eval", "checkpoint=" + run.resolve("step_18"), "threads=2", "--output", run.toString());
        assertEquals(2, r.code(), "a run directory is not an eval output");
        assertTrue(r.err().contains(run.toString()) && r.err().contains("--overwrite"), r.err());
        r = TrainCommandTest.run("eval", "checkpoint=" + run.resolve("step_18"), "threads=2", "--output", run.toString(), "--overwrite");
        assertEquals(2, r.code(), "not even with --overwrite");
        assertTrue(r.err().contains("does not look like an evaluation output directory"), r.err());
        try (var s = Files.walk(run)) {
            assertEquals(before, s.map(p -> run.relativize(p).toString()).sorted().toList(), "every checkpoint is still there");
        }

        Path out = tmp.resolve("eval");
        assertEquals(0, TrainCommandTest.run("eval", "checkpoint=" + run.resolve("step_18"), "threads=2", "--output", out.toString()).code());
        r = TrainCommandTest.run("eval", "checkpoint=" + run.resolve("step_18"), "threads=2", "--output", out.toString());
        assertEquals(2, r.code(), "an earlier evaluation is replaced only when asked");
        assertTrue(r.err().contains("--overwrite"), r.err());
        Files.delete(out.resolve("metrics.json"));
        r = TrainCommandTest.run("eval", "checkpoint=" + run.resolve("step_18"), "threads=2", "--output", out.toString(), "--overwrite");
        assertEquals(2, r.code(), "without metrics.json it is not recognisably ours");
        Files.writeString(out.resolve("metrics.json"), "{}");
        r = TrainCommandTest.run("eval", "checkpoint=" + run.resolve("step_18"), "threads=2", "--output", out.toString(), "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(out.resolve("metrics.json")) > 2);
    }

    @Test
    void badCheckpointMetadataIsNamed(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, TrainCommandTest.run(TrainCommandTest.args(run)).code());
        hrm.checkpoint.TensorMap m = hrm.checkpoint.Safetensors.read(run.resolve("step_18/model.safetensors"));
        m.putMetadata("seq_len", "eighty-one");
        Path bad = tmp.resolve("bad.safetensors");
        hrm.checkpoint.Safetensors.write(bad, m);
        Files.copy(run.resolve("step_18/all_config.yaml"), tmp.resolve("all_config.yaml"));
        TrainCommandTest.Result r = TrainCommandTest.run("eval", "checkpoint=" + bad, "threads=2");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("'seq_len' = 'eighty-one'"), r.err());
    }

    @Test
    void solveRefusesAMalformedArcTaskInOneLine(@TempDir Path tmp) throws Exception {
        Path task = tmp.resolve("task.json");
        Files.writeString(task, "{\"train\": 5, \"test\": []}");
        TrainCommandTest.Result r = TrainCommandTest.run("solve", "--checkpoint", "testdata/parity/arc/checkpoint/step_1007", "arc", task.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(task.toString()) && !r.err().contains("\tat "), r.err());
    }

    @Test
    void refusesDataThatDoesNotFitAndForeignFiles(@TempDir Path tmp) throws Exception {
        TrainCommandTest.Result r = TrainCommandTest.run("eval", "checkpoint=testdata/parity/arc/checkpoint/step_1007",
                "data_path=testdata/reference-datasets/sudoku", "--output", tmp.resolve("e").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("vocab_size 11 does not fit"), r.err());
        Path fake = tmp.resolve("step_5");
        Files.writeString(fake, "not a checkpoint");
        Files.copy(Path.of("testdata/parity/sudoku/checkpoint/all_config.yaml"), tmp.resolve("all_config.yaml"));
        r = TrainCommandTest.run("eval", "checkpoint=" + fake, "data_path=testdata/reference-datasets/sudoku");
        assertEquals(2, r.code());
        assertTrue(r.err().contains(fake.toString()), r.err());
        r = TrainCommandTest.run("eval", "checkpont=x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("hrm eval: checkpont: unknown key; did you mean checkpoint? (known: "), r.err());
    }
}
