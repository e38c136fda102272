package hrm.cli;

import hrm.api.Answer;
import hrm.api.AnswerJson;
import hrm.api.HrmModel;
import hrm.api.Puzzle;
import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcPair;
import hrm.data.arc.ArcTask;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code hrm solve arc TASK.json}: every test input of the task through the model (built once),
 * each answer compared with the task's expected output where the task gives it; as text, or one
 * JSON object a test input.
 */
final class ArcSolve {
    private ArcSolve() {}

    static int run(SolveCommand cmd, ArcTask task, PrintWriter out) {
        List<ArcPair> tests = task.tests();
        Puzzle.Arc[] asked = new Puzzle.Arc[tests.size()];
        for (int t = 0; t < asked.length; t++) asked[t] = new Puzzle.Arc(task.name(), t + 1, tests.get(t).input(), tests.get(t).output());
        int right = 0;
        try (HrmModel model = cmd.open(asked)) {
            if (model.arcIdentifier(task.name()).isEmpty()) // the model then runs it with the blank identifier: say so
                cmd.notes().println("note: task '" + task.name() + "' has no puzzle embedding in " + Path.of(model.checkpoint().config().training().dataPath())
                        + "; using the blank identifier");
            for (Puzzle.Arc p : asked) {
                if (!cmd.json) {
                    out.println("test input " + p.test() + ":");
                    out.println(p.input());
                }
                Answer a = cmd.runModel(model, p, cmd.json ? null : out, g -> String.valueOf(ArcCanvas.crop(g, 0)));
                if (Boolean.TRUE.equals(a.valid())) right++;
                if (cmd.json) AnswerJson.print(out, AnswerJson.of(a, null));
                else {
                    out.println("answer:");
                    out.println(a.answerText());
                    if (a.valid() != null) out.println(a.valid() ? "matches the task's expected output" : "differs from the task's expected output");
                }
            }
        }
        return right == asked.length ? 0 : 1;
    }
}
