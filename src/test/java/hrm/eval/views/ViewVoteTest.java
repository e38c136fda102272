package hrm.eval.views;

import hrm.data.sudoku.MiniSudoku;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ViewVoteTest {
    private static final MiniSudoku BOARD = new MiniSudoku(2, 2);
    private static final SudokuAnswerCheck CHECK = new SudokuAnswerCheck(2, 2);

    private static int[] answer(int... cells) {
        return MiniSudoku.toTokens(cells);
    }

    @Test
    void theMostFrequentAnswerWinsAndTiesGoToTheHigherMeanQHalt() {
        int[] a = {1, 2, 3}, b = {1, 2, 4}, c = {3, 3, 3};
        ViewVote v = new ViewVote(3, 8);
        v.add(a, 0, 5f);
        v.add(b, 0, -1f);
        v.add(b, 0, -1f);
        v.add(c, 0, 9f);
        assertEquals(3, v.distinct());
        assertEquals(4, v.total());
        assertEquals(1, v.vote(), "b has two votes, whatever a's and c's confidence");
        assertEquals(2, v.votes(1));

        v.clear();
        v.add(a, 0, -2f);
        v.add(b, 0, 3f);
        v.add(a, 0, 0f);
        v.add(b, 0, 1f);
        assertEquals(1, v.vote(), "two votes each: b's mean sigmoid(q_halt) is higher");
        int[] out = new int[3];
        v.answer(v.vote(), out, 0);
        assertArrayEquals(b, out);

        v.clear();
        v.add(a, 0, 1f);
        v.add(b, 0, 1f);
        assertEquals(0, v.vote(), "a full tie keeps the first seen (the plain prediction)");
    }

    @Test
    void verifiedPrefersAValidGridOverMoreVotesAndFallsBackToTheVote() {
        int[] puzzle = answer(1, 0, 0, 4, 0, 4, 1, 0, 0, 1, 4, 0, 4, 0, 0, 1);
        int[] solution = answer(1, 2, 3, 4, 3, 4, 1, 2, 2, 1, 4, 3, 4, 3, 2, 1);
        int[] repeats = answer(1, 2, 3, 4, 3, 4, 1, 2, 2, 1, 4, 3, 4, 3, 1, 2); // last row fine, columns 3 and 4 repeat
        int[] changesGiven = answer(2, 1, 3, 4, 3, 4, 1, 2, 1, 2, 4, 3, 4, 3, 2, 1);
        assertNull(BOARD.check(MiniSudoku.fromTokens(puzzle), MiniSudoku.fromTokens(solution)));
        assertNotNull(BOARD.check(MiniSudoku.fromTokens(puzzle), MiniSudoku.fromTokens(repeats)));
        assertFalse(CHECK.valid(puzzle, 0, repeats, 0));
        assertFalse(CHECK.valid(puzzle, 0, changesGiven, 0), "a valid grid that changes a given fails");
        ViewVote v = new ViewVote(16, 8);
        v.add(repeats, 0, 4f);
        v.add(repeats, 0, 4f);
        v.add(changesGiven, 0, 4f);
        v.add(solution, 0, -4f);
        assertEquals(0, v.vote());
        int chosen = v.verified(CHECK, puzzle, 0);
        int[] out = new int[16];
        v.answer(chosen, out, 0);
        assertArrayEquals(solution, out, "the only valid grid, though voted least");
        assertTrue(v.anyEquals(solution, 0), "oracle");

        v.clear();
        v.add(changesGiven, 0, 0f);
        v.add(repeats, 0, 0f);
        v.add(repeats, 0, 0f);
        assertEquals(v.vote(), v.verified(CHECK, puzzle, 0), "nothing valid: the vote");
        assertFalse(v.anyEquals(solution, 0));
    }

    /** Over random candidate lists: verified never returns a grid that breaks a rule while a valid one is among them. */
    @Test
    void verifiedNeverReturnsAnInvalidGridWhenAValidOneExists() {
        SplittableRandom rng = new SplittableRandom(6);
        for (int t = 0; t < 300; t++) {
            int[] solution = BOARD.randomSolution(rng), puzzle = BOARD.puzzle(solution, 8, rng);
            if (puzzle == null) continue;
            int[] q = MiniSudoku.toTokens(puzzle), s = MiniSudoku.toTokens(solution);
            ViewVote v = new ViewVote(16, 16);
            boolean anyValid = false;
            int k = 1 + rng.nextInt(12);
            for (int i = 0; i < k; i++) {
                int[] cand = s.clone();
                int flips = rng.nextInt(3); // 0: the solution, else cells changed (digits, or a blank token)
                for (int f = 0; f < flips; f++) cand[rng.nextInt(16)] = 1 + rng.nextInt(5);
                anyValid |= CHECK.valid(q, 0, cand, 0);
                assertEquals(BOARD.check(puzzle, MiniSudoku.fromTokens(cand)) == null, CHECK.valid(q, 0, cand, 0), "the check is MiniSudoku's");
                v.add(cand, 0, (float) rng.nextGaussian());
            }
            int chosen = v.verified(CHECK, q, 0);
            if (anyValid) assertTrue(v.passes(chosen, CHECK, q, 0), "trial " + t);
            else assertEquals(v.vote(), chosen);
        }
    }
}
