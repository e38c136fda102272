package hrm.tensor.cpu;

import hrm.tensor.DataType;
import hrm.tensor.Product;
import hrm.tensor.dnnl.OneDnn;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Measuring a product's paths on a real backend: rates that mean something, nothing of the model touched. */
class ProductMeasurementTest {
    @Test
    void everyPathIsTimedOnItsOwnTensorsAndTheChoiceIsTheFaster() {
        var dnnl = OneDnn.get().filter(OneDnn::nativeBf16);
        ProductPlan plan = dnnl.isPresent() ? ProductPlan.measured(null) : ProductPlan.forced(ProductPlan.Path.JAVA);
        try (CpuBackend be = new CpuBackend(2, dnnl.orElse(null), plan)) {
            // a weight the model holds, its bfloat16 copy made by a product, then the same shape measured
            CpuTensor w = be.allocate(96 * 64, DataType.FLOAT32), x = be.allocate(300 * 64, DataType.BFLOAT16), y = be.allocate(300 * 96, DataType.BFLOAT16);
            for (int i = 0; i < w.len(); i++) w.a()[i] = (float) Math.sin(i);
            for (int i = 0; i < x.len(); i++) x.a()[i] = Bf16.round((float) Math.cos(i));
            float[] wBefore = w.a().clone(), xBefore = x.a().clone();
            List<Product> products = List.of(Product.ofLayer(300, 64, 96));
            Map<Product, ProductPlan.Choice> chosen = new java.util.LinkedHashMap<>();
            be.planProducts(products);
            chosen.putAll(be.productChoices());
            assertEquals(3, chosen.size());
            for (var e : chosen.entrySet()) {
                ProductPlan.Choice c = e.getValue();
                if (dnnl.isEmpty()) {
                    assertEquals(ProductPlan.Path.JAVA, c.path());
                    continue;
                }
                assertTrue(c.javaGflops() > 0.05 && c.javaGflops() < 1e5, e.toString());
                assertTrue(c.onednnGflops() > 0.05 && c.onednnGflops() < 1e5, e.toString());
                assertEquals(c.onednnGflops() > ProductPlan.Choice.NATIVE_MARGIN * c.javaGflops() ? ProductPlan.Path.ONEDNN : ProductPlan.Path.JAVA,
                        c.path(), e.toString());
            }
            assertTrue(dnnl.isEmpty() || be.productMeasuringSeconds() > 0);
            assertArrayEquals(wBefore, w.a());
            assertArrayEquals(xBefore, x.a());
            be.linear(x, w, y, 300, 64, 96);
            double worst = 0;
            for (int r = 0; r < 300; r++)
                for (int o = 0; o < 96; o++) {
                    double s = 0;
                    for (int k = 0; k < 64; k++) s += (double) x.a()[r * 64 + k] * Bf16.round(w.a()[o * 64 + k]);
                    worst = Math.max(worst, Math.abs(y.a()[r * 96 + o] - s) / (1 + Math.abs(s)));
                }
            assertTrue(worst < 1e-2, "the product after measuring: " + worst);
            assertEquals(chosen, be.productChoices(), "running a planned product measures nothing more");
            for (float v : y.a()) assertEquals(Bf16.round(v), v, "a bfloat16 output holds bfloat16 values");
        }
    }
}
