package hrm.api;

import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcGrid;
import hrm.data.maze.MazePathChecker;
import hrm.data.maze.MazeTokens;
import hrm.data.sudoku.ChangedGiven;
import hrm.data.sudoku.MiniSudoku;
import hrm.eval.SinglePuzzleRun.Segment;

import java.util.List;

/**
 * The model's answer to a {@link Puzzle} and what is right or wrong with it: exactly what
 * {@code hrm solve --json} prints, which is built from this record so the two cannot drift.
 *
 * @param puzzle        the puzzle asked
 * @param solution      the answer as a puzzle of the same kind (a Sudoku's cells, a maze with its path, an ARC grid, tokens)
 * @param valid         whether the answer is right; null where that cannot be known (an ARC input whose task gives no
 *                      expected output, raw tokens)
 * @param why           what is wrong, in one line; null when right (or, for raw tokens, never known)
 * @param segments      the ACT segments the model ran (halt_max_steps: the answer is the last one's, as evaluation takes it)
 * @param haltedAt      the 1-based segment after which ACT would halt
 * @param changedGivens the Sudoku givens the answer changed (empty for other kinds)
 * @param views         how test-time views chose the answer ({@link HrmModel#solve(Puzzle, int, long)}); null for the plain answer
 */
public record Answer(Puzzle puzzle, Puzzle solution, Boolean valid, String why, int segments, int haltedAt, List<ChangedGiven> changedGivens,
                     Views views) {
    /**
     * How K test-time views of the puzzle chose the answer ({@code hrm solve --views K}): the answer
     * is the most voted of the views' mapped-back answers that passes the puzzle's own check (a valid
     * Sudoku keeping the givens, a shortest maze path), else the most voted one.
     *
     * @param views       how many views ran (K, the identity first)
     * @param agreeing    how many of them gave the chosen answer
     * @param distinct    how many distinct answers they gave
     * @param passesCheck whether the chosen answer passes the puzzle's check (else it is only the most voted)
     */
    public record Views(int views, int agreeing, int distinct, boolean passesCheck) {}

    /** The answer's changed givens named in {@code why}, the rest counted (the list holds them all). */
    private static final int NAMED_CHANGES = 3;

    public Answer {
        changedGivens = List.copyOf(changedGivens);
    }

    /** The answer as text: a Sudoku line ('.' a blank), maze rows, an ARC grid's rows, tokens. */
    public String answerText() {
        return solution.text();
    }

    /** The answer of the segments' last prediction, as {@link HrmModel#solve} gives it. */
    public static Answer of(Puzzle puzzle, List<Segment> segments) {
        return of(puzzle, segments, segments.get(segments.size() - 1).prediction());
    }

    /** The answer {@code answerTokens} after the model ran these segments. */
    public static Answer of(Puzzle puzzle, List<Segment> segments, int[] answerTokens) {
        return judge(puzzle, answerTokens, segments.size(), haltingSegment(segments) + 1, null);
    }

    /** This answer's segments with the answer {@code answerTokens} that test-time views chose, judged afresh. */
    Answer chosen(int[] answerTokens, Views vote) {
        return judge(puzzle, answerTokens, segments, haltedAt, vote);
    }

    private static Answer judge(Puzzle puzzle, int[] answerTokens, int segs, int halted, Views vote) {
        return switch (puzzle) {
            case Puzzle.Sudoku s -> {
                MiniSudoku board = s.board();
                int[] answer = MiniSudoku.fromTokens(answerTokens);
                List<ChangedGiven> changed = ChangedGiven.find(board, s.cells(), answer);
                String why = changed.isEmpty() ? board.check(s.cells(), answer) : "the model changed " + describe(changed);
                yield new Answer(puzzle, new Puzzle.Sudoku(answer), why == null, why, segs, halted, changed, vote);
            }
            case Puzzle.Maze m -> {
                int[] question = m.tokens();
                MazePathChecker.Verdict v = new MazePathChecker(m.rows().size()).check(question, answerTokens);
                Puzzle.Maze answer = new Puzzle.Maze(MazeTokens.toRows(answerTokens).lines().toList());
                yield new Answer(puzzle, answer, v.solved(), v.solved() ? null : "not a shortest path: " + v, segs, halted, List.of(), vote);
            }
            case Puzzle.Arc a -> {
                ArcGrid answer = ArcCanvas.crop(answerTokens, 0);
                Boolean matches = a.expected() != null && a.expected().rows() > 0 ? answer.equals(a.expected()) : null;
                String why = matches == null ? "the task gives no expected output for this test input" : matches ? null : "differs from the task's expected output";
                yield new Answer(puzzle, new Puzzle.Arc(a.task(), a.test(), answer, null), matches, why, segs, halted, List.of(), vote);
            }
            case Puzzle.Tokens t -> new Answer(puzzle, new Puzzle.Tokens(answerTokens, t.puzzleIdentifier()), null, null, segs, halted, List.of(), vote);
        };
    }

    /** The 0-based segment after which ACT would halt: the first that says so, else the last. */
    public static int haltingSegment(List<Segment> segs) {
        for (int k = 0; k < segs.size(); k++) if (segs.get(k).wouldHalt()) return k;
        return segs.size() - 1;
    }

    /** "given r3c4 from 7 to 2", or the first few of several and how many more. */
    static String describe(List<ChangedGiven> changed) {
        StringBuilder sb = new StringBuilder(changed.size() == 1 ? "given " : "givens ");
        for (int i = 0; i < Math.min(NAMED_CHANGES, changed.size()); i++) sb.append(i > 0 ? ", " : "").append(changed.get(i));
        if (changed.size() > NAMED_CHANGES) sb.append(" and ").append(changed.size() - NAMED_CHANGES).append(" more");
        return sb.toString();
    }
}
