package hrm.tensor.cpu;

import hrm.tensor.Product;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** How a plan chooses each product's path, measures a shape once per machine, and what its store keeps. */
class ProductPlanTest {
    static final Map<String, String> MACHINE = Map.of("model_name", "Test CPU", "threads", "2", "native", "oneDNN 3.3.4 isa 0xe7");
    static final Product FWD = new Product(Product.Kind.FORWARD, 2624, 512, 1536), DW = new Product(Product.Kind.WEIGHT_GRADIENT, 2624, 512, 512);

    /** Java at 300 GFLOP/s on forwards, oneDNN at 200; the reverse on weight gradients; records what it measured. */
    static final class FakeMeasurer implements ProductPlan.Measurer {
        final List<Product> measured = new ArrayList<>();

        @Override
        public ProductPlan.Choice measure(Product p) {
            measured.add(p);
            return p.kind() == Product.Kind.FORWARD ? ProductPlan.Choice.of(300, 200) : ProductPlan.Choice.of(100, 350);
        }
    }

    @Test
    void eachProductTakesTheFasterPathMeasuredOnceAndRemembered(@TempDir Path dir) {
        ProductPlanStore store = ProductPlanStore.in(dir, MACHINE, line -> fail(line));
        ProductPlan plan = ProductPlan.measured(store);
        FakeMeasurer m = new FakeMeasurer();
        Map<Product, ProductPlan.Choice> chosen = plan.chooseAll(List.of(FWD, DW, FWD), m);
        assertEquals(ProductPlan.Path.JAVA, chosen.get(FWD).path());
        assertEquals(ProductPlan.Path.ONEDNN, chosen.get(DW).path());
        assertEquals(350, chosen.get(DW).gflops());
        assertEquals(List.of(FWD, DW), m.measured, "each shape once");
        assertEquals(ProductPlan.Path.ONEDNN, plan.choose(DW, p -> fail("measured again")).path());
        assertTrue(Files.isRegularFile(store.file()));

        // another process on the same machine reads the choices instead of measuring
        ProductPlan next = ProductPlan.measured(ProductPlanStore.in(dir, MACHINE, line -> fail(line)));
        assertEquals(ProductPlan.Path.JAVA, next.choose(FWD, p -> fail("measured again")).path());
        assertEquals(300, next.choose(FWD, p -> fail("measured again")).javaGflops());
        assertEquals(200, next.choose(FWD, p -> fail("measured again")).onednnGflops());

        // a new shape is measured and added beside the others
        Product other = new Product(Product.Kind.INPUT_GRADIENT, 7208, 512, 3072);
        FakeMeasurer m2 = new FakeMeasurer();
        next.choose(other, m2);
        assertEquals(List.of(other), m2.measured);
        ProductPlan third = ProductPlan.measured(ProductPlanStore.in(dir, MACHINE, line -> fail(line)));
        assertEquals(ProductPlan.Path.ONEDNN, third.choose(DW, p -> fail("measured again")).path());
        assertEquals(ProductPlan.Path.ONEDNN, third.choose(other, p -> fail("measured again")).path());
    }

    @Test
    void theMissingProductsAreMeasuredTogetherInOneCall(@TempDir Path dir) {
        ProductPlan plan = ProductPlan.measured(ProductPlanStore.in(dir, MACHINE, line -> fail(line)));
        plan.chooseAll(List.of(FWD), new FakeMeasurer());
        List<List<Product>> calls = new ArrayList<>();
        Product other = new Product(Product.Kind.INPUT_GRADIENT, 2624, 512, 3072);
        plan.chooseAll(List.of(FWD, DW, other, DW), new ProductPlan.Measurer() {
            @Override
            public ProductPlan.Choice measure(Product p) {
                throw new AssertionError("one at a time");
            }

            @Override
            public Map<Product, ProductPlan.Choice> measureAll(List<Product> ps) {
                calls.add(List.copyOf(ps));
                Map<Product, ProductPlan.Choice> out = new java.util.LinkedHashMap<>();
                for (Product p : ps) out.put(p, ProductPlan.Choice.of(1, 2));
                return out;
            }
        });
        assertEquals(List.of(List.of(DW, other)), calls, "the known one left out, each missing one once, in one call");
    }

