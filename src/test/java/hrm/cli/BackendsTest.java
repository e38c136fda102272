package hrm.cli;

import hrm.tensor.DataType;
import hrm.tensor.cpu.CpuBackend;
import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which products a command runs on, and what it says when the native library cannot be had. */
class BackendsTest {
    static final String MISSING = "oneDNN 3.3 (org.bytedeco:dnnl linux-x86_64): libdnnl.so.3: cannot open shared object file";

    @Test
    void withoutTheLibraryBfloat16RunsOnJavaKernelsAfterOneLine() {
        StringWriter err = new StringWriter();
        try (CpuBackend be = Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(err), null, null, MISSING)) {
            assertFalse(be.nativeBf16());
        }
        String said = err.toString();
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.contains("Java kernels") && said.contains(MISSING), said);
    }

    @Test
    void requiringTheNativePathWithoutItIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(new StringWriter()), "require", null, MISSING));
        assertTrue(e.getMessage().contains(MISSING) && e.getMessage().contains("HRM_NATIVE=require"), e.getMessage());
        assertTrue(Main.isBadInput(e), "exit 2");
    }

    @Test
    void anUnknownPolicyIsRefusedNamingTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(new StringWriter()), "fast", null, null));
        assertTrue(e.getMessage().startsWith("HRM_NATIVE = fast"), e.getMessage());
    }

    @Test
    void float32AndOffNeverUseTheLibraryAndSayNothing() {
        StringWriter err = new StringWriter();
        try (CpuBackend a = Backends.cpu(2, DataType.FLOAT32, new PrintWriter(err), null, null, MISSING);
             CpuBackend b = Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(err), "off", OneDnn.get().orElse(null), null)) {
            assertFalse(a.nativeBf16());
            assertFalse(b.nativeBf16());
        }
        assertEquals("", err.toString());
    }

    @Test
    void whereTheLibraryWorksBfloat16UsesIt() {
        String why = Backends.nativeUnavailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(why == null, () -> "not here: " + why);
        StringWriter err = new StringWriter();
        try (CpuBackend be = Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(err), "require", OneDnn.get().orElseThrow(), null)) {
            assertTrue(be.nativeBf16());
            assertTrue(Backends.describe(DataType.BFLOAT16, be).contains("oneDNN 3.3"));
        }
        assertEquals("", err.toString());
    }
}
