package hrm.tensor.cpu;

/** PLACEHOLDER (replaced by the streaming kernel): per-query loops with the final API. */
public final class Attention {
    private final WorkerPool pool;

    public Attention(WorkerPool pool) {
        this.pool = pool;
    }

    public void forward(float[] qkv, int qkvOff, float[] out, int outOff, float[] lse, int lseOff,
                        int batch, int tokens, int heads, int headDim) {
        int width = 3 * heads * headDim, ow = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        pool.run(batch * heads, (bh, w) -> {
            int b = bh / heads, h = bh % heads;
            float[] p = new float[tokens];
            for (int i = 0; i < tokens; i++) {
                int q = qkvOff + (b * tokens + i) * width + h * headDim;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < tokens; j++) {
                    int kk = qkvOff + (b * tokens + j) * width + heads * headDim + h * headDim;
                    float s = 0;
                    for (int c = 0; c < headDim; c++) s += qkv[q + c] * qkv[kk + c];
                    p[j] = s * scale;
                    max = Math.max(max, p[j]);
                }
                double sum = 0;
                for (int j = 0; j < tokens; j++) sum += (p[j] = (float) Math.exp(p[j] - max));
                lse[lseOff + bh * tokens + i] = (float) (max + Math.log(sum));
                int o = outOff + (b * tokens + i) * ow + h * headDim;
                for (int c = 0; c < headDim; c++) out[o + c] = 0;
                for (int j = 0; j < tokens; j++) {
                    int v = qkvOff + (b * tokens + j) * width + 2 * heads * headDim + h * headDim;
                    float pj = (float) (p[j] / sum);
                    for (int c = 0; c < headDim; c++) out[o + c] += pj * qkv[v + c];
                }
            }
        });
    }

    public void backward(float[] qkv, int qkvOff, float[] out, int outOff, float[] lse, int lseOff,
                         float[] dout, int doutOff, float[] dqkv, int dqkvOff,
                         int batch, int tokens, int heads, int headDim) {
        int width = 3 * heads * headDim, ow = heads * headDim, hd = heads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        pool.run(batch * heads, (bh, w) -> {
            int b = bh / heads, h = bh % heads;
            for (int j = 0; j < tokens; j++)
                for (int part = 0; part < 3; part++)
                    java.util.Arrays.fill(dqkv, dqkvOff + (b * tokens + j) * width + part * hd + h * headDim,
                            dqkvOff + (b * tokens + j) * width + part * hd + h * headDim + headDim, 0f);
            for (int i = 0; i < tokens; i++) {
                int q = qkvOff + (b * tokens + i) * width + h * headDim;
                int o = outOff + (b * tokens + i) * ow + h * headDim;
                int dq = dqkvOff + (b * tokens + i) * width + h * headDim;
                float l = lse[lseOff + bh * tokens + i];
                float di = 0;
                for (int c = 0; c < headDim; c++) di += dout[doutOff + (b * tokens + i) * ow + h * headDim + c] * out[o + c];
                for (int j = 0; j < tokens; j++) {
                    int kk = qkvOff + (b * tokens + j) * width + hd + h * headDim;
                    int v = kk + hd;
                    float s = 0, dp = 0;
                    for (int c = 0; c < headDim; c++) {
                        s += qkv[q + c] * qkv[kk + c];
                        dp += dout[doutOff + (b * tokens + i) * ow + h * headDim + c] * qkv[v + c];
                    }
                    float p = (float) Math.exp(s * scale - l);
                    float ds = p * (dp - di) * scale;
                    int dk = dqkvOff + (b * tokens + j) * width + hd + h * headDim;
                    int dv = dk + hd;
                    for (int c = 0; c < headDim; c++) {
                        dqkv[dq + c] += ds * qkv[kk + c];
                        dqkv[dk + c] += ds * qkv[q + c];
                        dqkv[dv + c] += p * dout[doutOff + (b * tokens + i) * ow + h * headDim + c];
                    }
                }
            }
        });
    }
}
