package hrm.dist;

import hrm.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * {@link Cluster} over MPI_COMM_WORLD. Every collective runs on the memory it is given, in place:
 * a tensor's own storage ({@link Tensor#segment()}), a Java array's elements ({@link Mpi} takes heap
 * memory), so a training step copies nothing in or out; large float sums go in chunks of
 * {@link #CHUNK} elements.
 */
public final class MpiCluster implements Cluster {
    static final int CHUNK = 1 << 24; // 64 MiB of floats per MPI_Allreduce
    private final Mpi mpi;

    private MpiCluster(Mpi mpi) {
        this.mpi = mpi;
    }

    /** The cluster this process belongs to: MPI when a launcher started it, else {@link Cluster#SINGLE}. */
    public static Cluster fromEnvironment(Map<String, String> env) {
        if (!Mpi.launched(env)) return SINGLE;
        return new MpiCluster(Mpi.init(env));
    }

    @Override
    public int rank() {
        return mpi.rank();
    }

    @Override
    public int size() {
        return mpi.size();
    }

    @Override
    public void sum(Tensor t) {
        MemorySegment s = t.segment();
        int len = t.size();
        if (s.byteSize() != 4L * len) throw new IllegalArgumentException("sum: a tensor of " + len + " float32 values expected, " + s.byteSize() + " bytes given");
        for (int from = 0; from < len; from += CHUNK) {
            int n = Math.min(CHUNK, len - from);
            mpi.allreduceSumFloats(s.asSlice(4L * from, 4L * n), n);
        }
    }

    @Override
    public void sumDoubles(double[] a) {
        mpi.allreduceSumDoubles(MemorySegment.ofArray(a), a.length);
    }

    @Override
    public void gather(Tensor mine, Tensor all) {
        check(mine.size(), all.size());
        MemorySegment m = mine.segment();
        mpi.allgatherBytes(m, all.segment(), Math.toIntExact(m.byteSize()));
    }

    @Override
    public void gatherInts(int[] mine, int[] all) {
        check(mine.length, all.length);
        mpi.allgatherBytes(MemorySegment.ofArray(mine), MemorySegment.ofArray(all), Math.multiplyExact(4, mine.length));
    }

    private void check(int mine, int all) {
        if ((long) mine * size() != all) throw new IllegalArgumentException("gather: " + mine + " per rank x " + size() + " ranks != " + all);
    }

    @Override
    public void abort(int code) {
        System.out.flush();
        System.err.flush();
        mpi.abort(code);
    }

    @Override
    public String describe() {
        return size() + " MPI ranks (" + mpi.describe() + ")";
    }

    @Override
    public void close() {
        mpi.close();
    }
}