    @Test
    void twoProcessesMeasuringAtOnceKeepEachOthersShapes(@TempDir Path dir) {
        ProductPlan a = ProductPlan.measured(ProductPlanStore.in(dir, MACHINE, line -> fail(line)));
        ProductPlan b = ProductPlan.measured(ProductPlanStore.in(dir, MACHINE, line -> fail(line))); // read the file before a wrote
        a.chooseAll(List.of(FWD), new FakeMeasurer());
        b.chooseAll(List.of(DW), new FakeMeasurer());
        Map<String, ProductPlan.Choice> stored = ProductPlanStore.in(dir, MACHINE, line -> fail(line)).load();
        assertEquals(java.util.Set.of(FWD.key(), DW.key()), stored.keySet());
    }

    @Test
    void measuringAgainReplacesTheGivenShapesAndKeepsTheRest(@TempDir Path dir) {
        ProductPlan.measured(ProductPlanStore.in(dir, MACHINE, line -> fail(line))).chooseAll(List.of(FWD, DW), new FakeMeasurer());
        ProductPlan again = ProductPlan.measuredAgain(ProductPlanStore.in(dir, MACHINE, line -> fail(line)));
        again.chooseAll(List.of(FWD), p -> ProductPlan.Choice.of(100, 400)); // the machine changed its mind
        ProductPlan after = ProductPlan.measured(ProductPlanStore.in(dir, MACHINE, line -> fail(line)));
        assertEquals(ProductPlan.Path.ONEDNN, after.choose(FWD, p -> fail("measured again")).path());
        assertEquals(ProductPlan.Path.ONEDNN, after.choose(DW, p -> fail("dropped by measuring FWD again")).path());
    }

    @Test
    void anotherMachineDescriptionIsAnotherFileAndADamagedOneIsMeasuredAgain(@TempDir Path dir) throws Exception {
        ProductPlanStore store = ProductPlanStore.in(dir, MACHINE, line -> fail(line));
        ProductPlan.measured(store).chooseAll(List.of(FWD), new FakeMeasurer());
        Map<String, String> more = new java.util.HashMap<>(MACHINE);
        more.put("threads", "4");
        ProductPlanStore four = ProductPlanStore.in(dir, more, line -> fail(line));
        assertFalse(four.file().equals(store.file()));
        FakeMeasurer m = new FakeMeasurer();
        ProductPlan.measured(four).choose(FWD, m);
        assertEquals(List.of(FWD), m.measured, "4 threads are not 2");

        // the right name with another machine inside (copied by hand) is not trusted
        Files.copy(four.file(), store.file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(ProductPlanStore.in(dir, MACHINE, line -> fail(line)).load().isEmpty());

        for (String damaged : new String[] {"{\"format\": 1, \"machine\": ", "[]", "{\"format\": 1, \"machine\": {}, \"products\": 7}", ""}) {
            Files.writeString(store.file(), damaged);
            assertTrue(ProductPlanStore.in(dir, MACHINE, line -> fail(line)).load().isEmpty(), damaged);
            FakeMeasurer again = new FakeMeasurer();
            ProductPlan.measured(ProductPlanStore.in(dir, MACHINE, line -> fail(line))).choose(FWD, again);
            assertEquals(List.of(FWD), again.measured);
            assertEquals(ProductPlan.Path.JAVA, ProductPlanStore.in(dir, MACHINE, line -> fail(line)).load().get(FWD.key()).path(), "replaced");
        }
        // a path nobody wrote
        Files.writeString(store.file(), Files.readString(store.file()).replace("\"JAVA\"", "\"GPU\""));
        assertTrue(ProductPlanStore.in(dir, MACHINE, line -> fail(line)).load().isEmpty());
    }

    @Test
    void aFileBeyondTheLimitIsNotRead(@TempDir Path dir) throws Exception {
        ProductPlanStore store = ProductPlanStore.in(dir, MACHINE, line -> fail(line));
        ProductPlan.measured(store).chooseAll(List.of(FWD), new FakeMeasurer());
        String valid = Files.readString(store.file());
        Files.writeString(store.file(), valid + " ".repeat((int) ProductPlanStore.LIMIT));
        assertTrue(store.load().isEmpty());
    }

    @Test
    void aCacheThatCannotBeWrittenKeepsThePlanInMemoryAfterOneNotice(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("not-a-directory");
        Files.writeString(file, "a file where the cache folder should be");
        List<String> notices = new ArrayList<>();
        ProductPlan plan = ProductPlan.measured(ProductPlanStore.in(file.resolve("products"), MACHINE, notices::add));
        plan.choose(FWD, new FakeMeasurer());
        plan.choose(DW, new FakeMeasurer());
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("stay in memory"), notices.get(0));
        assertEquals(ProductPlan.Path.ONEDNN, plan.choose(DW, p -> fail("measured again")).path());
        assertEquals("a file where the cache folder should be", Files.readString(file));
    }

