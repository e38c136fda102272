package hrm.tensor.cpu;

import hrm.tensor.DataType;
import hrm.tensor.Product;
import hrm.tensor.dnnl.OneDnn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The CPU backend's answers to {@link hrm.tensor.Backend#describe}, {@link hrm.tensor.Backend#computePath} and {@link hrm.tensor.Backend#productsLabel}. */
final class ComputePathText {
    private ComputePathText() {}

    /** The library as a checkpoint's compute path and a product-plan store name it: its version and the instruction set its kernels chose. */
    static String nativeLibrary(OneDnn d) {
        return "oneDNN " + d.version() + " isa 0x" + Integer.toHexString(d.cpuIsa());
    }

    static String describe(DataType act, CpuBackend be) {
        if (act != DataType.BFLOAT16) return "float32";
        Map<Product, ProductPlan.Choice> choices = be.productChoices();
        ProductPlan plan = be.productPlan();
        if (plan.forcedPath() == ProductPlan.Path.JAVA) return "bfloat16 (products on the Java kernels)";
        String dnnl = "oneDNN " + OneDnn.get().orElseThrow().version(); // the backend has the library loaded: nothing is loaded here
        if (plan.forcedPath() == ProductPlan.Path.ONEDNN) return "bfloat16 (products on " + dnnl + ")";
        if (choices.isEmpty()) return "bfloat16 (products chosen by measurement: none planned yet)";
        StringBuilder b = new StringBuilder("bfloat16 (products chosen by measurement:");
        String sep = " ";
        for (ProductPlan.Path path : ProductPlan.Path.values()) {
            ProductPlan.Path other = path == ProductPlan.Path.JAVA ? ProductPlan.Path.ONEDNN : ProductPlan.Path.JAVA;
            double flops = 0, seconds = 0, otherSeconds = 0;
            int n = 0, unmeasured = 0;
            for (var e : choices.entrySet()) {
                ProductPlan.Choice c = e.getValue();
                if (c.path() != path) continue;
                n++;
                if (Double.isNaN(c.gflops())) {
                    unmeasured++;
                    continue;
                }
                flops += e.getKey().flops();
                seconds += e.getKey().flops() / (c.gflops() * 1e9);
                otherSeconds += e.getKey().flops() / ((path == ProductPlan.Path.JAVA ? c.onednnGflops() : c.javaGflops()) * 1e9);
            }
            if (n == 0) continue;
            b.append(sep).append(path == ProductPlan.Path.ONEDNN ? dnnl : "the " + path.label).append(" for ").append(n).append(" of ").append(choices.size());
            if (n > unmeasured)
                b.append(String.format(Locale.ROOT, " at %.0f GFLOP/s (%s: %.0f)", flops / seconds / 1e9,
                        other == ProductPlan.Path.ONEDNN ? dnnl : other.label, flops / otherSeconds / 1e9));
            if (unmeasured > 0) b.append(n > unmeasured ? ", " : " (").append(unmeasured).append(" too small to measure").append(n > unmeasured ? "" : ")");
            sep = "; ";
        }
        if (be.productMeasuringSeconds() >= 0.05) b.append(String.format(Locale.ROOT, "; measured now in %.1f s", be.productMeasuringSeconds()));
        if (plan.store() != null) b.append("; kept in ").append(plan.store().file());
        return b.append(')').toString();
    }

    static String computePath(DataType act, CpuBackend be) {
        String java = "Java kernels " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit";
        if (act != DataType.BFLOAT16) return "float32, " + java;
        ProductPlan plan = be.productPlan();
        if (plan.forcedPath() == ProductPlan.Path.JAVA) return "bfloat16, " + java;
        String dnnl = nativeLibrary(OneDnn.get().orElseThrow());
        if (plan.forcedPath() == ProductPlan.Path.ONEDNN) return "bfloat16, products on " + dnnl + ", " + java;
        List<String> onDnnl = new ArrayList<>();
        be.productChoices().forEach((p, c) -> {
            if (c.path() == ProductPlan.Path.ONEDNN) onDnnl.add(p.key());
        });
        if (onDnnl.isEmpty()) return "bfloat16, " + java;
        Collections.sort(onDnnl);
        return "bfloat16, products on " + dnnl + " for " + String.join(", ", onDnnl) + ", " + java;
    }

    static String productsLabel(DataType act, CpuBackend be) {
        if (act == DataType.FLOAT32) return "java-f32";
        long onDnnl = be.productChoices().values().stream().filter(c -> c.path() == ProductPlan.Path.ONEDNN).count();
        int all = be.productChoices().size();
        if (onDnnl == 0) return "java-bf16";
        if (onDnnl == all) return "onednn-bf16";
        return "bf16 on java for " + (all - onDnnl) + ", onednn for " + onDnnl + " products";
    }
}
