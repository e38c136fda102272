package hrm.tensor.cpu;

import hrm.tensor.Backend;
import hrm.tensor.BackendContract;
import hrm.tensor.DataType;
import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Assumptions;

/** The backend contract on the CPU backend with bfloat16 activations, products on oneDNN (skipped where it cannot run bfloat16 natively). */
class CpuBfloat16OneDnnContractTest extends BackendContract {
    @Override
    protected Backend create() {
        var dnnl = OneDnn.get();
        Assumptions.assumeTrue(dnnl.isPresent() && dnnl.get().nativeBf16(),
                () -> "oneDNN bfloat16 not usable here: " + (dnnl.isEmpty() ? OneDnn.unavailableReason() : "no bfloat16 instructions"));
        CpuBackend be = new CpuBackend(2, dnnl.get());
        Assumptions.assumeTrue(be.nativeBf16());
        return be;
    }

    @Override
    protected DataType act() {
        return DataType.BFLOAT16;
    }
}