    @Test
    void theNativePathMustWinByItsMarginAndForcedPlansMeasureNothing() {
        assertEquals(ProductPlan.Path.JAVA, ProductPlan.Choice.of(100, 104).path(), "within the cost of switching threads");
        assertEquals(ProductPlan.Path.ONEDNN, ProductPlan.Choice.of(100, 106).path());
        assertEquals(ProductPlan.Path.JAVA, ProductPlan.Choice.of(200, 100).path());
        for (ProductPlan.Path p : ProductPlan.Path.values())
            assertEquals(p, ProductPlan.forced(p).choose(FWD, x -> fail("a forced plan measured")).path());
    }

    /**
     * A plan per sample chooses a batch's product as its one-sample product (measured at that shape
     * only); a product with no one-sample match, or with several, keeps its own choice.
     */
    @Test
    void perSamplePlansChooseEachProductAsItsOneSampleProduct() {
        Product one = new Product(Product.Kind.FORWARD, 82, 512, 1536), q = new Product(Product.Kind.FORWARD, 1, 512, 2);
        ProductPlan plan = ProductPlan.byRule(p -> p.rows() > 100 ? ProductPlan.Path.ONEDNN : ProductPlan.Path.JAVA).perSample(List.of(one, q));
        Product eight = new Product(Product.Kind.FORWARD, 656, 512, 1536), qEight = new Product(Product.Kind.FORWARD, 8, 512, 2);
        Product other = new Product(Product.Kind.FORWARD, 656, 512, 512), odd = new Product(Product.Kind.FORWARD, 600, 512, 1536);
        Map<Product, ProductPlan.Choice> chosen = plan.chooseAll(List.of(one, eight, qEight, other, odd), x -> fail("a rule measures nothing"));
        assertEquals(ProductPlan.Path.JAVA, chosen.get(eight).path(), "656 rows: 8 samples of the 82-row product");
        assertEquals(ProductPlan.Path.JAVA, chosen.get(qEight).path());
        assertEquals(ProductPlan.Path.ONEDNN, chosen.get(other).path(), "no one-sample product of that layer: its own shape");
        assertEquals(ProductPlan.Path.ONEDNN, chosen.get(odd).path(), "600 rows are no whole number of 82-row samples");
        ProductPlan ambiguous = ProductPlan.byRule(p -> p.rows() > 100 ? ProductPlan.Path.ONEDNN : ProductPlan.Path.JAVA)
                .perSample(List.of(one, new Product(Product.Kind.FORWARD, 41, 512, 1536)));
        assertEquals(ProductPlan.Path.ONEDNN, ambiguous.choose(eight, x -> fail("measured")).path(), "two candidates: its own shape");
        FakeMeasurer m = new FakeMeasurer();
        ProductPlan.measured(null).perSample(List.of(FWD)).choose(new Product(Product.Kind.FORWARD, 4 * FWD.rows(), FWD.in(), FWD.out()), m);
        assertEquals(List.of(FWD), m.measured, "the one-sample shape is measured, not the batch's");
    }

    @Test
    void theMachineDescriptionNamesWhatTheRatesDependOn() {
        Map<String, String> m = ProductPlanStore.describeMachine(3, "oneDNN 3.3.4 isa 0xe7");
        assertEquals("3", m.get("threads"));
        assertEquals("oneDNN 3.3.4 isa 0xe7", m.get("native"));
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), m.get("logical_cores"));
        assertEquals(Integer.toString(ProductPlanStore.KERNELS), m.get("kernels"));
        assertTrue(m.containsKey("java_vector_bits") && m.containsKey("arch"));
        if (Files.isReadable(Path.of("/proc/cpuinfo"))) assertTrue(m.containsKey("model_name") && m.containsKey("flags"), m.toString());
        assertFalse(ProductPlanStore.digest(m).equals(ProductPlanStore.digest(ProductPlanStore.describeMachine(4, "oneDNN 3.3.4 isa 0xe7"))));
    }
}
