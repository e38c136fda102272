package hrm.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One traced example as {@code hrm analyze trace} writes it into trace.json (and {@code hrm serve}'s
 * /api/trace answers it): index, input, and per segment its prediction, Q logits, whether ACT halts
 * there, its rule violations and every z update (module, prediction, confidence, changed, violations).
 * One builder for both, so the file and the API cannot drift.
 */
public final class TraceJson {
    private TraceJson() {}

    /** The example's object, ready for Jackson (maps, lists, arrays). */
    public static Map<String, Object> example(ReasoningTrace.Example ex, PuzzleRules rules) {
        List<Object> segs = new ArrayList<>();
        for (ReasoningTrace.Segment sg : ex.segments()) {
            List<Object> ups = new ArrayList<>();
            for (ReasoningTrace.Update u : sg.updates()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("module", u.module());
                m.put("prediction", u.prediction());
                m.put("confidence", u.confidence());
                m.put("changed", u.changed());
                m.put("violations", u.violations());
                ups.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prediction", sg.prediction());
            m.put("q_halt", sg.qHalt());
            m.put("q_continue", sg.qContinue());
            m.put("act_halts_here", sg.actHaltsHere());
            m.put("violations", rules.violations(ex.input(), sg.prediction()));
            m.put("updates", ups);
            segs.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", ex.index());
        m.put("input", ex.input());
        m.put("segments", segs);
        return m;
    }
}
