package hrm.dist;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@link Cluster} over MPI_COMM_WORLD. Java arrays are copied into one native staging buffer (grown
 * when a larger call comes, then reused: a training step allocates nothing) and the collective
 * runs on it; large float sums go in chunks of {@link #CHUNK} elements, so the buffer stays bounded.
 */
public final class MpiCluster implements Cluster {
    static final int CHUNK = 1 << 24; // 64 MiB of floats per MPI_Allreduce
    private final Mpi mpi;
    private final Arena arena = Arena.ofShared();
    private MemorySegment staging = MemorySegment.NULL, gathered = MemorySegment.NULL;

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

    private MemorySegment staging(long bytes) {
        if (staging.byteSize() < bytes) staging = arena.allocate(Math.max(bytes, 2 * staging.byteSize()), 64);
        return staging;
    }

    private MemorySegment gathered(long bytes) {
        if (gathered.byteSize() < bytes) gathered = arena.allocate(Math.max(bytes, 2 * gathered.byteSize()), 64);
        return gathered;
    }

    @Override
    public void sumFloats(float[] a, int off, int len) {
        for (int from = 0; from < len; from += CHUNK) {
            int n = Math.min(CHUNK, len - from);
            MemorySegment s = staging(4L * n);
            MemorySegment.copy(a, off + from, s, JAVA_FLOAT, 0, n);
            mpi.allreduceSumFloats(s, n);
            MemorySegment.copy(s, JAVA_FLOAT, 0, a, off + from, n);
        }
    }

    @Override
    public void sumDoubles(double[] a) {
        MemorySegment s = staging(8L * a.length);
        MemorySegment.copy(a, 0, s, JAVA_DOUBLE, 0, a.length);
        mpi.allreduceSumDoubles(s, a.length);
        MemorySegment.copy(s, JAVA_DOUBLE, 0, a, 0, a.length);
    }

    @Override
    public void gatherFloats(float[] mine, float[] all) {
        gather(mine, mine.length, all, all.length, JAVA_FLOAT);
    }

    @Override
    public void gatherInts(int[] mine, int[] all) {
        gather(mine, mine.length, all, all.length, JAVA_INT);
    }

    /** Allgather of Java arrays of 4-byte elements (float[] or int[]: an allgather moves bits), staged in native memory. */
    private void gather(Object mine, int mineLength, Object all, int allLength, java.lang.foreign.ValueLayout element) {
        check(mineLength, allLength);
        MemorySegment s = staging(4L * mineLength), g = gathered(4L * allLength);
        MemorySegment.copy(mine, 0, s, element, 0, mineLength);
        mpi.allgatherBytes(s, g, Math.multiplyExact(4, mineLength));
        MemorySegment.copy(g, element, 0, all, 0, allLength);
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
