package hrm.tensor.cpu;

import java.lang.foreign.MemorySegment;

/** Elements of a 2-byte tensor widened into a float array, or floats packed (rounded) into one, in parallel. */
final class CompactCopyTask extends RowTask {
    private MemorySegment values;
    private long firstByte;
    private float[] floats;
    private int off;
    private boolean widen;

    /** floats[off, off + n) = elements [from, from + n) of src, widened (exact). */
    void widen(WorkerPool pool, Bf16Tensor src, int from, float[] floats, int off, int n) {
        set(src, from, floats, off, true);
        launch(pool, n, 16384);
    }

    /** Elements [from, from + n) of dst = floats[off, off + n), rounded to bfloat16. */
    void pack(WorkerPool pool, float[] floats, int off, Bf16Tensor dst, int from, int n) {
        set(dst, from, floats, off, false);
        launch(pool, n, 16384);
    }

    private void set(Bf16Tensor t, int from, float[] floats, int off, boolean widen) {
        this.values = t.data();
        this.firstByte = 2L * from;
        this.floats = floats;
        this.off = off;
        this.widen = widen;
    }

    @Override
    void rows(int from, int to, int worker) {
        if (widen) Bf16.widen(values, firstByte + 2L * from, floats, off + from, to - from);
        else Bf16.pack(floats, off + from, to - from, values, firstByte + 2L * from);
    }
}
