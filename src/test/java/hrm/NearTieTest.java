package hrm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NearTieTest {
    @Test
    void equalResultsAgree() {
        assertFalse(NearTie.differsAtNearTie("x", true, 5.0, 0.0));
        assertFalse(NearTie.differsAtNearTie("x", true, 0.0, 0.0));
    }

    @Test
    void differenceWithinTheToleranceIsANearTie() {
        // the cases: halting at q_halt - q_continue = -0.023, argmax margin 0.027 at logits of 0.7
        // (q values of about 3; a cell of 11 logits of about 0.7)
        assertTrue(NearTie.differsAtNearTie("halt", false, -0.023, NearTie.tolerance(8e-2, Math.hypot(3.1, 3.123), 1.0)));
        assertTrue(NearTie.differsAtNearTie("cell", false, 0.027, NearTie.tolerance(2.5e-2, Math.sqrt(11) * 0.7, Math.sqrt(11) * 0.6)));
        assertTrue(NearTie.differsAtNearTie("tie", false, 0.0, 0.0));
    }

    @Test
    void differenceBeyondTheToleranceFails() {
        AssertionError e = assertThrows(AssertionError.class, () -> NearTie.differsAtNearTie("cell 3", false, 0.2, NearTie.tolerance(2.5e-2, 2, 2)));
        assertTrue(e.getMessage().contains("cell 3") && e.getMessage().contains("0.2"), e.getMessage());
        assertThrows(AssertionError.class, () -> NearTie.differsAtNearTie("halt", false, -0.6, NearTie.tolerance(8e-2, 3, 1)));
        // float32 decisions: tolerance 0, any difference at a non-zero margin fails
        assertThrows(AssertionError.class, () -> NearTie.differsAtNearTie("halt", false, 1e-7, 0.0));
    }

    @Test
    void toleranceIsSqrt2TimesTheRelativeToleranceTimesTheRowNormBoundedBelowByTheTensorsScale() {
        assertEquals(Math.sqrt(2) * 0.025, NearTie.tolerance(2.5e-2, 1.0, 0.5), 1e-12);
        assertEquals(Math.sqrt(2) * 0.05, NearTie.tolerance(2.5e-2, 1.0, 2.0), 1e-12);
        assertEquals(0.0, NearTie.tolerance(0, 5, 5), "float32 decisions: no near ties");
    }

    @Test
    void argmaxAndMargin() {
        float[] v = {9, 0.5f, 0.7f, 0.673f, -1, 9};
        assertEquals(1, NearTie.argmax(v, 1, 4), "index within the row: v[2]");
        assertEquals(0.027, NearTie.argmaxMargin(v, 1, 4), 1e-6);
        assertEquals(0, NearTie.argmax(v, 0, 6), "first of equal maxima, as torch.argmax");
        assertEquals(0.0, NearTie.argmaxMargin(v, 0, 6));
        assertEquals(Math.sqrt((0.25 + 0.49) / 2), NearTie.rms(v, 1, 2), 1e-6);
        assertEquals(Math.sqrt(0.25 + 0.49), NearTie.norm(v, 1, 2), 1e-6);
        assertEquals(Math.sqrt((9 + 16) / 2.0), NearTie.rms(new float[]{3}, new float[]{-4}), 1e-12);
    }
}
