package hrm.tensor.cpu;

import hrm.tensor.Backend;
import hrm.tensor.BackendContract;
import hrm.tensor.DataType;
import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Assumptions;

/**
 * The backend contract with bfloat16 products on both paths at once, as a measured plan may put
 * them: which path a product takes flips with its direction and its row count, so one weight is
 * read through both of its copies (both must follow every write to it). Skipped where oneDNN
 * cannot run bfloat16 natively.
 */
class CpuBfloat16MixedPathsContractTest extends BackendContract {
    @Override
    protected Backend create() {
        var dnnl = OneDnn.get();
        Assumptions.assumeTrue(dnnl.isPresent() && dnnl.get().nativeBf16(),
                () -> "oneDNN bfloat16 not usable here: " + (dnnl.isEmpty() ? OneDnn.unavailableReason() : "no bfloat16 instructions"));
        return new CpuBackend(2, dnnl.get(), ProductPlan.byRule(
                p -> (p.kind().ordinal() + p.rows()) % 2 == 0 ? ProductPlan.Path.ONEDNN : ProductPlan.Path.JAVA));
    }

    @Override
    protected DataType act() {
        return DataType.BFLOAT16;
    }
}
