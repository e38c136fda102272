package hrm.tensor;

import java.util.Map;
import java.util.TreeMap;

/**
 * A backend that forwards every call to another one and adds up the wall time per operation:
 * where a step's time goes, for {@code hrm bench --profile}. Timing a CPU backend this way is exact,
 * since its calls return only when the work is done.
 */
public final class TimingBackend implements Backend {
    private final Backend inner;
    private final Map<String, long[]> totals = new TreeMap<>();

    public TimingBackend(Backend inner) {
        this.inner = inner;
    }

    private long start() {
        return System.nanoTime();
    }

    private void stop(String op, long t0) {
        long[] a = totals.computeIfAbsent(op, k -> new long[2]);
        a[0] += System.nanoTime() - t0;
        a[1]++;
    }

    /** op -> {nanoseconds, calls}. */
    public Map<String, long[]> totals() {
        return totals;
    }

    public void reset() {
        totals.clear();
    }

    @Override public Tensor allocate(int size, DataType dtype, Version version) { return inner.allocate(size, dtype, version); }
    @Override public Tensor allocateCompact(int size, DataType dtype) { return inner.allocateCompact(size, dtype); }
    @Override public int threads() { return inner.threads(); }
    @Override public String describe(DataType act) { return inner.describe(act); }
    @Override public String computePath(DataType act) { return inner.computePath(act); }
    @Override public String productsLabel(DataType act) { return inner.productsLabel(act); }
    @Override public void upload(float[] s, int o, Tensor d) { long t = start(); inner.upload(s, o, d); stop("upload", t); }
    @Override public void download(Tensor s, float[] d, int o) { long t = start(); inner.download(s, d, o); stop("download", t); }
    @Override public void copy(Tensor s, Tensor d) { long t = start(); inner.copy(s, d); stop("copy", t); }
    @Override public void fill(Tensor x, float v) { long t = start(); inner.fill(x, v); stop("fill", t); }
    @Override public void add(Tensor a, Tensor b, Tensor o) { long t = start(); inner.add(a, b, o); stop("add", t); }
    @Override public void setSampleRows(Tensor z, boolean[] m, int r, int d, Tensor v) { long t = start(); inner.setSampleRows(z, m, r, d, v); stop("setSampleRows", t); }
    @Override public void gatherRows(Tensor s, int st, int sd, Tensor d, int n, int dim) { long t = start(); inner.gatherRows(s, st, sd, d, n, dim); stop("gatherRows", t); }
    @Override public void scatterAddRows(Tensor s, Tensor d, int st, int sd, int n, int dim) { long t = start(); inner.scatterAddRows(s, d, st, sd, n, dim); stop("scatterAddRows", t); }
    @Override public void planProducts(java.util.List<Product> products) { inner.planProducts(products); }
    @Override public void linear(Tensor x, Tensor w, Tensor y, int r, int i, int o) { long t = start(); inner.linear(x, w, y, r, i, o); stop("linear " + o + "x" + i, t); }
    @Override public void linearBackwardInput(Tensor dy, Tensor w, Tensor dx, int r, int i, int o, boolean acc) { long t = start(); inner.linearBackwardInput(dy, w, dx, r, i, o, acc); stop("linear dX " + o + "x" + i, t); }
    @Override public void linearBackwardWeight(Tensor dy, Tensor x, Tensor dw, int r, int i, int o, boolean acc) { long t = start(); inner.linearBackwardWeight(dy, x, dw, r, i, o, acc); stop("linear dW " + o + "x" + i, t); }
    @Override public void addBias(Tensor y, Tensor b, int r, int n) { long t = start(); inner.addBias(y, b, r, n); stop("addBias", t); }
    @Override public void biasBackward(Tensor dy, Tensor db, int r, int n, boolean acc) { long t = start(); inner.biasBackward(dy, db, r, n, acc); stop("biasBackward", t); }
    @Override public void addRmsNorm(Tensor x, Tensor r, Tensor y, Tensor s, int rows, int dim, float eps) { long t = start(); inner.addRmsNorm(x, r, y, s, rows, dim, eps); stop("addRmsNorm", t); }
    @Override public void rmsNormBackward(Tensor dy, Tensor y, Tensor s, Tensor dx, int rows, int dim) { long t = start(); inner.rmsNormBackward(dy, y, s, dx, rows, dim); stop("rmsNormBackward", t); }
    @Override public void rope(Tensor q, Tensor c, Tensor s, int b, int tk, int h, int hd, boolean inv) { long t = start(); inner.rope(q, c, s, b, tk, h, hd, inv); stop(inv ? "rope backward" : "rope", t); }
    @Override public void attention(Tensor q, Tensor o, Tensor l, int b, int tk, int h, int hd) { long t = start(); inner.attention(q, o, l, b, tk, h, hd); stop("attention", t); }
    @Override public void attentionBackward(Tensor q, Tensor o, Tensor l, Tensor d, Tensor dq, int b, int tk, int h, int hd) { long t = start(); inner.attentionBackward(q, o, l, d, dq, b, tk, h, hd); stop("attention backward", t); }
    @Override public void swiglu(Tensor gu, Tensor s, int r, int i) { long t = start(); inner.swiglu(gu, s, r, i); stop("swiglu", t); }
    @Override public void swigluBackward(Tensor gu, Tensor ds, Tensor dgu, int r, int i) { long t = start(); inner.swigluBackward(gu, ds, dgu, r, i); stop("swiglu backward", t); }
    @Override public void gatherTableRows(Tensor tb, int[] ids, Tensor d, int dim) { long t = start(); inner.gatherTableRows(tb, ids, d, dim); stop("gatherTableRows", t); }
    @Override public void embedInputs(int[] tk, Tensor tt, Tensor pz, int pd, Tensor pos, Tensor out, int b, int s, int pt, int d, float ps, float sc) { long t = start(); inner.embedInputs(tk, tt, pz, pd, pos, out, b, s, pt, d, ps, sc); stop("embedInputs", t); }
    @Override public void embedInputsBackward(Tensor dO, int[] tk, Tensor dT, Tensor dP, int pd, Tensor dPos, int b, int s, int pt, int d, float ps, float sc) { long t = start(); inner.embedInputsBackward(dO, tk, dT, dP, pd, dPos, b, s, pt, d, ps, sc); stop("embedInputsBackward", t); }
    @Override public void adamATan2(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float wd, float b1, float b2, float ss, float bc) { long t = start(); inner.adamATan2(p, g, m, v, lr, wd, b1, b2, ss, bc); stop("adamATan2", t); }
    @Override public void transpose(Tensor s, Tensor d, int b, int r, int c) { long t = start(); inner.transpose(s, d, b, r, c); stop("transpose", t); }
    @Override public void emaUpdate(Tensor s, Tensor p, float a, float m) { long t = start(); inner.emaUpdate(s, p, a, m); stop("emaUpdate", t); }
    @Override public void signSgdRows(Tensor tb, int[] ids, Tensor g, int dim, float lr, float wd) { long t = start(); inner.signSgdRows(tb, ids, g, dim, lr, wd); stop("signSgdRows", t); }
    @Override public void close() { inner.close(); }
}
