package hrm.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where solve says ACT would halt: HRM compares q_halt with q_continue, TRM (no_ACT_continue) asks q_halt > 0. */
class SinglePuzzleRunTest {
    @Test
    void theHaltingRuleFollowsTheFamily() {
        int[] p = new int[1];
        assertFalse(new SinglePuzzleRun.Segment(p, 0.5f, 3f, false).wouldHalt(), "HRM: q_halt below q_continue goes on");
        assertTrue(new SinglePuzzleRun.Segment(p, -1f, -5f, false).wouldHalt(), "HRM: q_halt above q_continue halts, even when negative");
        assertTrue(new SinglePuzzleRun.Segment(p, 0.5f, 3f, true).wouldHalt(), "TRM: q_halt > 0 halts whatever q_continue says");
        assertFalse(new SinglePuzzleRun.Segment(p, -1f, -5f, true).wouldHalt(), "TRM: q_halt <= 0 goes on");
    }
}
