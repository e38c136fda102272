package hrm.serve;

import hrm.analysis.ReasoningTrace;
import hrm.api.Answer;
import hrm.api.HrmModel;
import hrm.api.ModelInfo;
import hrm.api.Puzzle;

import java.util.List;

/**
 * What the server asks of a model: an interface rather than {@link HrmModel} itself so that a test
 * can stand a blocked model in front of the queue (to fill it) without a checkpoint.
 */
interface Solver {
    /** {@link HrmModel#prepare}: refuses a puzzle the model cannot solve, before it joins a batch. */
    void prepare(Puzzle p);

    /** {@link HrmModel#solveAll}: the plain answers to puzzles of one size, computed as one batch, each exactly as alone. */
    List<Answer> solveAll(List<Puzzle> puzzles);

    /** {@link HrmModel#solve(Puzzle, int, long)}: the answer, chosen by that many test-time views (1: the plain answer). */
    Answer solve(Puzzle p, int views, long viewsSeed);

    ReasoningTrace.Example trace(Puzzle p);

    /** The checkpoint's path, as trace.json names it. */
    String checkpoint();

    /** What the checkpoint was trained on (GET /api/model: the page opens on that kind and size). */
    ModelInfo info();

    static Solver of(HrmModel model) {
        return new Solver() {
            @Override
            public void prepare(Puzzle p) {
                model.prepare(p);
            }

            @Override
            public List<Answer> solveAll(List<Puzzle> puzzles) {
                return model.solveAll(puzzles);
            }

            @Override
            public Answer solve(Puzzle p, int views, long viewsSeed) {
                return model.solve(p, views, viewsSeed);
            }

            @Override
            public ReasoningTrace.Example trace(Puzzle p) {
                return model.trace(p);
            }

            @Override
            public String checkpoint() {
                return model.checkpoint().path().toString();
            }

            @Override
            public ModelInfo info() {
                return model.info();
            }
        };
    }
}
