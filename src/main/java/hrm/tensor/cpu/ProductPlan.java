package hrm.tensor.cpu;

import hrm.tensor.Product;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which implementation computes each bfloat16 matrix product: forced to one path ({@code HRM_NATIVE=off}
 * or {@code require}, or where only one exists), or chosen per product by measuring every path on
 * its shape the first time it is seen, the choices kept in a {@link ProductPlanStore} so that a
 * machine measures a shape once. Shared by the backends of one process; thread-safe.
 */
public final class ProductPlan {
    /** The implementations of a bfloat16 product. */
    public enum Path {
        JAVA("Java kernels"), ONEDNN("oneDNN");

        public final String label;

        Path(String label) {
            this.label = label;
        }
    }

    /**
     * A product's path and the rates measured for each path (GFLOP/s, NaN where not measured). The
     * native path must be this much faster to be chosen: switching between our worker threads and
     * OpenMP's costs time that a product measured alone does not see.
     */
    public record Choice(Path path, double javaGflops, double onednnGflops) {
        static final double NATIVE_MARGIN = 1.05;

        static Choice of(double javaGflops, double onednnGflops) {
            boolean nativeFaster = onednnGflops > NATIVE_MARGIN * javaGflops;
            return new Choice(nativeFaster ? Path.ONEDNN : Path.JAVA, javaGflops, onednnGflops);
        }

        /** A path taken without measuring (forced, by a rule, or a product too small to time). */
        static Choice unmeasured(Path path) {
            return new Choice(path, Double.NaN, Double.NaN);
        }

        /** The rate of the chosen path. */
        public double gflops() {
            return path == Path.JAVA ? javaGflops : onednnGflops;
        }
    }

    /** Times every path on a product's shape. */
    @FunctionalInterface
    interface Measurer {
        Choice measure(Product p);

        /** Every product of {@code ps} (distinct); by default one after the other. */
        default Map<Product, Choice> measureAll(List<Product> ps) {
            Map<Product, Choice> out = new LinkedHashMap<>();
            for (Product p : ps) out.put(p, measure(p));
            return out;
        }
    }

    private final ProductPlan bySample; // non-null: this plan's choices are bySample's for one sample (perSample)
    private final List<Product> oneSample; // the products of a model of one sample, with bySample
    private final Path forced; // null: chosen by measurement (or by the rule)
    private final java.util.function.Function<Product, Path> rule; // null: measured
    private final ProductPlanStore store; // null: kept in memory only
    private final Map<String, Choice> choices = new HashMap<>();
    private final Map<String, Choice> keptAside = new HashMap<>(); // stored choices this plan measures again

    private ProductPlan(Path forced, ProductPlanStore store, boolean again, java.util.function.Function<Product, Path> rule) {
        this.bySample = null;
        this.oneSample = List.of();
        this.forced = forced;
        this.rule = rule;
        this.store = store;
        if (store != null) (again ? keptAside : choices).putAll(store.load());
    }

    /** Every product on one path, nothing measured. */
    public static ProductPlan forced(Path path) {
        return new ProductPlan(path, null, false, null);
    }

    /** Chosen by measurement; the choices read from and added to {@code store} (null: this process only). */
    public static ProductPlan measured(ProductPlanStore store) {
        return new ProductPlan(null, store, false, null);
    }

    /** Chosen by measuring every product again ({@code hrm tune}); the other stored choices are kept. */
    public static ProductPlan measuredAgain(ProductPlanStore store) {
        return new ProductPlan(null, store, true, null);
    }

    private ProductPlan(ProductPlan bySample, List<Product> oneSample) {
        this.bySample = bySample;
        this.oneSample = List.copyOf(oneSample);
        this.forced = bySample.forced;
        this.rule = null;
        this.store = bySample.store;
    }

    /**
     * This plan for a backend whose models of any number of samples must compute each sample
     * exactly as its model of one sample does ({@code hrm serve} batching requests): a product
     * takes the path this plan gives the same product of the one-sample model, the one of
     * {@code oneSample} (that model's products) with the same kind, inputs and outputs whose rows
     * divide its rows. The paths round differently (oneDNN's bfloat16 products and the Java kernels
     * sum in other orders), while each path alone computes a row the same whatever the rows beside
     * it; choosing per shape would put the same layer on another path at another batch size (the
     * output head of 82 rows is too small to measure and runs on the Java kernels, at 656 rows
     * oneDNN was measured faster), and a puzzle's answer would depend on the puzzles batched with
     * it. A product with no such one-sample product, or with several, takes its own choice.
     */
    public ProductPlan perSample(List<Product> oneSample) {
        return new ProductPlan(this, oneSample);
    }

    /** The product of the one-sample model that {@code p} computes per sample, or {@code p} itself where there is not exactly one. */
    private Product sampleOf(Product p) {
        Product found = null;
        for (Product q : oneSample)
            if (q.kind() == p.kind() && q.in() == p.in() && q.out() == p.out() && p.rows() % q.rows() == 0) {
                if (found != null && !found.equals(q)) return p;
                found = q;
            }
        return found == null ? p : found;
    }

    /** Each product on the path {@code rule} gives, nothing measured (the backend contract runs the paths mixed). */
    static ProductPlan byRule(java.util.function.Function<Product, Path> rule) {
        return new ProductPlan(null, null, false, rule);
    }

    /**
     * Writes this plan's choices over what the file holds now: another process on the machine may
     * have added shapes since this one read it, and they are kept.
     */
    private void save() {
        if (store == null) return;
        Map<String, Choice> all = new HashMap<>(store.load());
        all.putAll(keptAside);
        all.putAll(choices);
        store.save(all);
    }

    /** The path every product takes, or null where each is chosen by measurement. */
    public Path forcedPath() {
        return forced;
    }

    public ProductPlanStore store() {
        return store;
    }

    /** The choice for {@code p}: measured now (and stored) if this machine has not measured it before. */
    synchronized Choice choose(Product p, Measurer measurer) {
        return chooseAll(List.of(p), measurer).get(p);
    }

    /** The choices for {@code products}, those not known yet measured together; stored once. */
    synchronized Map<Product, Choice> chooseAll(List<Product> products, Measurer measurer) {
        if (bySample != null) {
            Map<Product, Choice> one = bySample.chooseAll(products.stream().map(this::sampleOf).distinct().toList(), measurer);
            Map<Product, Choice> out = new LinkedHashMap<>();
            for (Product p : products) out.put(p, one.get(sampleOf(p)));
            return out;
        }
        List<Product> missing = new java.util.ArrayList<>();
        for (Product p : products)
            if (forced == null && !choices.containsKey(p.key()) && !missing.contains(p)) missing.add(p);
        if (!missing.isEmpty()) {
            if (rule != null) for (Product p : missing) choices.put(p.key(), Choice.unmeasured(rule.apply(p)));
            else measurer.measureAll(missing).forEach((p, c) -> choices.put(p.key(), c));
            save();
        }
        Map<Product, Choice> out = new LinkedHashMap<>();
        for (Product p : products) out.put(p, forced != null ? Choice.unmeasured(forced) : choices.get(p.key()));
        return out;
    }
}
