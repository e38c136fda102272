package hrm.cli;

import hrm.checkpoint.ModelCheckpoint;
import hrm.data.PuzzleDataset;
import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcGrid;
import hrm.data.arc.ArcPair;
import hrm.data.arc.ArcTask;
import hrm.eval.SinglePuzzleRun.Segment;

import java.io.PrintWriter;
import java.nio.file.Files;
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
        int[][] inputs = new int[tests.size()][];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = new int[ArcCanvas.SEQ_LEN];
            ArcCanvas.place(tests.get(i).input(), 0, 0, inputs[i]);
        }
        ModelCheckpoint ckpt = cmd.fitting(inputs);
        int id = identifier(ckpt, task.name(), cmd.notes());
        int right = 0;
        try (SolveCommand.Model model = cmd.model(ckpt, ArcCanvas.SEQ_LEN)) {
            for (int t = 0; t < inputs.length; t++) {
                ArcPair p = tests.get(t);
                if (!cmd.json) {
                    out.println("test input " + (t + 1) + ":");
                    out.println(p.input());
                }
                List<Segment> segs = cmd.runModel(model, inputs[t], id, cmd.json ? null : out, g -> String.valueOf(ArcCanvas.crop(g, 0)));
                ArcGrid answer = ArcCanvas.crop(segs.get(segs.size() - 1).prediction(), 0);
                Boolean matches = p.output() != null && p.output().rows() > 0 ? answer.equals(p.output()) : null;
                if (Boolean.TRUE.equals(matches)) right++;
                if (cmd.json) {
                    var o = SolveJson.puzzle("arc", SolveJson.rows(p.input()));
                    o.put("task", task.name());
                    o.put("test", t + 1);
                    SolveJson.answer(o, SolveJson.rows(answer), matches,
                            matches == null ? "the task gives no expected output for this test input" : matches ? null : "differs from the task's expected output",
                            segs);
                    if (matches != null) o.put("expected_matches", matches);
                    SolveJson.print(out, o);
                } else {
                    out.println("answer:");
                    out.println(answer);
                    if (matches != null) out.println(matches ? "matches the task's expected output" : "differs from the task's expected output");
                }
            }
        }
        return right == inputs.length ? 0 : 1;
    }

    /** The task's puzzle-embedding row, from the training dataset's identifiers.json (0, the blank, if unknown). */
    private static int identifier(ModelCheckpoint ckpt, String name, PrintWriter notes) {
        Path data = Path.of(ckpt.config().training().dataPath());
        if (Files.isDirectory(data)) {
            List<String> ids = PuzzleDataset.open(data, "train").identifiers();
            int i = ids.indexOf(name);
            if (i > 0) return i;
        }
        notes.println("note: task '" + name + "' has no puzzle embedding in " + data + "; using the blank identifier");
        return 0;
    }
}
