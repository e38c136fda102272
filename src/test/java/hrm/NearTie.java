package hrm;

/**
 * The near-tie rule of the bfloat16 parity. A discrete result (the argmax of a cell, a halting
 * decision, the sign of q_halt) is computed from a row of continuous outputs (a cell's logits; a
 * sample's q_halt and q_continue) that the parity test holds to a normwise relative tolerance
 * {@code rel}. Held to that tolerance row by row, the row's error d has ||d|| <= rel ||row||, and a
 * margin (a difference of two of its values, or one against 0) moves by at most
 * |d_i - d_j| <= sqrt(2) ||d||. So a discrete result may differ from the reference's only where
 * the reference's own margin is within {@link #tolerance}; a difference at a wider margin is a bug
 * and fails.
 */
final class NearTie {
    private NearTie() {}

    /**
     * The margin within which a discrete result may go either way: sqrt(2) rel max(rowNorm, floorNorm),
     * rowNorm the L2 norm of the reference's row the result comes from, floorNorm the norm such a
     * row has at the whole tensor's RMS (sqrt(row length) x RMS), so that a row of small values does
     * not make the tolerance vanish. Bounded by the row itself: never the whole tensor's norm, which
     * is all the normwise check bounds a single value by.
     */
    static double tolerance(double rel, double rowNorm, double floorNorm) {
        return Math.sqrt(2) * rel * Math.max(rowNorm, floorNorm);
    }

    /**
     * Whether a discrete result differs at a near tie: false when {@code same}; true when it differs
     * and the reference's margin is within {@code tol}; an AssertionError naming the margin when it
     * differs at a wider margin.
     */
    static boolean differsAtNearTie(String where, boolean same, double refMargin, double tol) {
        if (same) return false;
        if (Math.abs(refMargin) <= tol) return true;
        throw new AssertionError(String.format("%s: differs from the reference, whose margin %.4g is beyond the near-tie tolerance %.4g",
                where, refMargin, tol));
    }

    /** The first index of the largest of v[off .. off+n) (torch.argmax's choice on ties). */
    static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) if (v[off + k] > v[off + best]) best = k;
        return best;
    }

    /** Top-1 minus top-2 of v[off .. off+n) (0 on an exact tie). */
    static double argmaxMargin(float[] v, int off, int n) {
        int best = argmax(v, off, n);
        double second = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) if (k != best) second = Math.max(second, v[off + k]);
        return (double) v[off + best] - second;
    }

    /** The L2 norm of v[off .. off+n). */
    static double norm(float[] v, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) v[off + i] * v[off + i];
        return Math.sqrt(s);
    }

    static double rms(float[] v, int off, int n) {
        return n == 0 ? 0 : norm(v, off, n) / Math.sqrt(n);
    }

    static double rms(float[]... vs) {
        double s = 0;
        int n = 0;
        for (float[] v : vs) {
            for (float x : v) s += (double) x * x;
            n += v.length;
        }
        return n == 0 ? 0 : Math.sqrt(s / n);
    }
}
