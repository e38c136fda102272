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

    /**
     * The bfloat16 forward: the sum is rounded to bfloat16 before it is normalised (the reference's
     * residual add is a bfloat16 add), the norm is computed in float32, y is rounded.
     * A method of its own rather than a flag on {@link #forward}: one compiled loop per case keeps
     * C2 from boxing vectors (see {@link Bf16#round(jdk.incubator.vector.FloatVector)}).
     */
    static void forwardBf16(float[] x, int xo, float[] r, int ro, float[] y, int yo, float[] rstd, int so,
                            int from, int to, int dim, float eps) {
        int bound = S.loopBound(dim);
        for (int row = from; row < to; row++) {
            int xb = xo + row * dim, rb = ro + row * dim, yb = yo + row * dim;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, xb + i);
                if (r != null) v = v.add(FloatVector.fromArray(S, r, rb + i));
                FloatVector t = v.mul(Bf16.SPLIT);
                v = t.sub(t.sub(v)); // rounded to bfloat16, written out (see Bf16.round)
                v.intoArray(y, yb + i);
                acc = v.fma(v, acc);
            }
            float ss = VectorExp.sumLanes(acc);
            for (; i < dim; i++) {
                float v = Bf16.round(x[xb + i] + (r != null ? r[rb + i] : 0f));
                y[yb + i] = v;
                ss += v * v;
            }
            float inv = (float) (1.0 / Math.sqrt(ss / dim + eps));
            if (rstd != null) rstd[so + row] = inv;
            FloatVector iv = FloatVector.broadcast(S, inv);
            i = 0;
            for (; i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, y, yb + i).mul(iv), t = v.mul(Bf16.SPLIT);
                t.sub(t.sub(v)).intoArray(y, yb + i);
            }
            for (; i < dim; i++) y[yb + i] = Bf16.round(y[yb + i] * inv);
        }
    }

    /** The bfloat16 backward: as {@link #backward}, dx rounded to bfloat16. */
    static void backwardBf16(float[] dy, int dyo, float[] y, int yo, float[] rstd, int so, float[] dx, int dxo,
                             int from, int to, int dim) {
        backward(dy, dyo, y, yo, rstd, so, dx, dxo, from, to, dim);
        for (int row = from; row < to; row++) Bf16.roundInPlace(dx, dxo + row * dim, dim);
    }
}
