package hrm.dist;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code mpirun -np N java ... hrm.dist.MpiSelfCheck}: every collective the trainer uses, with
 * values whose result each rank can check by itself; prints one line per rank ("rank R of N: ok")
 * and exits 0, or names the first wrong value and exits 1. A test runs it under mpirun.
 */
public final class MpiSelfCheck {
    private MpiSelfCheck() {}

    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(System.getenv()); Arena a = Arena.ofConfined()) {
            int r = mpi.rank(), n = mpi.size();
            int count = 1_000_003; // not a multiple of anything, larger than one eager message
            MemorySegment f = a.allocate(JAVA_FLOAT, count);
            for (int i = 0; i < count; i++) f.setAtIndex(JAVA_FLOAT, i, (r + 1) * (i % 7));
            mpi.allreduceSumFloats(f, count);
            float ranks = n * (n + 1) / 2f;
            for (int i = 0; i < count; i++)
                if (f.getAtIndex(JAVA_FLOAT, i) != ranks * (i % 7)) fail(mpi, "allreduce float at " + i + ": " + f.getAtIndex(JAVA_FLOAT, i));
            MemorySegment d = a.allocate(JAVA_DOUBLE, 3);
            for (int i = 0; i < 3; i++) d.setAtIndex(JAVA_DOUBLE, i, 0.5 * r + i);
            mpi.allreduceSumDoubles(d, 3);
            if (d.getAtIndex(JAVA_DOUBLE, 2) != 0.5 * n * (n - 1) / 2 + 2.0 * n) fail(mpi, "allreduce double");
            MemorySegment m = a.allocate(JAVA_INT, 1);
            m.set(JAVA_INT, 0, 10 * r);
            mpi.allreduceMaxInts(m, 1);
            if (m.get(JAVA_INT, 0) != 10 * (n - 1)) fail(mpi, "allreduce max");
            MemorySegment b = a.allocate(16);
            for (int i = 0; i < 16; i++) b.set(JAVA_BYTE, i, (byte) (r == 0 ? i : 99));
            mpi.broadcastBytes(b, 16, 0);
            for (int i = 0; i < 16; i++) if (b.get(JAVA_BYTE, i) != i) fail(mpi, "broadcast byte " + i);
            MemorySegment mine = a.allocate(4), all = a.allocate(4L * n);
            mine.set(JAVA_INT, 0, 1000 + r);
            mpi.allgatherBytes(mine, all, 4);
            for (int k = 0; k < n; k++) if (all.get(JAVA_INT, 4L * k) != 1000 + k) fail(mpi, "allgather from rank " + k);
            mpi.barrier();
            System.out.println("rank " + r + " of " + n + ": ok (" + mpi.describe() + ")");
        }
    }

    private static void fail(Mpi mpi, String what) {
        System.out.println("rank " + mpi.rank() + ": wrong " + what);
        System.out.flush();
        mpi.abort(1);
    }
}
