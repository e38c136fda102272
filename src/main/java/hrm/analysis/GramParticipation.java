package hrm.analysis;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;

/**
 * The participation ratio of rows too long for their covariance: the whole state of one update
 * (cells x hidden values) as one row. The n x n Gram matrix of the centred rows has the same
 * non-zero eigenvalues as their D x D covariance (both are Xc^T Xc and Xc Xc^T up to 1/n), so
 * PR = tr(G)^2 / ||G||_F^2 with G = Xc Xc^T; its cost is n^2 D / 2 products instead of D^2.
 *
 * <p>The raw Gram matrix K = X X^T of the rows (shifted by the first row, which changes nothing once
 * centred, but keeps the products small) is built as rows arrive; the PR of every prefix of the rows
 * is then exact in O(n^2): centring is Xc Xc^T = K - 1 m^T - m 1^T + c 1 1^T with m = K 1 / n and
 * c = 1^T K 1 / n^2.
 */
public final class GramParticipation {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private final int d;
    private final List<double[]> rows = new ArrayList<>();
    private double[] shift;
    private double[] gram = new double[0]; // row-major, capacity x capacity, lower triangle filled
    private int capacity;

    public GramParticipation(int d) {
        if (d < 1) throw new IllegalArgumentException("dimension " + d);
        this.d = d;
    }

    public int rows() {
        return rows.size();
    }

    /** Adds the row {@code x[offset .. offset + d)}. */
    public void add(float[] x, int offset) {
        if (shift == null) {
            shift = new double[d];
            for (int i = 0; i < d; i++) shift[i] = x[offset + i];
        }
        double[] row = new double[d];
        for (int i = 0; i < d; i++) row[i] = x[offset + i] - shift[i];
        int n = rows.size();
        grow(n + 1);
        for (int j = 0; j < n; j++) gram[n * capacity + j] = dot(row, rows.get(j));
        gram[n * capacity + n] = dot(row, row);
        rows.add(row);
    }

    /** PR of the first {@code n} rows, centred over them; NaN with fewer than two rows or no variance. */
    public double participationRatio(int n) {
        if (n > rows.size()) throw new IllegalArgumentException(n + " rows asked, " + rows.size() + " added");
        if (n < 2) return Double.NaN;
        double[] mean = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) s += k(i, j);
            mean[i] = s / n;
            total += s;
        }
        double c = total / ((double) n * n);
        double trace = 0, frob = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double g = k(i, j) - mean[i] - mean[j] + c;
                frob += 2 * g * g;
            }
            double g = k(i, i) - 2 * mean[i] + c;
            trace += g;
            frob += g * g;
        }
        return frob > 0 ? trace * trace / frob : Double.NaN;
    }

    /** PR of all the rows added. */
    public double participationRatio() {
        return participationRatio(rows.size());
    }

    private double k(int i, int j) {
        return i >= j ? gram[i * capacity + j] : gram[j * capacity + i];
    }

    private void grow(int n) {
        if (n <= capacity) return;
        int cap = Math.max(16, Math.max(n, capacity * 2));
        double[] g = new double[cap * cap];
        for (int i = 0; i < capacity; i++) System.arraycopy(gram, i * capacity, g, i * cap, capacity);
        gram = g;
        capacity = cap;
    }

    private static double dot(double[] a, double[] b) {
        DoubleVector acc = DoubleVector.zero(S);
        int i = 0, n = a.length;
        for (; i <= n - S.length(); i += S.length())
            acc = DoubleVector.fromArray(S, a, i).fma(DoubleVector.fromArray(S, b, i), acc);
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }
}
