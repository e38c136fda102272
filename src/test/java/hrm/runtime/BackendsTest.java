package hrm.runtime;

import hrm.cli.Main;
import hrm.tensor.DataType;
import hrm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Which products a command runs on, and what it says when the native library cannot be had. */
class BackendsTest {
    static final String MISSING = "oneDNN 3.3 (org.bytedeco:dnnl linux-x86_64): libdnnl.so.3: cannot open shared object file";
    static final Supplier<Backends.NativePath> NOT_FOUND = () -> new Backends.NativePath(null, MISSING);

    @Test
    void withoutTheLibraryBfloat16RunsOnJavaKernelsAfterOneLine() {
        StringWriter err = new StringWriter();
        try (CpuBackend be = Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(err), null, NOT_FOUND)) {
            assertFalse(be.nativeBf16());
        }
        String said = err.toString();
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.contains("Java kernels") && said.contains(MISSING), said);
    }

    @Test
    void requiringTheNativePathWithoutItIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(new StringWriter()), "require", NOT_FOUND));
        assertTrue(e.getMessage().contains(MISSING) && e.getMessage().contains("HRM_NATIVE=require"), e.getMessage());
        assertTrue(Main.isBadInput(e), "exit 2");
    }

    @Test
    void anUnknownPolicyIsRefusedNamingTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(new StringWriter()), "fast", NOT_FOUND));
        assertTrue(e.getMessage().startsWith("HRM_NATIVE = fast"), e.getMessage());
    }

    @Test
    void float32AndOffNeverLookForTheLibraryAndSayNothing() {
        StringWriter err = new StringWriter();
        Supplier<Backends.NativePath> never = () -> fail("looked for the library though the run cannot use it");
        try (CpuBackend a = Backends.cpu(2, DataType.FLOAT32, new PrintWriter(err), null, never);
             CpuBackend b = Backends.cpu(2, DataType.FLOAT32, new PrintWriter(err), "require", never);
             CpuBackend c = Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(err), "off", never)) {
            assertFalse(a.nativeBf16());
            assertFalse(b.nativeBf16());
            assertFalse(c.nativeBf16());
        }
        assertEquals("", err.toString());
    }

    @Test
    void whereTheLibraryWorksBfloat16UsesIt() {
        Backends.NativePath found = Backends.nativePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(found.unavailable() == null, () -> "not here: " + found.unavailable());
        StringWriter err = new StringWriter();
        try (CpuBackend be = Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(err), "require", () -> found)) {
            assertTrue(be.nativeBf16());
            assertTrue(be.describe(DataType.BFLOAT16).contains("oneDNN 3.3"));
        }
        assertEquals("", err.toString());
    }

    @Test
    void byDefaultEachProductIsChosenByMeasurementAndTheChoicesAreKept(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Backends.NativePath found = Backends.nativePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(found.unavailable() == null, () -> "not here: " + found.unavailable());
        StringWriter err = new StringWriter();
        java.util.List<java.nio.file.Path> stores = new java.util.ArrayList<>();
        Backends.StoreFinder inDir = (t, d, e) -> {
            var store = hrm.tensor.cpu.ProductPlanStore.in(dir, java.util.Map.of("threads", "" + t, "test", "BackendsTest"), e::println);
            stores.add(store.file());
            return store;
        };
        try (CpuBackend be = Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(err), null, () -> found, inDir)) {
            assertEquals(null, be.productPlan().forcedPath());
            be.planProducts(java.util.List.of(hrm.tensor.Product.ofLayer(256, 128, 384)));
            var choices = be.productChoices();
            assertEquals(3, choices.size());
            String said = be.describe(DataType.BFLOAT16), path = be.computePath(DataType.BFLOAT16);
            assertTrue(said.startsWith("bfloat16 (products chosen by measurement: ") && said.contains("of 3 at ") && said.contains("GFLOP/s")
                    && said.contains("measured now in") && said.contains(stores.get(0).toString()), said);
            choices.forEach((p, c) -> assertEquals(c.path() == hrm.tensor.cpu.ProductPlan.Path.ONEDNN, path.contains(p.key()), path));
            assertEquals(choices.values().stream().anyMatch(c -> c.path() == hrm.tensor.cpu.ProductPlan.Path.ONEDNN), path.contains("oneDNN 3.3"), path);
            assertTrue(java.nio.file.Files.readString(stores.get(0)).contains("\"fwd 256x128x384\""));
        }
        // the next run reads them: nothing measured, the same path
        try (CpuBackend be = Backends.cpu(2, DataType.BFLOAT16, new PrintWriter(err), null, () -> found, inDir)) {
            be.planProducts(java.util.List.of(hrm.tensor.Product.ofLayer(256, 128, 384)));
            assertEquals(0.0, be.productMeasuringSeconds());
            assertTrue(!be.describe(DataType.BFLOAT16).contains("measured now"));
        }
        assertEquals("", err.toString());
    }
}
