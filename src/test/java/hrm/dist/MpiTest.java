package hrm.dist;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MPI bindings under a real launcher: {@code mpirun -np 2} runs {@link MpiSelfCheck} (every
 * collective of {@link Cluster} that training calls, through {@link MpiCluster}, checked on every
 * rank; and an abort that ends every rank). CI installs Open MPI (.ci/run); on a machine without
 * mpirun the launcher tests are skipped with that reason, and the rest still runs.
 */
public class MpiTest {
    public static Path mpirun() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "mpirun");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** mpirun -np N java (this JVM, this class path) MAIN ARGS..., as root where CI runs. */
    public static List<String> command(int ranks, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(mpirun().toString(), "--allow-run-as-root", "--oversubscribe", "-np", Integer.toString(ranks),
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static String run(List<String> cmd, int timeoutSeconds, int[] exit) throws IOException, InterruptedException {
        return run(cmd, timeoutSeconds, exit, java.util.Map.of());
    }

    /** As {@link #run(List, int, int[])} with {@code env} added to the environment (every local rank inherits it). */
    public static String run(List<String> cmd, int timeoutSeconds, int[] exit, java.util.Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMPI_MCA_rmaps_base_oversubscribe", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mpirun did not finish in " + timeoutSeconds + " s: " + new String(out, StandardCharsets.UTF_8));
        }
        exit[0] = p.exitValue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void everyCollectiveGivesTheRightValuesOnTwoRanks() throws Exception {
        Assumptions.assumeTrue(mpirun() != null, "mpirun is not installed (apt-get install openmpi-bin); .ci/run installs it");
        int[] exit = new int[1];
        String out = run(command(2, MpiSelfCheck.class.getName()), 120, exit);
        assertEquals(0, exit[0], out);
        assertTrue(out.contains("rank 0 of 2: ok") && out.contains("rank 1 of 2: ok"), out);
        assertTrue(out.contains("Open MPI"), "the library names itself: " + out);
    }

    @Test
    void anAbortingRankEndsEveryRankWithItsCode() throws Exception {
        Assumptions.assumeTrue(mpirun() != null, "mpirun is not installed (apt-get install openmpi-bin); .ci/run installs it");
        int[] exit = new int[1];
        String out = run(command(2, MpiSelfCheck.class.getName(), "abort"), 120, exit);
        assertEquals(3, exit[0], out);
        assertFalse(out.contains("still running"), out);
    }

    @Test
    void aLauncherIsRecognisedByItsEnvironment() {
        assertTrue(Mpi.launched(Map.of("OMPI_COMM_WORLD_SIZE", "2")), "Open MPI's mpirun");
        assertTrue(Mpi.launched(Map.of("PMI_SIZE", "4")), "MPICH's Hydra, Slurm's srun with PMI");
        assertTrue(Mpi.launched(Map.of("PMIX_RANK", "0")), "PMIx launchers");
        assertFalse(Mpi.launched(Map.of("PATH", "/usr/bin")), "a plain start is the single process of before");
    }

    @Test
    void aMissingLibrarySaysWhatToInstall() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Mpi.init(Map.of("HRM_MPI_LIB", "/nonexistent/libmpi.so.40")));
        assertTrue(e.getMessage().contains("/nonexistent/libmpi.so.40") && e.getMessage().contains("apt-get install openmpi-bin"), e.getMessage());
    }
}
