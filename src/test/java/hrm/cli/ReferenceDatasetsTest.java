package hrm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The datasets the authors' own builders wrote train and evaluate unchanged (a tiny model, a few steps). */
class ReferenceDatasetsTest {
    @Test
    void mazeAndArcTrainAndEvaluate(@TempDir Path tmp) throws Exception {
        for (String name : new String[] {"maze", "arc"}) {
            Path run = tmp.resolve(name);
            TrainCommandTest.Result r = TrainCommandTest.run("train", "data_path=testdata/reference-datasets/" + name,
                    "global_batch_size=16", "epochs=1", "eval_interval=1", "lr=1e-3", "arch.hidden_size=16", "arch.num_heads=2", "arch.H_layers=1",
                    "arch.L_layers=1", "arch.H_cycles=1", "arch.L_cycles=1", "arch.halt_max_steps=1", "arch.puzzle_emb_ndim=16",
                    "stop_at_step=1", "threads=2", "checkpoint_path=" + run);
            assertEquals(0, r.code(), name + ": " + r.err());
            Path out = tmp.resolve(name + "-eval");
            r = TrainCommandTest.run("eval", "checkpoint=" + run.resolve("step_1"), "global_batch_size=64", "threads=2", "--output", out.toString());
            assertEquals(0, r.code(), name + ": " + r.err());
            JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
            assertTrue(m.get("all").get("accuracy").asDouble() >= 0, name);
            if (name.equals("arc")) assertEquals(400, m.get("ARC").get("ARC/tasks").asInt(), m.toString());
            if (name.equals("maze")) assertEquals(10, m.get("maze").get("mazes").asInt(), m.toString());
        }
    }
}
