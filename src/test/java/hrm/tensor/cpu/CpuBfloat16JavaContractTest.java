package hrm.tensor.cpu;

import hrm.tensor.Backend;
import hrm.tensor.BackendContract;
import hrm.tensor.DataType;

/** The backend contract on the CPU backend with bfloat16 activations, products on the Java kernels. */
class CpuBfloat16JavaContractTest extends BackendContract {
    @Override
    protected Backend create() {
        return new CpuBackend(2);
    }

    @Override
    protected DataType act() {
        return DataType.BFLOAT16;
    }
}
