package hrm.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The diagnosis NoAllocationTest prints when it fails names the method that allocated. */
class AllocationSitesTest {
    static volatile Object sink;

    static void allocatesAKilobyte() {
        sink = new byte[1024];
    }

    @Test
    void namesTheAllocatingMethod() {
        String sites = AllocationSites.of(() -> {
            for (int i = 0; i < 20_000; i++) allocatesAKilobyte();
        }, new long[]{Thread.currentThread().threadId()}, 3);
        assertTrue(sites.contains("AllocationSitesTest.allocatesAKilobyte"), sites);
        assertTrue(sites.contains("[B"), sites);
    }
}
