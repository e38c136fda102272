package hrm.eval;

import hrm.model.HrmFamily;
import hrm.model.ModelFamily;
import hrm.model.TrmFamily;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where solve says ACT would halt: HRM compares q_halt with q_continue, TRM (no_ACT_continue) asks q_halt > 0. */
class SinglePuzzleRunTest {
    @Test
    void theHaltingRuleFollowsTheFamily() {
        ModelFamily hrm = new HrmFamily(1, 1, 1, 1), trm = new TrmFamily(1, 1, 0, 1, 0, false, true);
        assertFalse(hrm.actHalts(0.5f, 3f), "HRM: q_halt below q_continue goes on");
        assertTrue(hrm.actHalts(-1f, -5f), "HRM: q_halt above q_continue halts, even when negative");
        assertTrue(trm.actHalts(0.5f, 3f), "TRM: q_halt > 0 halts whatever q_continue says");
        assertFalse(trm.actHalts(-1f, -5f), "TRM: q_halt <= 0 goes on");
        assertTrue(new TrmFamily(1, 1, 0, 1, 0, false, false).actHalts(-1f, -5f), "TRM with no_ACT_continue False: HRM's rule");
    }
}
