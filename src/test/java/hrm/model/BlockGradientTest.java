package hrm.model;

import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import hrm.tensor.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One block's backward against finite differences of its forward, for attention (HRM's block, TRM's
 * attention variant) and for TRM's mlp_t (token MLP over the transposed layout, rmsnorm over the
 * tokens): the gradient at the input and at every weight matrix, on sampled entries, with
 * loss = sum(y * r) for a fixed random r. Also checks that {@code accumulate} adds to the weight
 * gradients instead of overwriting them (TRM's tape of calls through one network).
 */
class BlockGradientTest {
    static final int BATCH = 2, SEQ = 6, DIM = 16;

    static ModelConfig config(boolean mlpT) {
        return new ModelConfig(new ModelConfig.DataShape(BATCH, SEQ, 5, 1), new ModelConfig.Architecture(new TrmFamily(1, 1, 0, 1, 1, mlpT, true),
                new ModelConfig.Network(DIM, 2, 2.0, DIM, mlpT ? PosEncoding.NONE : PosEncoding.ROPE, 10000, 1e-5),
                new ModelConfig.Halting(2, 0.0), DataType.FLOAT32, ModelConfig.LossType.STABLEMAX));
    }

    @ParameterizedTest(name = "mlp_t = {0}")
    @ValueSource(booleans = {false, true})
    void backwardMatchesFiniteDifferences(boolean mlpT) {
        ModelConfig cfg = config(mlpT);
        try (CpuBackend be = new CpuBackend(1)) {
            Parameters p = new Parameters(cfg, be);
            p.initialise(be, new SplittableRandom(3));
            Tensor cos = null, sin = null;
            if (cfg.ropePositions()) {
                float[][] t = InnerModel.ropeTables(cfg);
                cos = be.allocate(t[0].length);
                sin = be.allocate(t[1].length);
                be.upload(t[0], 0, cos);
                be.upload(t[1], 0, sin);
            }
            Shapes s = new Shapes(BATCH, cfg.tokens(), DIM, cfg.numHeads(), cfg.headDim(), cfg.intermediateSize(), 1e-5f,
                    cos, sin, DataType.FLOAT32, cfg.tokenInnerSize());
            Weights.BlockWeights w = p.weights().level("L_level")[0];
            Block block = new Block(w);
            BlockActivations.MlpScratch mlp = new BlockActivations.MlpScratch(be, s);
            BlockActivations a = new BlockActivations(be, s, mlp);
            BlockGradScratch g = new BlockGradScratch(be, s);
            int n = s.rows() * DIM;
            SplittableRandom rng = new SplittableRandom(5);
            float[] x0 = new float[n], r = new float[n];
            for (int i = 0; i < n; i++) {
                x0[i] = (float) rng.nextGaussian();
                r[i] = (float) rng.nextGaussian();
            }
            Tensor x = be.allocate(n), y = be.allocate(n), tmp = be.allocate(n), dy = be.allocate(n), dx = be.allocate(n);
            be.upload(x0, 0, x);
            block.forward(be, s, x, y, a, tmp);
            be.upload(r, 0, dy);
            block.backward(be, s, dy, x, y, a, dx, g, false);
            float[] dxHost = host(be, dx);

            // loss(x) = sum(block(x) * r), in double from the float32 forward
            java.util.function.DoubleSupplier loss = () -> {
                BlockActivations scratch = new BlockActivations(be, s, new BlockActivations.MlpScratch(be, s));
                Tensor out = be.allocate(n), t2 = be.allocate(n);
                block.forward(be, s, x, out, scratch, t2);
                float[] o = host(be, out);
                double sum = 0;
                for (int i = 0; i < n; i++) sum += (double) o[i] * r[i];
                return sum;
            };
            double eps = 1e-2;
            check("dx", x, dxHost, loss, eps, be, rng);
            Weights.Weight[] ws = mlpT ? new Weights.Weight[]{w.tokenGateUp(), w.tokenDown(), w.gateUp(), w.down()}
                    : new Weights.Weight[]{w.qkv(), w.o(), w.gateUp(), w.down()};
            String[] names = mlpT ? new String[]{"mlp_t.gate_up", "mlp_t.down", "mlp.gate_up", "mlp.down"}
                    : new String[]{"qkv", "o", "mlp.gate_up", "mlp.down"};
            for (int k = 0; k < ws.length; k++) {
                float[] grad = host(be, ws[k].grad());
                check(names[k], ws[k].value(), grad, loss, eps, be, rng);
                // a second backward with accumulate adds the same gradient again
                block.forward(be, s, x, y, a, tmp);
                block.backward(be, s, dy, x, y, a, dx, g, true);
                float[] twice = host(be, ws[k].grad());
                double err = 0, norm = 0;
                for (int i = 0; i < grad.length; i++) {
                    err += Math.pow(twice[i] - 2.0 * grad[i], 2);
                    norm += 4.0 * grad[i] * grad[i];
                }
                assertTrue(Math.sqrt(err / norm) < 1e-5, names[k] + ": accumulate must add to the gradient");
                block.forward(be, s, x, y, a, tmp);
                block.backward(be, s, dy, x, y, a, dx, g, false); // back to one backward's worth
            }
        }
    }

    /** Central differences on 12 random entries of t against grad; normwise relative error below 2e-2. */
    private static void check(String what, Tensor t, float[] grad, java.util.function.DoubleSupplier loss, double eps,
                              CpuBackend be, SplittableRandom rng) {
        float[] v = host(be, t);
        double err = 0, norm = 0;
        for (int k = 0; k < 12; k++) {
            int i = rng.nextInt(v.length);
            float keep = v[i];
            v[i] = (float) (keep + eps);
            be.upload(v, 0, t);
            double up = loss.getAsDouble();
            v[i] = (float) (keep - eps);
            be.upload(v, 0, t);
            double down = loss.getAsDouble();
            v[i] = keep;
            be.upload(v, 0, t);
            double num = (up - down) / (2 * eps);
            err += Math.pow(num - grad[i], 2);
            norm += num * num;
        }
        double rel = Math.sqrt(err / Math.max(norm, 1e-20));
        assertTrue(rel < 2e-2, what + ": backward differs from finite differences by " + rel + " (normwise, relative)");
    }

    private static float[] host(CpuBackend be, Tensor t) {
        float[] v = new float[t.size()];
        be.download(t, v, 0);
        return v;
    }
}
