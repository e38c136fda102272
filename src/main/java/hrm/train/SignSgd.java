package hrm.train;

import hrm.tensor.Backend;
import hrm.tensor.Tensor;

/** Sign-SGD with decoupled weight decay on the puzzle-embedding rows one batch touched (docs/model.md §8). */
public final class SignSgd {
    private final Backend be;
    private final Tensor table;
    private final int dim;
    private final double weightDecay;

    public SignSgd(Backend be, Tensor table, int dim, double weightDecay) {
        this.be = be;
        this.table = table;
        this.dim = dim;
        this.weightDecay = weightDecay;
    }

    /** rowGrads: batch x dim gradients of the rows named by ids (duplicates are summed). */
    public void step(int[] ids, Tensor rowGrads, double lr) {
        be.signSgdRows(table, ids, rowGrads, dim, (float) lr, (float) weightDecay);
    }
}
