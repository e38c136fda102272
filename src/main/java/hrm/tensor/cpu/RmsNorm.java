package hrm.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Residual add + RMSNorm (no gain), forward and backward, fused into one pass over each row. */
final class RmsNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private RmsNorm() {}

    /** y = (x + r) * rstd, rstd = 1 / sqrt(mean((x + r)^2) + eps); r may be null. */
    static void forward(float[] x, int xo, float[] r, int ro, float[] y, int yo, float[] rstd, int so,
                        int from, int to, int dim, float eps) {
        int bound = S.loopBound(dim);
        for (int row = from; row < to; row++) {
            int xb = xo + row * dim, rb = ro + row * dim, yb = yo + row * dim;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, xb + i);
                if (r != null) v = v.add(FloatVector.fromArray(S, r, rb + i));
                v.intoArray(y, yb + i);
                acc = v.fma(v, acc);
            }
            float ss = VectorExp.sumLanes(acc);
            for (; i < dim; i++) {
                float v = x[xb + i] + (r != null ? r[rb + i] : 0f);
                y[yb + i] = v;
                ss += v * v;
            }
            float inv = (float) (1.0 / Math.sqrt(ss / dim + eps));
            if (rstd != null) rstd[so + row] = inv;
            FloatVector iv = FloatVector.broadcast(S, inv);
            i = 0;
            for (; i < bound; i += S.length()) FloatVector.fromArray(S, y, yb + i).mul(iv).intoArray(y, yb + i);
            for (; i < dim; i++) y[yb + i] *= inv;
        }
    }

    /** dx = rstd * (dy - y * mean(dy * y)). dx may alias dy. */
    static void backward(float[] dy, int dyo, float[] y, int yo, float[] rstd, int so, float[] dx, int dxo,
                         int from, int to, int dim) {
        int bound = S.loopBound(dim);
        for (int row = from; row < to; row++) {
            int db = dyo + row * dim, yb = yo + row * dim, xb = dxo + row * dim;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += S.length())
                acc = FloatVector.fromArray(S, dy, db + i).fma(FloatVector.fromArray(S, y, yb + i), acc);
            float dot = VectorExp.sumLanes(acc);
            for (; i < dim; i++) dot += dy[db + i] * y[yb + i];
            float mean = dot / dim;
            float inv = rstd[so + row];
            FloatVector vm = FloatVector.broadcast(S, -mean), vi = FloatVector.broadcast(S, inv);
            i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector g = FloatVector.fromArray(S, y, yb + i).fma(vm, FloatVector.fromArray(S, dy, db + i));
                g.mul(vi).intoArray(dx, xb + i);
            }
            for (; i < dim; i++) dx[xb + i] = (dy[db + i] - y[yb + i] * mean) * inv;
        }
    }
}
