package hrm.serve;

import hrm.analysis.ReasoningTrace;
import hrm.api.Answer;
import hrm.api.HrmModel;
import hrm.api.ModelInfo;
import hrm.api.Puzzle;

/**
 * What the server asks of a model: an interface rather than {@link HrmModel} itself so that a test
 * can stand a blocked model in front of the queue (to fill it) without a checkpoint.
 */
interface Solver {
    Answer solve(Puzzle p);

    ReasoningTrace.Example trace(Puzzle p);

    /** The checkpoint's path, as trace.json names it. */
    String checkpoint();

    /** What the checkpoint was trained on (GET /api/model: the page opens on that kind and size). */
    ModelInfo info();

    static Solver of(HrmModel model) {
        return new Solver() {
            @Override
            public Answer solve(Puzzle p) {
                return model.solve(p);
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
