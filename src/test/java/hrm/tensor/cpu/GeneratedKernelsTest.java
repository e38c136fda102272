package hrm.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The unrolled micro-kernels of {@link AttnKernels} and {@link SgemmKernels} are exactly what
 * {@link KernelGenerator} writes, so they cannot drift from it (nor it from them), and the generator's
 * shapes are the kernels' constants.
 */
class GeneratedKernelsTest {
    private static final String HOW = "change KernelGenerator and run it (java src/test/java/hrm/tensor/cpu/KernelGenerator.java)";

    private static void assertGenerated(Path file) throws IOException {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        assertEquals(KernelGenerator.generated(file), KernelGenerator.region(source),
                file + ": the code between the generator's markers is not what it writes; " + HOW);
    }

    @Test
    void theAttentionKernelsAreTheGeneratorsOutput() throws IOException {
        assertGenerated(KernelGenerator.ATTN);
    }

    @Test
    void theGemmKernelIsTheGeneratorsOutput() throws IOException {
        assertGenerated(KernelGenerator.SGEMM);
    }

    @Test
    void theGeneratorsShapesAreTheKernelsConstants() {
        assertEquals(AttnKernels.MR, KernelGenerator.ATTN_ROWS, "rows of an attention micro-kernel");
        int[] widths = KernelGenerator.ATTN_WIDTHS;
        assertEquals(AttnKernels.NR, widths[0] * AttnKernels.L, "the widest attention panel");
        // panelWidth hands out exactly the widths there are kernels for: 4, 2 and 1 vectors
        for (int w : widths) assertEquals(w * AttnKernels.L, AttnKernels.panelWidth(0, w * AttnKernels.L), w + " vectors");
        assertEquals(SgemmKernels.MR, KernelGenerator.SGEMM_ROWS, "rows of the GEMM micro-kernel");
        assertEquals(SgemmKernels.NR, 2 * SgemmKernels.VL, "the GEMM micro-kernel is two vectors wide");
    }

    @Test
    void rewritingARegionKeepsEverythingAroundIt() {
        String source = "class X {\n" + KernelGenerator.BEGIN + "\nold\n" + KernelGenerator.END + "\n}\n";
        String now = KernelGenerator.replaceRegion(source, "new\nlines\n");
        assertEquals("class X {\n" + KernelGenerator.BEGIN + "\nnew\nlines\n" + KernelGenerator.END + "\n}\n", now);
        assertEquals("new\nlines\n", KernelGenerator.region(now));
    }
}
