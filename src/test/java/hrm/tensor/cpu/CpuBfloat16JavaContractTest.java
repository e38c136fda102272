package hrm.tensor.cpu;

import hrm.tensor.Backend;
import hrm.tensor.BackendContract;
import hrm.tensor.DataType;
import hrm.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Compact bfloat16 tensors take 2 bytes a value; float32 ones stay as they are; other operations refuse them in one line. */
    @Test
    void compactBfloat16TensorsAreTwoBytesAndOnlyTheirOperationsTakeThem() {
        Tensor c = be.allocateCompact(10, DataType.BFLOAT16);
        assertInstanceOf(Bf16Tensor.class, c);
        assertEquals(20, c.segment().byteSize());
        assertInstanceOf(CpuTensor.class, be.allocateCompact(10, DataType.FLOAT32));
        Tensor plain = be.allocate(10, DataType.BFLOAT16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.add(c, plain, plain));
        assertTrue(e.getMessage().contains("allocateCompact"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.gatherRows(c, 0, 1, plain, 1, 10));
    }
}
