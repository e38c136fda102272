package hrm.tensor.cpu;

import hrm.tensor.Backend;
import hrm.tensor.BackendContract;
import hrm.tensor.DataType;

/** The backend contract on the CPU backend with float32 activations. */
class CpuFloat32ContractTest extends BackendContract {
    @Override
    protected Backend create() {
        return new CpuBackend(2);
    }

    @Override
    protected DataType act() {
        return DataType.FLOAT32;
    }
}
