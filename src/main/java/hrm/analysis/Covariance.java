package hrm.analysis;

/**
 * The covariance of a stream of d-dimensional rows, accumulated in double precision, and its
 * participation ratio PR = tr(C)^2 / ||C||_F^2 = (sum of eigenvalues)^2 / (sum of squared
 * eigenvalues): the number of dimensions the rows effectively spread over (docs/analysis.md).
 * Rows are shifted by the first row before accumulating, so a large common offset does not cancel
 * the variance out of the sums.
 */
public final class Covariance {
    private final int d;
    private final double[] shift, sum, cross; // cross: the upper triangle (i <= j) of sum (x - shift)(x - shift)^T
    private final double[] centred;
    private long rows;

    public Covariance(int d) {
        if (d < 1) throw new IllegalArgumentException("dimension " + d);
        this.d = d;
        shift = new double[d];
        sum = new double[d];
        cross = new double[d * d];
        centred = new double[d];
    }

    public int dimension() {
        return d;
    }

    public long rows() {
        return rows;
    }

    /** Adds the row {@code x[offset .. offset + d)}. */
    public void add(float[] x, int offset) {
        if (rows == 0) for (int i = 0; i < d; i++) shift[i] = x[offset + i];
        double[] c = centred;
        for (int i = 0; i < d; i++) {
            c[i] = x[offset + i] - shift[i];
            sum[i] += c[i];
        }
        for (int i = 0; i < d; i++) {
            double ci = c[i];
            if (ci == 0) continue;
            int row = i * d;
            for (int j = i; j < d; j++) cross[row + j] += ci * c[j];
        }
        rows++;
    }

    /** Forgets every row (the accumulator is reused). */
    public void clear() {
        java.util.Arrays.fill(sum, 0);
        java.util.Arrays.fill(cross, 0);
        rows = 0;
    }

    /** Adds every row another accumulator holds (same dimension). */
    public void addAll(Covariance other) {
        if (other.d != d) throw new IllegalArgumentException("dimension " + other.d + " added to " + d);
        if (other.rows == 0) return;
        if (rows == 0) System.arraycopy(other.shift, 0, shift, 0, d);
        // other's rows relative to our shift: x - s = (x - s') + (s' - s)
        double n = other.rows;
        double[] delta = new double[d];
        for (int i = 0; i < d; i++) delta[i] = other.shift[i] - shift[i];
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                cross[i * d + j] += other.cross[i * d + j] + delta[i] * other.sum[j] + other.sum[i] * delta[j] + n * delta[i] * delta[j];
        for (int i = 0; i < d; i++) sum[i] += other.sum[i] + n * delta[i];
        rows += other.rows;
    }

    /** C[i][j], centred over all rows and divided by their number (PR does not depend on the scale). */
    public double get(int i, int j) {
        if (i > j) return get(j, i);
        double n = rows;
        return cross[i * d + j] / n - (sum[i] / n) * (sum[j] / n);
    }

    /** tr(C)^2 / ||C||_F^2; NaN with fewer than two rows or no variance. */
    public double participationRatio() {
        if (rows < 2) return Double.NaN;
        double trace = 0, frob = 0;
        for (int i = 0; i < d; i++) {
            double cii = get(i, i);
            trace += cii;
            frob += cii * cii;
            for (int j = i + 1; j < d; j++) {
                double cij = get(i, j);
                frob += 2 * cij * cij;
            }
        }
        return frob > 0 ? trace * trace / frob : Double.NaN;
    }
}
