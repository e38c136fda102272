package hrm.cli;

import hrm.dist.Cluster;
import hrm.tensor.cpu.WorkerPool;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without threads=, ranks sharing a machine share its cores instead of each taking them all. */
class ThreadsPerRankTest {
    /** A stand-in for a 2-rank run (only the size is asked). */
    static Cluster ofSize(int n) {
        return new Cluster() {
            @Override public int rank() { return 0; }
            @Override public int size() { return n; }
            @Override public void sum(hrm.tensor.Tensor t) { throw new UnsupportedOperationException(); }
            @Override public void sumDoubles(double[] a) { throw new UnsupportedOperationException(); }
            @Override public void gather(hrm.tensor.Tensor mine, hrm.tensor.Tensor all) { throw new UnsupportedOperationException(); }
            @Override public void gatherInts(int[] mine, int[] all) { throw new UnsupportedOperationException(); }
            @Override public void abort(int code) { throw new UnsupportedOperationException(); }
            @Override public String describe() { return n + " ranks"; }
            @Override public void close() { }
        };
    }

    @Test
    void localRanksShareTheCores() {
        int cores = WorkerPool.defaultThreads();
        assertEquals(cores, TrainingRun.threadsPerRank(Cluster.SINGLE, Map.of("OMPI_COMM_WORLD_LOCAL_SIZE", "2")), "one process: all cores");
        assertEquals(Math.max(1, cores / 2), TrainingRun.threadsPerRank(ofSize(2), Map.of("OMPI_COMM_WORLD_LOCAL_SIZE", "2")));
        assertEquals(Math.max(1, cores / 4), TrainingRun.threadsPerRank(ofSize(8), Map.of("SLURM_NTASKS_PER_NODE", "4")));
        assertEquals(1, TrainingRun.threadsPerRank(ofSize(64), Map.of("MPI_LOCALNRANKS", "64")), "never below one thread");
        assertEquals(cores, TrainingRun.threadsPerRank(ofSize(2), Map.of("OMPI_COMM_WORLD_LOCAL_SIZE", "x")), "unreadable: all cores");
    }
}
