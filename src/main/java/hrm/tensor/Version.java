package hrm.tensor;

/**
 * How many times a set of tensors (a model's parameters) has been written, counted by their owner:
 * whoever writes them (the optimiser step, a load, the moving average's swap) bumps it once when it
 * has written. What a backend derives from such a tensor (the bfloat16 copies of weights that
 * bfloat16 products read) remembers the version it was made at and is made again when the version
 * has moved, so no kernel has to report what it wrote. A tensor allocated without a version has
 * its copies made again at every use.
 */
public final class Version {
    private long value;

    public long value() {
        return value;
    }

    public void bump() {
        value++;
    }
}
