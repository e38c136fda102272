package hrm.tensor.cpu;

/** Rounds a bfloat16 tensor's elements in place, in parallel: for kernels that compute a whole output in float32 first. */
final class RoundTask extends RowTask {
    private CpuTensor t;

    void run(WorkerPool pool, CpuTensor tensor) {
        if (!tensor.bf16()) return;
        t = tensor;
        launch(pool, tensor.len(), 16384);
    }

    @Override
    void rows(int from, int to, int worker) {
        Bf16.roundInPlace(t.a(), t.off() + from, to - from);
    }
}
