package hrm.dist;

import hrm.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * The processes of one data-parallel training run and the collectives it needs. Tensors are
 * exchanged where the backend keeps them ({@link Tensor#segment()}), in place: no copy to the host
 * and back. {@link #SINGLE} is the one process of a run started without an MPI launcher: every
 * collective is the identity. {@link MpiCluster} is N processes under mpirun (or srun).
 */
public interface Cluster extends AutoCloseable {
    int rank();

    int size();

    /** Element-wise sum over every rank of a float32 tensor, in place. */
    void sum(Tensor t);

    /** Element-wise sum over every rank, in place. */
    void sumDoubles(double[] a);

    /** Every rank's tensor {@code mine} (the same size on each), concatenated in rank order into {@code all}. */
    void gather(Tensor mine, Tensor all);

    void gatherInts(int[] mine, int[] all);

    /** Ends every process of the run with this exit code (never returns under MPI). */
    void abort(int code);

    /** What runs the collectives, for the training header. */
    String describe();

    @Override
    void close();

    default boolean isRoot() {
        return rank() == 0;
    }

    Cluster SINGLE = new Cluster() {
        @Override public int rank() { return 0; }
        @Override public int size() { return 1; }
        @Override public void sum(Tensor t) { }
        @Override public void sumDoubles(double[] a) { }
        @Override public void gather(Tensor mine, Tensor all) {
            MemorySegment m = mine.segment();
            MemorySegment.copy(m, 0, all.segment(), 0, m.byteSize());
        }
        @Override public void gatherInts(int[] mine, int[] all) { System.arraycopy(mine, 0, all, 0, mine.length); }
        @Override public void abort(int code) { Runtime.getRuntime().halt(code); }
        @Override public String describe() { return "one process"; }
        @Override public void close() { }
    };
}
