package hrm.data.arc;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ArcAugmentationTest {
    @Test
    void mapsColoursBeforeTheTransform() {
        // 1x2 grid [1, 2]; colours 1->3, 2->5; rot90 turns a row into a column read right to left.
        ArcAugmentation a = new ArcAugmentation(1, new int[]{0, 3, 5, 1, 4, 2, 6, 7, 8, 9});
        assertEquals(ArcGrid.of(2, 1, 5, 3), a.apply(ArcGrid.of(1, 2, 1, 2)));
        assertEquals("t1_0351426789", a.suffix());
        assertEquals("abc_t1_0351426789", a.name("abc"));
    }

    @Test
    void inverseUndoesRandomAugmentations() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            ArcAugmentation a = ArcAugmentation.random(rng);
            int rows = 1 + rng.nextInt(30), cols = 1 + rng.nextInt(30);
            ArcGrid g = ArcGrid.of(rows, cols, rng.ints(rows * cols, 0, 10).toArray(), 0);
            assertEquals(g, a.inverse().apply(a.apply(g)), a.suffix());
        }
    }

    @Test
    void randomVersionsFixBlackAndCoverAllTransformsAndMaps() {
        SplittableRandom rng = new SplittableRandom(9);
        Set<Integer> transforms = new HashSet<>();
        Set<Integer> imagesOf1 = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            ArcAugmentation a = ArcAugmentation.random(rng);
            assertEquals(0, a.colour(0));
            transforms.add(a.transform());
            imagesOf1.add(a.colour(1));
        }
        assertEquals(8, transforms.size());
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9), imagesOf1);
    }

    @Test
    void parsesIdentifiersBackIntoTaskAndAugmentation() {
        ArcAugmentation a = new ArcAugmentation(7, new int[]{0, 6, 1, 2, 3, 9, 7, 8, 4, 5});
        ArcAugmentation.Version v = ArcAugmentation.parse(a.name("67636eac"));
        assertEquals("67636eac", v.task());
        assertEquals(a, v.augmentation());
        assertEquals(new ArcAugmentation.Version("AboveBelow10", ArcAugmentation.IDENTITY), ArcAugmentation.parse("AboveBelow10"));
        assertEquals("my_task", ArcAugmentation.parse("my_task_t0_0123456789").task());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArcAugmentation.parse("x_t1_1023456789"));
        assertTrue(e.getMessage().contains("x_t1_1023456789"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ArcAugmentation.parse("x_t1_0113456789"));
    }
}
