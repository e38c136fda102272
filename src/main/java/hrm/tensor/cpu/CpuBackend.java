package hrm.tensor.cpu;

import hrm.tensor.Backend;
import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.dnnl.OneDnn;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The CPU backend: tensors are slices of Java float arrays ({@link CpuTensor}), kernels use the Vector
 * API and a {@link WorkerPool}. Each parallel kernel keeps one long-lived task object, so launching one
 * allocates nothing; the backend is driven by one thread at a time.
 *
 * <p>bfloat16 tensors share the kernels: each kernel rounds what it writes into one (see
 * {@link Backend}); their matrix products go through {@link Bf16Linear}, on oneDNN when the backend
 * was given it, else on the Java Sgemm. A compact bfloat16 tensor ({@link #allocateCompact}: a
 * {@link Bf16Tensor}, 2 bytes a value) is read in place by oneDNN and by SwiGLU's kernels, and
 * widened for the others ({@link RowStage}, {@link SampleStage}); every result has the same bits.
 */
public final class CpuBackend implements Backend {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private final WorkerPool pool;
    private final Sgemm sgemm;
    private final Attention attention;
    private final RmsNormTask rmsNorm = new RmsNormTask();
    private final RmsNormBackwardTask rmsNormBackward = new RmsNormBackwardTask();
    private final SwiGluTask swiGlu;
    private final RowStage stage; // the row kernels' 2-byte operands, widened a span of rows at a time
    private final SampleStage samples; // attention's 2-byte operands, widened a group of samples at a time
    private final RopeTask rope = new RopeTask();
    private final AdamTask adam = new AdamTask();
    private final RoundTask round = new RoundTask();
    private final Bf16Linear bf16;
    private final Bf16Attention bf16Attention; // null without oneDNN
    private final java.util.List<AttentionChoice> attentionChoices = new java.util.ArrayList<>(); // looked up without allocating

    /** The path attention's forward takes at one shape. */
    private record AttentionChoice(hrm.tensor.Product product, ProductPlan.Choice choice) {}
    private final TransposeTask transposeTask = new TransposeTask();
    private float[] rowScratch = new float[0]; // one row of floats: sign-SGD's sums, the embedding backward's gradient
    private boolean[] signDone = new boolean[0];

    /** Java kernels only (bfloat16 products on the float32 Sgemm). */
    public CpuBackend(int threads) {
        this(threads, null, ProductPlan.forced(ProductPlan.Path.JAVA));
    }

    /** Every bfloat16 product on oneDNN. */
    public CpuBackend(int threads, OneDnn dnnl) {
        this(threads, dnnl, ProductPlan.forced(ProductPlan.Path.ONEDNN));
    }

    /** bfloat16 products on the path {@code plan} gives each; {@code dnnl} null where the library is not there. */
    public CpuBackend(int threads, OneDnn dnnl, ProductPlan plan) {
        this.pool = new WorkerPool(threads);
        this.sgemm = new Sgemm(pool);
        this.attention = new Attention(pool);
        this.stage = new RowStage(pool.threads(), 3);
        this.samples = new SampleStage(pool, 2);
        this.swiGlu = new SwiGluTask(pool, stage);
        this.bf16 = new Bf16Linear(pool, sgemm, dnnl, plan);
        this.bf16Attention = dnnl == null ? null : new Bf16Attention(pool, dnnl);
    }

    /** Whether oneDNN is loaded for this backend's bfloat16 products (each may still run on the Java kernels: {@link #productChoices}). */
    public boolean nativeBf16() {
        return bf16.hasNative();
    }

    public ProductPlan productPlan() {
        return bf16.plan();
    }

    /** Measures (where the plan has not) the paths of the bfloat16 products about to run. */
    @Override
    public void planProducts(java.util.List<hrm.tensor.Product> products) {
        // attention first: measured after the linear products, it met the compiler still busy with theirs, and
        // the vector code of one path ran uncompiled while it was timed
        for (hrm.tensor.Product p : products)
            if (p.kind() == hrm.tensor.Product.Kind.ATTENTION && bf16Attention != null) attentionPath(p.rows(), p.in(), 1, p.out());
        java.util.List<hrm.tensor.Product> linear = new java.util.ArrayList<>(products);
        linear.removeIf(p -> p.kind() == hrm.tensor.Product.Kind.ATTENTION);
        bf16.plan(linear);
    }

    /** Seconds this backend has spent measuring its products' paths. */
    public double productMeasuringSeconds() {
        return bf16.measuringNanos() / 1e9;
    }

    /** The bfloat16 products this backend has planned or run, and the path of each. */
    public java.util.Map<hrm.tensor.Product, ProductPlan.Choice> productChoices() {
        java.util.Map<hrm.tensor.Product, ProductPlan.Choice> all = bf16.choices();
        for (AttentionChoice a : attentionChoices) all.put(a.product(), a.choice());
        return all;
    }

    @Override
    public String describe(DataType act) {
        return ComputePathText.describe(act, this);
    }

    @Override
    public String computePath(DataType act) {
        return ComputePathText.computePath(act, this);
    }

    @Override
    public String productsLabel(DataType act) {
        return ComputePathText.productsLabel(act, this);
    }

    /** The library as a checkpoint's compute path names it (its version and the instruction set its kernels chose): where measured choices are kept per library. */
    public static String nativeLibrary(OneDnn dnnl) {
        return ComputePathText.nativeLibrary(dnnl);
    }

    public WorkerPool pool() {
        return pool;
    }

    public Sgemm sgemm() {
        return sgemm;
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    private static CpuTensor c(Tensor t) {
        if (t instanceof Bf16Tensor)
            throw new IllegalArgumentException("a 2-byte bfloat16 tensor (Backend.allocateCompact) given to an operation that takes only the others");
        return (CpuTensor) t;
    }

    /** A bfloat16 tensor of 2 bytes a value in native memory of its own (freed with the tensor); float32 ones as {@link #allocate}. */
    @Override
    public Tensor allocateCompact(int size, DataType dtype) {
        if (dtype != DataType.BFLOAT16) return allocate(size, dtype);
        return new Bf16Tensor(java.lang.foreign.Arena.ofAuto().allocate(2L * size, 64), size);
    }

    @Override
    public CpuTensor allocate(int size, DataType dtype) {
        return allocate(size, dtype, null);
    }

    @Override
    public CpuTensor allocate(int size, DataType dtype, hrm.tensor.Version version) {
        return new CpuTensor(new float[size], 0, size, dtype, version);
    }

    /** After a kernel wrote t: rounds it where it is bfloat16. */
    private void wrote(CpuTensor t) {
        if (t.bf16()) round.run(pool, t);
    }

    @Override
    public void upload(float[] src, int srcOffset, Tensor dst) {
        if (dst instanceof Bf16Tensor h) {
            Bf16.pack(src, srcOffset, h.len(), h.data(), 0);
            return;
        }
        CpuTensor d = c(dst);
        System.arraycopy(src, srcOffset, d.a(), d.off(), d.len());
        wrote(d);
    }

    @Override
    public void download(Tensor src, float[] dst, int dstOffset) {
        if (src instanceof Bf16Tensor h) {
            Bf16.widen(h.data(), 0, dst, dstOffset, h.len());
            return;
        }
        CpuTensor s = c(src);
        System.arraycopy(s.a(), s.off(), dst, dstOffset, s.len());
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.size() != dst.size()) throw new IllegalArgumentException("copy: sizes " + src.size() + " and " + dst.size());
        if (src instanceof Bf16Tensor hs && dst instanceof Bf16Tensor hd) {
            java.lang.foreign.MemorySegment.copy(hs.data(), 0, hd.data(), 0, 2L * hs.len());
            return;
        }
        if (src instanceof Bf16Tensor hs) {
            CpuTensor d = c(dst);
            Bf16.widen(hs.data(), 0, d.a(), d.off(), hs.len());
            return;
        }
        if (dst instanceof Bf16Tensor hd) {
            CpuTensor s = c(src);
            Bf16.pack(s.a(), s.off(), s.len(), hd.data(), 0);
            return;
        }
        CpuTensor s = c(src), d = c(dst);
        System.arraycopy(s.a(), s.off(), d.a(), d.off(), s.len());
        if (d.bf16() && !s.bf16()) round.run(pool, d);
    }

    @Override
    public void fill(Tensor t, float value) {
        if (t instanceof Bf16Tensor h) {
            short bits = Bf16.bits(value);
            for (long i = 0; i < h.len(); i++) h.data().set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i, bits);
            return;
        }
        CpuTensor x = c(t);
        Arrays.fill(x.a(), x.off(), x.off() + x.len(), x.bf16() ? Bf16.round(value) : value);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        CpuTensor x = c(a), y = c(b), o = c(out);
        int n = o.len();
        float[] xa = x.a(), ya = y.a(), oa = o.a();
        int xo = x.off(), yo = y.off(), oo = o.off();
        int i = 0;
        if (o.bf16()) {
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, xa, xo + i).add(FloatVector.fromArray(S, ya, yo + i)), t = v.mul(Bf16.SPLIT);
                t.sub(t.sub(v)).intoArray(oa, oo + i); // rounded to bfloat16, written out (see Bf16.round)
            }
            for (; i < n; i++) oa[oo + i] = Bf16.round(xa[xo + i] + ya[yo + i]);
            return;
        }
        for (int bound = S.loopBound(n); i < bound; i += S.length())
            FloatVector.fromArray(S, xa, xo + i).add(FloatVector.fromArray(S, ya, yo + i)).intoArray(oa, oo + i);
        for (; i < n; i++) oa[oo + i] = xa[xo + i] + ya[yo + i];
    }

    @Override
    public void setSampleRows(Tensor z, boolean[] mask, int rowsPerSample, int dim, Tensor vector) {
        CpuTensor t = c(z), v = c(vector);
        for (int b = 0; b < mask.length; b++) {
            if (!mask[b]) continue;
            for (int r = 0; r < rowsPerSample; r++) {
                int o = t.off() + (b * rowsPerSample + r) * dim;
                System.arraycopy(v.a(), v.off(), t.a(), o, dim);
                if (t.bf16() && !v.bf16()) Bf16.roundInPlace(t.a(), o, dim);
            }
        }
    }

    @Override
    public void gatherRows(Tensor src, int start, int stride, Tensor dst, int n, int dim) {
        CpuTensor s = c(src), d = c(dst);
        for (int i = 0; i < n; i++) {
            System.arraycopy(s.a(), s.off() + (start + i * stride) * dim, d.a(), d.off() + i * dim, dim);
            if (d.bf16() && !s.bf16()) Bf16.roundInPlace(d.a(), d.off() + i * dim, dim);
        }
    }

    @Override
    public void transpose(Tensor src, Tensor dst, int batch, int rows, int cols) {
        long n = (long) batch * rows * cols;
        if (src.size() < n || dst.size() < n) throw new IllegalArgumentException("transpose: " + batch + " x " + rows + " x " + cols + " exceeds the tensors");
        if (src instanceof CpuTensor s && dst instanceof CpuTensor d && s.a() == d.a() && s.off() < d.off() + n && d.off() < s.off() + n)
            throw new IllegalArgumentException("transpose: src and dst overlap");
        if (src instanceof Bf16Tensor s && dst instanceof Bf16Tensor d
                && s.data().address() < d.data().address() + 2 * n && d.data().address() < s.data().address() + 2 * n)
            throw new IllegalArgumentException("transpose: src and dst overlap");
        transposeTask.run(pool, src, dst, batch, rows, cols);
    }

    @Override
    public void emaUpdate(Tensor shadow, Tensor param, float oneMinusMu, float mu) {
        CpuTensor s = c(shadow), p = c(param);
        if (s.len() != p.len()) throw new IllegalArgumentException("emaUpdate: sizes " + s.len() + " and " + p.len());
        float[] sa = s.a(), pa = p.a();
        int so = s.off(), po = p.off(), n = s.len(), i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length())
            FloatVector.fromArray(S, pa, po + i).mul(oneMinusMu).add(FloatVector.fromArray(S, sa, so + i).mul(mu)).intoArray(sa, so + i);
        for (; i < n; i++) sa[so + i] = oneMinusMu * pa[po + i] + mu * sa[so + i];
    }

    @Override
    public void scatterAddRows(Tensor src, Tensor dst, int start, int stride, int n, int dim) {
        CpuTensor s = c(src), d = c(dst);
        for (int i = 0; i < n; i++) {
            int so = s.off() + i * dim, dO = d.off() + (start + i * stride) * dim;
            if (d.bf16()) for (int j = 0; j < dim; j++) d.a()[dO + j] = Bf16.round(d.a()[dO + j] + s.a()[so + j]);
            else for (int j = 0; j < dim; j++) d.a()[dO + j] += s.a()[so + j];
        }
    }

    // ---- linear ---------------------------------------------------------------------------------

    @Override
    public void linear(Tensor x, Tensor w, Tensor y, int rows, int in, int out) {
        if (x.dtype() == DataType.BFLOAT16) {
            bf16.linear(x, c(w), y, rows, in, out);
            return;
        }
        CpuTensor X = c(x), W = c(w), Y = c(y);
        sgemm.gemm(false, true, rows, out, in, 1f, X.a(), X.off(), in, W.a(), W.off(), in, 0f, Y.a(), Y.off(), out);
    }

    @Override
    public void linearBackwardInput(Tensor dy, Tensor w, Tensor dx, int rows, int in, int out, boolean accumulate) {
        if (dy.dtype() == DataType.BFLOAT16) {
            bf16.backwardInput(dy, c(w), dx, rows, in, out, accumulate);
            return;
        }
        CpuTensor D = c(dy), W = c(w), X = c(dx);
        sgemm.gemm(false, false, rows, in, out, 1f, D.a(), D.off(), out, W.a(), W.off(), in,
                accumulate ? 1f : 0f, X.a(), X.off(), in);
    }

    @Override
    public void linearBackwardWeight(Tensor dy, Tensor x, Tensor dw, int rows, int in, int out, boolean accumulate) {
        if (dy.dtype() == DataType.BFLOAT16 && x.dtype() == DataType.BFLOAT16) {
            bf16.backwardWeight(dy, x, c(dw), rows, in, out, accumulate);
            return;
        }
        CpuTensor D = c(dy), X = c(x), G = c(dw);
        sgemm.gemm(true, false, out, in, rows, 1f, D.a(), D.off(), out, X.a(), X.off(), in,
                accumulate ? 1f : 0f, G.a(), G.off(), in);
    }

    @Override
    public void addBias(Tensor y, Tensor b, int rows, int n) {
        CpuTensor Y = c(y), B = c(b);
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++) {
                int i = Y.off() + r * n + j;
                Y.a()[i] = Y.bf16() ? Bf16.round(Y.a()[i] + B.a()[B.off() + j]) : Y.a()[i] + B.a()[B.off() + j];
            }
    }

    @Override
    public void biasBackward(Tensor dy, Tensor db, int rows, int n, boolean accumulate) {
        CpuTensor D = c(dy), B = c(db);
        for (int j = 0; j < n; j++) {
            float s = accumulate ? B.a()[B.off() + j] : 0f;
            for (int r = 0; r < rows; r++) s += D.a()[D.off() + r * n + j];
            B.a()[B.off() + j] = B.bf16() ? Bf16.round(s) : s;
        }
    }

    // ---- fused block kernels --------------------------------------------------------------------

    /**
     * Residual add + RMSNorm over rows; any of x, r, y may be 2-byte (staged, {@link RowStage}).
     * y may be x itself: a staged x is read into its own slot before y's is written back.
     */
    private final class RmsNormTask extends RowTask {
        Tensor x, r, y;
        CpuTensor rstd;
        int dim;
        float eps;

        @Override
        void rows(int from, int to, int worker) {
            RowStage st = stage;
            float[] sd = rstd == null ? null : rstd.a();
            int so = rstd == null ? 0 : rstd.off();
            for (int s = from; s < to; s += RowStage.SPAN) {
                int e = Math.min(to, s + RowStage.SPAN);
                st.read(worker, 0, x, dim, s, e);
                st.read(worker, 1, r, dim, s, e);
                st.write(worker, 2, y, dim, s);
                if (y.dtype() == DataType.BFLOAT16)
                    RmsNorm.forwardBf16(st.array(worker, 0), st.offset(worker, 0), st.array(worker, 1), st.offset(worker, 1),
                            st.array(worker, 2), st.offset(worker, 2), sd, so, s, e, dim, eps);
                else
                    RmsNorm.forward(st.array(worker, 0), st.offset(worker, 0), st.array(worker, 1), st.offset(worker, 1),
                            st.array(worker, 2), st.offset(worker, 2), sd, so, s, e, dim, eps);
                st.flush(worker, 2, y, dim, s, e);
            }
        }
    }

    @Override
    public void addRmsNorm(Tensor x, Tensor r, Tensor y, Tensor rstd, int rows, int dim, float eps) {
        RmsNormTask t = rmsNorm;
        t.x = x;
        t.r = r;
        t.y = y;
        t.rstd = rstd == null ? null : c(rstd);
        t.dim = dim;
        t.eps = eps;
        for (int slot = 0; slot < 3; slot++) stage.ensure(slot, dim);
        t.launch(pool, rows, 16);
    }

    /** RMSNorm's backward over rows; any of dy, y, dx may be 2-byte (staged). dx may alias dy. */
    private final class RmsNormBackwardTask extends RowTask {
        Tensor dy, y, dx;
        CpuTensor rstd;
        int dim;

        @Override
        void rows(int from, int to, int worker) {
            RowStage st = stage;
            for (int s = from; s < to; s += RowStage.SPAN) {
                int e = Math.min(to, s + RowStage.SPAN);
                st.read(worker, 0, dy, dim, s, e);
                st.read(worker, 1, y, dim, s, e);
                st.write(worker, 2, dx, dim, s);
                if (dx.dtype() == DataType.BFLOAT16)
                    RmsNorm.backwardBf16(st.array(worker, 0), st.offset(worker, 0), st.array(worker, 1), st.offset(worker, 1),
                            rstd.a(), rstd.off(), st.array(worker, 2), st.offset(worker, 2), s, e, dim);
                else
                    RmsNorm.backward(st.array(worker, 0), st.offset(worker, 0), st.array(worker, 1), st.offset(worker, 1),
                            rstd.a(), rstd.off(), st.array(worker, 2), st.offset(worker, 2), s, e, dim);
                st.flush(worker, 2, dx, dim, s, e);
            }
        }
    }

    @Override
    public void rmsNormBackward(Tensor dy, Tensor y, Tensor rstd, Tensor dx, int rows, int dim) {
        RmsNormBackwardTask t = rmsNormBackward;
        t.dy = dy;
        t.y = y;
        t.rstd = c(rstd);
        t.dx = dx;
        t.dim = dim;
        for (int slot = 0; slot < 3; slot++) stage.ensure(slot, dim);
        t.launch(pool, rows, 16);
    }

    /** RoPE on the q and k of qkv rows, in place; a 2-byte qkv is staged (the row numbers kept: they give the positions). */
    private final class RopeTask extends RowTask {
        Tensor qkv;
        CpuTensor cos, sin;
        int tokens, heads, headDim;
        boolean inverse;

        @Override
        void rows(int from, int to, int worker) {
            if (qkv instanceof Bf16Tensor q16) { // read and written as they are
                Rope16.apply(q16.data(), cos.a(), cos.off(), sin.a(), sin.off(), from, to, tokens, heads, headDim, inverse);
                return;
            }
            RowStage st = stage;
            int width = 3 * heads * headDim;
            for (int s = from; s < to; s += RowStage.SPAN) {
                int e = Math.min(to, s + RowStage.SPAN);
                st.read(worker, 0, qkv, width, s, e);
                float[] q = st.array(worker, 0);
                int qo = st.offset(worker, 0);
                Rope.apply(q, qo, cos.a(), cos.off(), sin.a(), sin.off(), s, e, tokens, heads, headDim, inverse);
                if (qkv.dtype() == DataType.BFLOAT16) // only q and k were rotated; v is bfloat16 already
                    for (int row = s; row < e; row++) Bf16.roundInPlace(q, qo + row * width, 2 * heads * headDim);
                st.flush(worker, 0, qkv, width, s, e);
            }
        }
    }

    @Override
    public void rope(Tensor qkv, Tensor cos, Tensor sin, int batch, int tokens, int heads, int headDim, boolean inverse) {
        RopeTask t = rope;
        t.qkv = qkv;
        t.cos = c(cos);
        t.sin = c(sin);
        t.tokens = tokens;
        t.heads = heads;
        t.headDim = headDim;
        t.inverse = inverse;
        stage.ensure(0, 3 * heads * headDim);
        t.launch(pool, batch * tokens, 16);
    }

    @Override
    public void attention(Tensor qkv, Tensor out, Tensor lse, int batch, int tokens, int heads, int headDim) {
        CpuTensor l = c(lse);
        boolean onednn = onOneDnn(qkv, batch, tokens, heads, headDim);
        if (onednn && qkv instanceof Bf16Tensor q16 && out instanceof Bf16Tensor o16) { // oneDNN reads and writes them as they are
            bf16Attention.forward(q16.data(), o16.data(), l.a(), l.off(), batch, tokens, heads, headDim);
            return;
        }
        int d = heads * headDim, group = samples.samplesPerCall(batch, tokens * 3 * d, qkv, out);
        for (int b0 = 0; b0 < batch; b0 += group) { // a group of samples at a time where qkv or out is 2-byte (staged)
            int n = Math.min(group, batch - b0), r0 = b0 * tokens, r1 = r0 + n * tokens;
            float[] q = samples.stage(0, qkv, 3 * d, r0, r1, true), o = samples.stage(1, out, d, r0, r1, false);
            int qo = SampleStage.offset(qkv, 3 * d, r0), oo = SampleStage.offset(out, d, r0), lo = l.off() + b0 * heads * tokens;
            if (onednn) bf16Attention.forward(q, qo, o, oo, l.a(), lo, n, tokens, heads, headDim);
            else attention.forward(q, qo, o, oo, l.a(), lo, n, tokens, heads, headDim);
            samples.unstage(1, out, d, r0, r1); // rounded as it is packed
        }
        if (out instanceof CpuTensor o) round.run(pool, o);
    }

    /**
     * Where attention's forward runs at this shape, with bfloat16 activations and oneDNN there: the
     * plan's path for it (measured the first time on this machine, on values of its own).
     */
    /** Whether attention (forward and backward) runs on oneDNN: bfloat16 activations, oneDNN there, and the plan's path for this shape. */
    private boolean onOneDnn(Tensor qkv, int batch, int tokens, int heads, int headDim) {
        return qkv.dtype() == DataType.BFLOAT16 && bf16Attention != null
                && attentionPath(batch, tokens, heads, headDim) == ProductPlan.Path.ONEDNN;
    }

    /** Attention stages at most this many floats of a 2-byte operand at once (tests: several groups of samples). */
    void attentionStageFloats(int floats) {
        samples.maxFloats(floats);
    }

    private ProductPlan.Path attentionPath(int batch, int tokens, int heads, int headDim) {
        for (int i = 0; i < attentionChoices.size(); i++) {
            hrm.tensor.Product p = attentionChoices.get(i).product();
            if (p.rows() == batch * heads && p.in() == tokens && p.out() == headDim) return attentionChoices.get(i).choice().path();
        }
        hrm.tensor.Product p = hrm.tensor.Product.attention(batch, tokens, heads, headDim);
        ProductPlan.Choice c = bf16.plan().choose(p, this::measureAttention);
        attentionChoices.add(new AttentionChoice(p, c));
        return c.path();
    }

    /** Both attention forwards on {@code p}'s shape (one head per pair), on bfloat16 values of a fixed seed in [-0.5, 0.5]. */
    private ProductPlan.Choice measureAttention(hrm.tensor.Product p) {
        int pairs = p.rows(), tokens = p.in(), d = p.out();
        float[] qkv = new float[pairs * tokens * 3 * d], out = new float[pairs * tokens * d], lse = new float[pairs * tokens];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(p.key().hashCode());
        // scores of a few units, as a model's are: wide ones would make exp() underflow into subnormal
        // floats, which take microcode assists on x86 and would time both paths on a case no model runs
        for (int i = 0; i < qkv.length; i++) qkv[i] = Bf16.round((float) rng.nextDouble(-0.5, 0.5));
        return Bf16Linear.timeTwo(() -> attention.forward(qkv, 0, out, 0, lse, 0, pairs, tokens, 1, d),
                () -> bf16Attention.forward(qkv, 0, out, 0, lse, 0, pairs, tokens, 1, d), p.flops());
    }

    @Override
    public void attentionBackward(Tensor qkv, Tensor out, Tensor lse, Tensor dout, Tensor dqkv,
                                  int batch, int tokens, int heads, int headDim) {
        CpuTensor l = c(lse), d = c(dout), dq = c(dqkv);
        if (onOneDnn(qkv, batch, tokens, heads, headDim)) { // the forward's path: the same products
            java.lang.foreign.MemorySegment q16 = qkv instanceof Bf16Tensor t ? t.data() : null, o16 = out instanceof Bf16Tensor t ? t.data() : null;
            CpuTensor q = q16 == null ? c(qkv) : null, o = o16 == null ? c(out) : null;
            bf16Attention.backward(q == null ? null : q.a(), q16, q == null ? 0 : q.off(), o == null ? null : o.a(), o16, o == null ? 0 : o.off(),
                    l.a(), l.off(), d.a(), d.off(), dq.a(), dq.off(), batch, tokens, heads, headDim);
            round.run(pool, dq);
            return;
        }
        int width = heads * headDim, group = samples.samplesPerCall(batch, tokens * 4 * width, qkv, out);
        for (int b0 = 0; b0 < batch; b0 += group) { // a group of samples at a time where qkv or out is 2-byte (staged)
            int n = Math.min(group, batch - b0), r0 = b0 * tokens, r1 = r0 + n * tokens;
            float[] q = samples.stage(0, qkv, 3 * width, r0, r1, true), o = samples.stage(1, out, width, r0, r1, true);
            attention.backward(q, SampleStage.offset(qkv, 3 * width, r0), o, SampleStage.offset(out, width, r0),
                    l.a(), l.off() + b0 * heads * tokens, d.a(), d.off() + r0 * width, dq.a(), dq.off() + r0 * 3 * width,
                    n, tokens, heads, headDim);
        }
        round.run(pool, dq);
    }

    @Override
    public void swiglu(Tensor gu, Tensor s, int rows, int inner) {
        swiGlu.forward(gu, s, rows, inner);
    }

    @Override
    public void swigluBackward(Tensor gu, Tensor ds, Tensor dgu, int rows, int inner) {
        swiGlu.backward(gu, ds, dgu, rows, inner);
    }

    // ---- embeddings -----------------------------------------------------------------------------

    @Override
    public void gatherTableRows(Tensor table, int[] ids, Tensor dst, int dim) {
        CpuTensor t = c(table), d = c(dst);
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(t.a(), t.off() + ids[i] * dim, d.a(), d.off() + i * dim, dim);
            if (d.bf16()) Bf16.roundInPlace(d.a(), d.off() + i * dim, dim);
        }
    }

    @Override
    public void embedInputs(int[] tokens, Tensor tokenTable, Tensor puzzle, int puzzleDim, Tensor pos, Tensor out,
                            int batch, int seqLen, int puzzleTokens, int dim, float posScale, float scale) {
        CpuTensor tt = c(tokenTable), o = c(out);
        CpuTensor pz = puzzle == null ? null : c(puzzle), ps = pos == null ? null : c(pos);
        int T = seqLen + puzzleTokens;
        float[] oa = o.a();
        boolean bf = o.bf16(); // the reference rounds the cast tables, the positions' sum and scaling, and the scaling
        float pScale = bf ? Bf16.round(posScale) : posScale, eScale = bf ? Bf16.round(scale) : scale; // PyTorch 1.13 casts a Python scalar to the tensor's bfloat16
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < T; t++) {
                int ob = o.off() + (b * T + t) * dim;
                if (t < puzzleTokens) {
                    for (int j = 0; j < dim; j++) {
                        int k = t * dim + j;
                        oa[ob + j] = k < puzzleDim ? pz.a()[pz.off() + b * puzzleDim + k] : 0f;
                    }
                } else {
                    System.arraycopy(tt.a(), tt.off() + tokens[b * seqLen + t - puzzleTokens] * dim, oa, ob, dim);
                }
                if (bf) {
                    for (int j = 0; j < dim; j++) {
                        float e = Bf16.round(oa[ob + j]);
                        if (ps != null) e = Bf16.round(pScale * Bf16.round(e + Bf16.round(ps.a()[ps.off() + t * dim + j])));
                        oa[ob + j] = Bf16.round(eScale * e);
                    }
                    continue;
                }
                if (ps != null)
                    for (int j = 0; j < dim; j++) oa[ob + j] = posScale * (oa[ob + j] + ps.a()[ps.off() + t * dim + j]);
                for (int j = 0; j < dim; j++) oa[ob + j] = scale * oa[ob + j];
            }
        }
    }

    @Override
    public void embedInputsBackward(Tensor dOut, int[] tokens, Tensor dTokenTable, Tensor dPuzzle, int puzzleDim, Tensor dPos,
                                    int batch, int seqLen, int puzzleTokens, int dim, float posScale, float scale) {
        CpuTensor d = c(dOut), dt = c(dTokenTable);
        CpuTensor dp = dPuzzle == null ? null : c(dPuzzle), dps = dPos == null ? null : c(dPos);
        int T = seqLen + puzzleTokens;
        float f = dps != null ? scale * posScale : scale;
        boolean bf = d.bf16();
        float[] g = bf ? rowScratch(dim) : null;
        float pScale = Bf16.round(posScale), eScale = Bf16.round(scale); // bfloat16 only
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < T; t++) {
                int db = d.off() + (b * T + t) * dim;
                float[] src = d.a();
                if (bf) { // the gradient at the sum, rounded at each bfloat16 product as the reference's backward does
                    for (int j = 0; j < dim; j++) {
                        float v = Bf16.round(eScale * src[db + j]);
                        g[j] = dps != null ? Bf16.round(pScale * v) : v;
                    }
                    if (dps != null) for (int j = 0; j < dim; j++) dps.a()[dps.off() + t * dim + j] += g[j];
                    if (t < puzzleTokens) {
                        for (int j = 0; j < dim; j++) {
                            int k = t * dim + j;
                            if (k < puzzleDim) dp.a()[dp.off() + b * puzzleDim + k] = g[j];
                        }
                    } else {
                        int tb = dt.off() + tokens[b * seqLen + t - puzzleTokens] * dim;
                        for (int j = 0; j < dim; j++) dt.a()[tb + j] += g[j];
                    }
                    continue;
                }
                if (dps != null)
                    for (int j = 0; j < dim; j++) dps.a()[dps.off() + t * dim + j] += f * src[db + j];
                if (t < puzzleTokens) {
                    for (int j = 0; j < dim; j++) {
                        int k = t * dim + j;
                        if (k < puzzleDim) dp.a()[dp.off() + b * puzzleDim + k] = f * src[db + j];
                    }
                } else {
                    int tb = dt.off() + tokens[b * seqLen + t - puzzleTokens] * dim;
                    for (int j = 0; j < dim; j++) dt.a()[tb + j] += f * src[db + j];
                }
            }
        }
    }

    private float[] rowScratch(int dim) {
        if (rowScratch.length < dim) rowScratch = new float[dim];
        return rowScratch;
    }

    // ---- optimisers -----------------------------------------------------------------------------

    private final class AdamTask extends RowTask {
        CpuTensor p, g, m, v;
        float decay, b1, b2, stepSize, bc2Sqrt;

        @Override
        void rows(int from, int to, int worker) {
            float[] pa = p.a(), ga = g.a(), ma = m.a(), va = v.a();
            int po = p.off(), go = g.off(), mo = m.off(), vo = v.off();
            float w1 = 1f - b1, w2 = 1f - b2, invBc2 = 1f / bc2Sqrt;
            int i = from;
            FloatVector vd = FloatVector.broadcast(S, decay), vw1 = FloatVector.broadcast(S, w1);
            FloatVector vw2 = FloatVector.broadcast(S, w2), vib = FloatVector.broadcast(S, invBc2);
            FloatVector vstep = FloatVector.broadcast(S, -stepSize);
            for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
                FloatVector gv = FloatVector.fromArray(S, ga, go + i);
                FloatVector mv = FloatVector.fromArray(S, ma, mo + i);
                FloatVector vv = FloatVector.fromArray(S, va, vo + i);
                FloatVector pv = FloatVector.fromArray(S, pa, po + i).mul(vd);
                mv = gv.sub(mv).fma(vw1, mv);
                vv = gv.mul(gv).sub(vv).fma(vw2, vv);
                FloatVector den = vv.sqrt().mul(vib);
                pv = VectorExp.atan2(mv, den).fma(vstep, pv);
                mv.intoArray(ma, mo + i);
                vv.intoArray(va, vo + i);
                pv.intoArray(pa, po + i);
            }
            for (; i < to; i++) {
                float gv = ga[go + i];
                float mv = ma[mo + i] + w1 * (gv - ma[mo + i]);
                float vv = va[vo + i] + w2 * (gv * gv - va[vo + i]);
                ma[mo + i] = mv;
                va[vo + i] = vv;
                float pv = pa[po + i] * decay;
                pa[po + i] = Math.fma(VectorExp.atan2(mv, (float) Math.sqrt(vv) * invBc2), -stepSize, pv);
            }
        }
    }

    @Override
    public void adamATan2(Tensor p, Tensor g, Tensor m, Tensor v, float lr, float weightDecay, float beta1, float beta2,
                          float stepSize, float bc2Sqrt) {
        AdamTask t = adam;
        t.p = c(p);
        t.g = c(g);
        t.m = c(m);
        t.v = c(v);
        t.decay = 1f - lr * weightDecay;
        t.b1 = beta1;
        t.b2 = beta2;
        t.stepSize = stepSize;
        t.bc2Sqrt = bc2Sqrt;
        t.launch(pool, t.p.len(), 4096);
    }

    @Override
    public void signSgdRows(Tensor table, int[] ids, Tensor rowGrads, int dim, float lr, float weightDecay) {
        CpuTensor t = c(table), g = c(rowGrads);
        float decay = 1f - lr * weightDecay;
        if (signDone.length < ids.length) signDone = new boolean[ids.length];
        float[] sum = rowScratch(dim);
        boolean[] done = signDone;
        Arrays.fill(done, 0, ids.length, false);
        for (int i = 0; i < ids.length; i++) {
            if (done[i]) continue;
            System.arraycopy(g.a(), g.off() + i * dim, sum, 0, dim);
            for (int j = i + 1; j < ids.length; j++) {
                if (ids[j] != ids[i]) continue;
                done[j] = true;
                for (int k = 0; k < dim; k++) sum[k] += g.a()[g.off() + j * dim + k];
            }
            int row = t.off() + ids[i] * dim;
            for (int k = 0; k < dim; k++) t.a()[row + k] = t.a()[row + k] * decay - lr * Math.signum(sum[k]);
        }
    }

    @Override
    public void close() {
        if (bf16Attention != null) bf16Attention.close();
        bf16.close();
        pool.close();
    }
}
