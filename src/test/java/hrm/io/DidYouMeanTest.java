package hrm.io;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DidYouMeanTest {
    private static final Set<String> KEYS = Set.of("hidden_size", "H_cycles", "L_cycles", "epochs", "lr", "lr_min_ratio",
            "data_path", "data_paths", "checkpoint", "beta1", "beta2", "arch");

    @Test
    void aTypoGetsTheKeyItMissed() {
        assertEquals(List.of("hidden_size"), DidYouMean.closest("hiden_size", KEYS), "a letter dropped");
        assertEquals(List.of("H_cycles"), DidYouMean.closest("H_cylces", KEYS), "two letters swapped: one edit");
        assertEquals(List.of("checkpoint"), DidYouMean.closest("checkpont", KEYS));
        assertEquals(List.of("epochs"), DidYouMean.closest("epoch", KEYS));
        assertEquals(List.of("data_path"), DidYouMean.closest("data_pth", KEYS), "the nearest only: data_paths is two edits away");
        assertEquals(List.of("beta1", "beta2"), DidYouMean.closest("beta3", KEYS), "equally near: both");
    }

    @Test
    void caseUnderscoreAndHyphenSlipsAlwaysCount() {
        assertEquals(List.of("H_cycles"), DidYouMean.closest("h_cycles", KEYS));
        assertEquals(List.of("hidden_size"), DidYouMean.closest("hidden-size", KEYS));
        assertEquals(List.of("hidden_size"), DidYouMean.closest("HIDDENSIZE", KEYS), "three slips, still the same name");
        assertEquals(List.of("--config-name"), DidYouMean.closest("--config_name", Set.of("--config-name", "--config-dir")));
    }

    @Test
    void anUnrelatedWordGetsNothing() {
        assertEquals(List.of(), DidYouMean.closest("learning_rate", KEYS));
        assertEquals(List.of(), DidYouMean.closest("xyz", KEYS));
        assertEquals(List.of(), DidYouMean.closest("ep", KEYS), "a short word: one edit at most, and lr is two");
        assertEquals(List.of(), DidYouMean.closest("size", KEYS), "a part of a name is not a slip");
    }

    @Test
    void theMessageNamesTheKeyTheSuggestionAndTheKnownKeys() {
        assertEquals("arch.hiden_size: unknown key; did you mean arch.hidden_size? (known: H_cycles, hidden_size)",
                DidYouMean.unknownKey("arch.", "hiden_size", Set.of("hidden_size", "H_cycles")));
        assertEquals("beta3: unknown key; did you mean beta1 or beta2? (known: beta1, beta2, lr)",
                DidYouMean.unknownKey("", "beta3", Set.of("lr", "beta2", "beta1")));
        assertEquals("weight: unknown key (known: loss_type, name)", DidYouMean.unknownKey("", "weight", Set.of("name", "loss_type")));
    }

    @Test
    void distanceCountsASwapAsOneEdit() {
        assertEquals(1, DidYouMean.distance("ab", "ba"));
        assertEquals(3, DidYouMean.distance("kitten", "sitting"));
        assertEquals(0, DidYouMean.distance("", ""));
        assertEquals(4, DidYouMean.distance("", "abcd"));
    }
}
