package hrm.tensor.cpu;

import java.util.Random;

/**
 * Attention throughput. Flops counted: forward 4*B*H*T*T*d (QK^T and PV, 2 flops per multiply-add);
 * backward 10*B*H*T*T*d (score recompute, dP = dO V^T, dQ, dK, dV: five T*T*d products), i.e. 2.5x the
 * forward. Exp, softmax and packing are not counted. Times are wall-clock, the best of repeated
 * calls after a warm-up (the machine may be shared, so typical times can be much worse).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp target/classes hrm.tensor.cpu.AttentionBench [threads] [seconds]}
 */
public final class AttentionBench {

    private AttentionBench() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3.0;
        int[][] shapes = {{32, 82, 8, 64}, {8, 901, 8, 64}};
        try (WorkerPool pool = new WorkerPool(threads)) {
            Attention attn = new Attention(pool);
            System.out.printf("threads=%d vector=%d floats%n", threads, AttnKernels.L);
            for (int[] s : shapes) bench(attn, s[0], s[1], s[2], s[3], seconds);
        }
    }

    private static void bench(Attention attn, int b, int t, int h, int d, double seconds) {
        Random rnd = new Random(1);
        float[] qkv = new float[b * t * 3 * h * d];
        for (int i = 0; i < qkv.length; i++) qkv[i] = (float) rnd.nextGaussian();
        float[] out = new float[b * t * h * d];
        float[] dout = new float[out.length];
        for (int i = 0; i < dout.length; i++) dout[i] = (float) rnd.nextGaussian();
        float[] lse = new float[b * h * t];
        float[] dqkv = new float[qkv.length];
        double fwdFlops = 4.0 * b * h * t * t * d;
        double bwdFlops = 2.5 * fwdFlops;
        // warm-up
        long end = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < end) {
            attn.forward(qkv, 0, out, 0, lse, 0, b, t, h, d);
            attn.backward(qkv, 0, out, 0, lse, 0, dout, 0, dqkv, 0, b, t, h, d);
        }
        double fwd = best(() -> attn.forward(qkv, 0, out, 0, lse, 0, b, t, h, d), seconds);
        double bwd = best(() -> attn.backward(qkv, 0, out, 0, lse, 0, dout, 0, dqkv, 0, b, t, h, d), seconds);
        System.out.printf("B=%d T=%d H=%d d=%d  forward %.2f ms %.1f GFLOP/s  backward %.2f ms %.1f GFLOP/s%n",
                b, t, h, d, fwd * 1e3, fwdFlops / fwd * 1e-9, bwd * 1e3, bwdFlops / bwd * 1e-9);
    }

    /** Best time in seconds of repeated runs over about {@code seconds}. */
    private static double best(Runnable r, double seconds) {
        double best = Double.MAX_VALUE;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        } while (System.nanoTime() < end);
        return best;
    }
}
