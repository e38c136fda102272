package hrm.tensor.cpu;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Attention on 2-byte qkv and out, staged a group of samples at a time: every grouping (one sample, a
 * group not dividing the batch, the whole batch) gives the plain tensors' bits, forward and backward,
 * on the Java kernels (staged); on oneDNN, which reads and writes 2-byte qkv and out in place, every grouping
 * is the one call.
 */
class StagedAttentionTest {
    @Test
    void everyGroupingGivesThePlainTensorsBits() {
        int batch = 5, tokens = 19, heads = 2, hd = 8, d = heads * hd, rows = batch * tokens;
        SplittableRandom rng = new SplittableRandom(3);
        float[] qv = new float[rows * 3 * d], dv = new float[rows * d];
        for (int i = 0; i < qv.length; i++) qv[i] = (float) rng.nextGaussian();
        for (int i = 0; i < dv.length; i++) dv[i] = (float) rng.nextGaussian();
        var dnnl = hrm.tensor.dnnl.OneDnn.get();
        CpuBackend[] backends = dnnl.isEmpty() ? new CpuBackend[] {new CpuBackend(2)}
                : new CpuBackend[] {new CpuBackend(2), new CpuBackend(2, dnnl.get())};
        for (CpuBackend be : backends) {
            try (be) {
                float[][] plain = run(be, false, qv, dv, batch, tokens, heads, hd);
                for (int group : new int[] {1, 2, batch}) {
                    be.attentionStageFloats(group * tokens * 4 * d);
                    float[][] staged = run(be, true, qv, dv, batch, tokens, heads, hd);
                    String at = (be.nativeBf16() ? "oneDNN" : "Java") + ", groups of " + group + ": ";
                    assertArrayEquals(plain[0], staged[0], at + "out");
                    assertArrayEquals(plain[1], staged[1], at + "lse");
                    assertArrayEquals(plain[2], staged[2], at + "dqkv");
                }
            }
        }
    }

    private static float[][] run(CpuBackend be, boolean compact, float[] qv, float[] dv, int batch, int tokens, int heads, int hd) {
        int d = heads * hd, rows = batch * tokens;
        Tensor qkv = compact ? be.allocateCompact(rows * 3 * d, DataType.BFLOAT16) : be.allocate(rows * 3 * d, DataType.BFLOAT16);
        Tensor out = compact ? be.allocateCompact(rows * d, DataType.BFLOAT16) : be.allocate(rows * d, DataType.BFLOAT16);
        Tensor lse = be.allocate(batch * heads * tokens), dout = be.allocate(rows * d, DataType.BFLOAT16);
        Tensor dqkv = be.allocate(rows * 3 * d, DataType.BFLOAT16);
        be.upload(qv, 0, qkv);
        be.upload(dv, 0, dout);
        be.attention(qkv, out, lse, batch, tokens, heads, hd);
        be.attentionBackward(qkv, out, lse, dout, dqkv, batch, tokens, heads, hd);
        float[][] r = {new float[rows * d], new float[batch * heads * tokens], new float[rows * 3 * d]};
        be.download(out, r[0], 0);
        be.download(lse, r[1], 0);
        be.download(dqkv, r[2], 0);
        return r;
    }
}
