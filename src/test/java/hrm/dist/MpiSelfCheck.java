package hrm.dist;

import hrm.tensor.cpu.CpuTensor;

import java.util.Arrays;
import java.util.Map;

/**
 * {@code mpirun -np N java ... hrm.dist.MpiSelfCheck}, started by {@link MpiTest}: every collective
 * of {@link Cluster} that data-parallel training calls ({@code hrm.train.Trainer}, {@code hrm.eval.Evaluator},
 * {@code hrm.cli.TrainCommand}), through {@link MpiCluster} as they call it, with values whose result
 * each rank can check by itself: {@link Cluster#sum} (the gradient tensor, over more than one of
 * MpiCluster's chunks, and a slice of a tensor), {@link Cluster#sumDoubles} (metric sums),
 * {@link Cluster#gather} (puzzle-embedding rows, carry tensors), {@link Cluster#gatherInts} (puzzle
 * identifiers, the configuration hash, carry), on the CPU backend's tensors as training passes them. Prints one line per rank ("rank R of N: ok") and exits 0, or names the first wrong
 * value and ends every rank with {@link Cluster#abort} exit 1.
 *
 * <p>With the argument {@code abort}, the last rank calls {@link Cluster#abort}(3) while the others
 * wait in a sum that it never joins: the launcher must end them all with exit 3 (what a failing rank
 * of a training run does).
 */
public final class MpiSelfCheck {
    private MpiSelfCheck() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        if (!Mpi.launched(env)) throw new IllegalArgumentException("run me under mpirun");
        try (Cluster c = MpiCluster.fromEnvironment(env)) {
            int r = c.rank(), n = c.size();
            if (args.length > 0 && args[0].equals("abort")) {
                if (r == n - 1) c.abort(3);
                c.sumDoubles(new double[1]);
                fail(c, "still running after rank " + (n - 1) + "'s abort");
            }
            float ranks = n * (n + 1) / 2f;
            float[] f = new float[MpiCluster.CHUNK + 1_000_003]; // a whole chunk, then a part (not a multiple of anything)
            for (int i = 0; i < f.length; i++) f[i] = (r + 1) * (i % 7);
            c.sum(new CpuTensor(f, 0, f.length));
            for (int i = 0; i < f.length; i++) if (f[i] != ranks * (i % 7)) fail(c, "float sum at " + i + ": " + f[i]);
            float[] part = {-1, r + 1, r + 1, -1};
            c.sum(new CpuTensor(part, 0, 4).slice(1, 2));
            if (part[0] != -1 || part[1] != ranks || part[2] != ranks || part[3] != -1) fail(c, "float sum of [1, 3): " + Arrays.toString(part));
            double[] d = new double[3];
            for (int i = 0; i < 3; i++) d[i] = 0.5 * r + i;
            c.sumDoubles(d);
            for (int i = 0; i < 3; i++) if (d[i] != 0.25 * n * (n - 1) + i * n) fail(c, "double sum at " + i + ": " + d[i]);
            float[] rows = {-1, r, r + 0.25f, Float.NaN}, rowsAll = new float[3 * n + 1];
            c.gather(new CpuTensor(rows, 1, 3), new CpuTensor(rowsAll, 1, 3 * n)); // slices: an offset into each array
            if (rowsAll[0] != 0) fail(c, "float gather wrote before its tensor");
            rowsAll = Arrays.copyOfRange(rowsAll, 1, rowsAll.length);
            for (int k = 0; k < n; k++)
                if (rowsAll[3 * k] != k || rowsAll[3 * k + 1] != k + 0.25f || !Float.isNaN(rowsAll[3 * k + 2])) fail(c, "float gather from rank " + k);
            int[] ids = {1000 + r, -r}, idsAll = new int[2 * n];
            c.gatherInts(ids, idsAll);
            for (int k = 0; k < n; k++) if (idsAll[2 * k] != 1000 + k || idsAll[2 * k + 1] != -k) fail(c, "int gather from rank " + k);
            System.out.println("rank " + r + " of " + n + ": ok (" + c.describe() + ")");
        }
    }

    private static void fail(Cluster c, String what) {
        System.out.println("rank " + c.rank() + ": wrong " + what);
        c.abort(1);
    }
}
