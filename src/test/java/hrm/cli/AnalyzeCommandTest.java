package hrm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** hrm analyze on a small trained model: its numbers agree with hrm eval's and repeat exactly. */
class AnalyzeCommandTest {
    @TempDir
    static Path tmp;
    static Path checkpoint;

    record Result(int code, String out, String err) {}

    static Result hrm(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    @BeforeAll
    static void trainASmallModel() {
        Result r = hrm("demo", "--dir", tmp.toString(), "--train-puzzles", "256", "--test-puzzles", "48", "epochs=4", "eval_interval=4",
                "arch.hidden_size=32", "arch.num_heads=2", "arch.H_layers=1", "arch.L_layers=1", "arch.L_cycles=2", "arch.halt_max_steps=3", "threads=2");
        assertEquals(0, r.code(), r.out() + r.err());
        checkpoint = tmp.resolve("run/step_16");
        assertTrue(Files.isDirectory(checkpoint));
    }

    /** At m = the trained halt_max_steps the scaling row is hrm eval's accuracy and exact accuracy, to the last bit. */
    @Test
    void scalingAtTheTrainedDepthEqualsEval() throws Exception {
        Result eval = hrm("eval", "checkpoint=" + checkpoint, "threads=2", "--output", tmp.resolve("eval").toString());
        assertEquals(0, eval.code(), eval.err());
        JsonNode metrics = new ObjectMapper().readTree(tmp.resolve("eval/metrics.json").toFile()).get("all");
        Path out = tmp.resolve("scaling");
        Result r = hrm("analyze", "scaling", "checkpoint=" + checkpoint, "max_steps=6", "threads=2", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode rows = new ObjectMapper().readTree(out.resolve("scaling.json").toFile()).get("rows");
        assertEquals(6, rows.size());
        JsonNode at3 = rows.get(2);
        assertEquals(3, at3.get("max_steps").asInt());
        assertEquals(metrics.get("accuracy").asDouble(), at3.get("accuracy").asDouble(), 1e-12);
        assertEquals(metrics.get("exact_accuracy").asDouble(), at3.get("exact_accuracy").asDouble(), 1e-12);
        for (JsonNode row : rows) {
            double steps = row.get("act_mean_steps").asDouble();
            assertTrue(steps >= 1 && steps <= row.get("max_steps").asInt(), row.toString());
        }
        assertEquals(rows.get(0).get("exact_accuracy").asDouble(), rows.get(0).get("act_exact_accuracy").asDouble(), 1e-12,
                "with one segment allowed, halting changes nothing");
        assertEquals(7, Files.readAllLines(out.resolve("scaling.csv")).size());
        assertTrue(Files.size(out.resolve("scaling.png")) > 5000);
        assertTrue(r.out().contains("exact accuracy:"), r.out());

        Result again = hrm("analyze", "scaling", "checkpoint=" + checkpoint, "max_steps=6", "--output", out.toString());
        assertEquals(2, again.code(), "an earlier analysis is replaced only with --overwrite");
        assertTrue(again.err().contains("--overwrite"), again.err());
    }

    @Test
    void dimensionalityRepeatsExactlyAndCoversEveryTrajectoryCount() throws Exception {
        Path a = tmp.resolve("dim-a"), b = tmp.resolve("dim-b");
        for (Path out : new Path[]{a, b}) {
            Result r = hrm("analyze", "dimensionality", "checkpoint=" + checkpoint, "trajectories=20", "threads=2", "--output", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("participation ratio over 20 trajectories"), r.out());
        }
        String ja = Files.readString(a.resolve("dimensionality.json")), jb = Files.readString(b.resolve("dimensionality.json"));
        assertEquals(ja.replace(a.toString(), ""), jb.replace(b.toString(), ""), "seeded: the same numbers twice");
        JsonNode d = new ObjectMapper().readTree(ja);
        assertEquals(20, d.get("by_trajectories").size());
        for (String which : new String[]{"trained", "untrained"})
            for (String z : new String[]{"z_H", "z_L"}) {
                double pr = d.get(which).get(z).asDouble();
                assertTrue(pr >= 1 && pr <= 32, which + " " + z + " = " + pr + ": between 1 and the hidden size");
                assertEquals(pr, d.get("by_trajectories").get(19).get(which).get(z).asDouble(), 0.0);
            }
        assertNotEquals(d.get("trained").get("z_H").asDouble(), d.get("untrained").get("z_H").asDouble());
        assertTrue(Files.size(a.resolve("dimensionality.png")) > 5000);
    }

    @Test
    void badArgumentsAreNamed() {
        Result r = hrm("analyze", "dimensionality", "checkpoint=" + checkpoint, "trajectories=49");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("trajectories = 49") && r.err().contains("48 examples"), r.err());
        r = hrm("analyze", "scaling", "checkpoint=" + checkpoint, "max_steps=0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("max_steps = 0"), r.err());
        r = hrm("analyze", "curvature", "checkpoint=" + checkpoint);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown analysis 'curvature'"), r.err());
        r = hrm("analyze", "scaling", "checkpoint=" + checkpoint, "trajectories=3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown key 'trajectories'"), r.err());
    }
}
