package hrm.serve;

import hrm.data.PuzzleSet;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * One set's groups → puzzles → examples as the dataset browser steps through them: all of them, or only
 * the failures (the wrong examples, and the puzzles and groups that hold one). A group's puzzles and a
 * puzzle's examples are a contiguous range of indices (the layout's group_indices and puzzle_indices),
 * and each level keeps a sorted list of its indices (none where it keeps all), so the k-th kept item
 * of a range, the rank of an item in it and the count are binary searches: any page of any set is
 * answered in time independent of the set's size.
 */
final class SetNavigation {
    /** The indices a level keeps: all of 0..size-1 (only null), or those in {@code only}, ascending. */
    record Kept(int size, int[] only) {
        /** How many kept indices lie in [lo, hi). */
        int count(int lo, int hi) {
            return only == null ? hi - lo : from(hi) - from(lo);
        }

        /** The k-th kept index at or after lo (k < count(lo, ...)). */
        int at(int lo, int k) {
            return only == null ? lo + k : only[from(lo) + k];
        }

        /** The first position of {@code only} holding an index at or above x. */
        private int from(int x) {
            int i = Arrays.binarySearch(only, x);
            return i >= 0 ? i : -i - 1;
        }
    }

    final PuzzleSet set;
    final Kept groups, puzzles, examples;

    private SetNavigation(PuzzleSet set, int[] groups, int[] puzzles, int[] examples) {
        this.set = set;
        this.groups = new Kept(set.groups(), groups);
        this.puzzles = new Kept(set.puzzles(), puzzles);
        this.examples = new Kept(set.examples(), examples);
    }

    static SetNavigation all(PuzzleSet set) {
        return new SetNavigation(set, null, null, null);
    }

    /** Only the examples {@code wrong} (ascending), their puzzles and their groups. */
    static SetNavigation only(PuzzleSet set, int[] wrong) {
        int[] puzzles = IntStream.of(wrong).map(e -> puzzleOf(set, e)).distinct().toArray();
        int[] groups = IntStream.of(puzzles).map(p -> groupOf(set, p)).distinct().toArray();
        return new SetNavigation(set, groups, puzzles, wrong.clone());
    }

    int puzzleOf(int example) {
        return puzzleOf(set, example);
    }

    int groupOf(int puzzle) {
        return groupOf(set, puzzle);
    }

    private static int puzzleOf(PuzzleSet set, int example) {
        return lastStartAtOrBelow(set.puzzles(), set::puzzleStart, example);
    }

    private static int groupOf(PuzzleSet set, int puzzle) {
        return lastStartAtOrBelow(set.groups(), set::groupStart, puzzle);
    }

    /** The largest i in [0, n) with start(i) <= x (starts ascend from start(0) = 0). */
    private static int lastStartAtOrBelow(int n, IntUnaryOperator start, int x) {
        int lo = 0, hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (start.applyAsInt(mid) <= x) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
