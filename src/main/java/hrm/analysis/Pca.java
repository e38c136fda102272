package hrm.analysis;

import java.util.List;

/**
 * Principal components of a few high-dimensional states (each a whole z: cells x hidden), through
 * their centred Gram matrix: with n states of D >> n numbers, the n x n Gram matrix has the same
 * non-zero spectrum as the D x D covariance, and the states' coordinates on the components are its
 * eigenvectors scaled by the square roots of the eigenvalues.
 */
public final class Pca {
    private Pca() {}

    /** The coordinates of each state on the first {@code k} components ([state][component]), and each component's share of the variance. */
    public record Projection(double[][] coordinates, double[] explained) {}

    public static Projection project(List<float[]> states, int k) {
        int n = states.size();
        if (n < 2) throw new IllegalArgumentException("PCA needs at least two states, got " + n);
        int d = states.get(0).length;
        double[] mean = new double[d];
        for (float[] s : states) for (int i = 0; i < d; i++) mean[i] += s[i];
        for (int i = 0; i < d; i++) mean[i] /= n;
        double[][] g = new double[n][n];
        for (int a = 0; a < n; a++)
            for (int b = a; b < n; b++) {
                float[] x = states.get(a), y = states.get(b);
                double dot = 0;
                for (int i = 0; i < d; i++) dot += (x[i] - mean[i]) * (y[i] - mean[i]);
                g[a][b] = g[b][a] = dot;
            }
        SymmetricEigen e = new SymmetricEigen(g);
        double total = 0;
        for (double l : e.values) total += Math.max(l, 0);
        int kk = Math.min(k, n);
        double[][] coords = new double[n][kk];
        double[] explained = new double[kk];
        for (int c = 0; c < kk; c++) {
            double l = Math.max(e.values[c], 0), scale = Math.sqrt(l);
            explained[c] = total > 0 ? l / total : 0;
            for (int a = 0; a < n; a++) coords[a][c] = e.vectors[c][a] * scale;
        }
        return new Projection(coords, explained);
    }
}
