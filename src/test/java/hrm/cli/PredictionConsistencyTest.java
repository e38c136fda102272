package hrm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hrm.data.Npy;
import hrm.data.sudoku.MiniSudoku;
import hrm.data.sudoku.MiniSudokuBuilder;
import hrm.train.TrainCheckpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model with two puzzle-embedding tokens (puzzle_emb_ndim 96 over hidden_size 64, the second
 * zero-padded), trained a few hundred steps on 4x4 Sudoku: what {@code hrm eval} prints, what it
 * saves, and what {@code hrm solve} answers must all be the same predictions.
 */
class PredictionConsistencyTest {
    @TempDir
    static Path tmp;
    static Path checkpoint, evalDir;
    static JsonNode metrics;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        hrm.api.TinySudokuModel.Run r = hrm.api.TinySudokuModel.cli(args);
        return new Run(r.code(), r.out(), r.err());
    }

    @BeforeAll
    static void trainAndEvaluate() throws Exception {
        Path data = tmp.resolve("data");
        MiniSudokuBuilder.build(data, new MiniSudoku(2, 2), 1500, 48, 7, 11, false);
        Path runDir = tmp.resolve("run");
        Run train = run("train", "data_path=" + data, "checkpoint_path=" + runDir, "global_batch_size=32", "epochs=6", "eval_interval=6",
                "lr=3e-3", "lr_warmup_steps=20", "puzzle_emb_lr=1e-2", "weight_decay=0.1", "puzzle_emb_weight_decay=0.1",
                "arch.hidden_size=64", "arch.num_heads=2", "arch.H_layers=2", "arch.L_layers=2", "arch.H_cycles=1", "arch.L_cycles=2",
                "arch.halt_max_steps=2", "arch.puzzle_emb_ndim=96", "seed=5", "threads=2");
        assertEquals(0, train.code(), train.err());
        checkpoint = TrainCheckpoint.locate(runDir);
        evalDir = tmp.resolve("eval");
        Run eval = run("eval", "checkpoint=" + checkpoint, "threads=2", "--output", evalDir.toString());
        assertEquals(0, eval.code(), eval.err());
        metrics = new ObjectMapper().readTree(eval.out());
    }

    @Test
    void savedPredictionsScoreWhatEvalPrints() {
        int[] pred = Npy.read(evalDir.resolve("all__predictions.npy")).toInts();
        int[] labels = Npy.read(evalDir.resolve("all__labels.npy")).toInts();
        int seq = 16, n = pred.length / seq, exact = 0;
        double cellRate = 0;
        for (int e = 0; e < n; e++) {
            int counted = 0, right = 0;
            for (int s = 0; s < seq; s++) {
                int l = labels[e * seq + s];
                if (l == -100) continue;
                counted++;
                if (pred[e * seq + s] == l) right++;
            }
            if (right == counted) exact++;
            cellRate += (double) right / counted;
        }
        double printedExact = metrics.get("all").get("exact_accuracy").asDouble();
        double printedCells = metrics.get("all").get("accuracy").asDouble();
        assertTrue(printedCells > 0.6, "the model learned something: cell accuracy " + printedCells);
        assertTrue(printedExact > 0, "some puzzles solved exactly: " + printedExact);
        assertEquals(printedExact, (double) exact / n, 1e-9, "exact rate of the saved predictions");
        assertEquals(printedCells, cellRate / n, 1e-6, "cell accuracy of the saved predictions");
    }

    @Test
    void solveRefusesAPuzzleOfAnotherSizeThanTheModelWasTrainedOn() {
        Run r = run("solve", "--checkpoint", checkpoint.toString(), "--threads", "1", "sudoku", "123456" + ".".repeat(30)); // givens that keep the rules
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("36 cells") && r.err().contains("trained on 16-cell puzzles"), r.err());
    }

    @Test
    void aReleasedStyleCheckpointWithoutItsDataSaysItCannotTellTheSize() throws Exception {
        // the torch.save fixture checkpoint records no seq_len, uses RoPE, and its training data is not here
        Run r = run("solve", "--checkpoint", "testdata/parity/sudoku/checkpoint/step_1007", "--threads", "1", "sudoku", ".".repeat(16));
        assertTrue(r.err().contains("does not record the puzzle size it was trained on") && r.err().contains("16-cell"), r.err());
    }

    @Test
    void solveAnswersWhatEvalPredicted() {
        int[] inputs = Npy.read(evalDir.resolve("all__inputs.npy")).toInts();
        int[] pred = Npy.read(evalDir.resolve("all__predictions.npy")).toInts();
        MiniSudoku board = new MiniSudoku(2, 2);
        // example 0 sits first in its batch (offset by the puzzle rows even when read wrongly); the others do not
        for (int e : new int[] {0, 1, 5, 17, 33}) {
            int[] cells = MiniSudoku.fromTokens(Arrays.copyOfRange(inputs, e * 16, (e + 1) * 16));
            StringBuilder text = new StringBuilder();
            for (int c : cells) text.append(c == 0 ? '.' : (char) ('0' + c));
            Run solve = run("solve", "--checkpoint", checkpoint.toString(), "--threads", "1", "sudoku", text.toString());
            assertTrue(solve.code() == 0 || solve.code() == 1, solve.err());
            String answer = solve.out().substring(solve.out().indexOf("answer:\n") + "answer:\n".length());
            String want = board.format(MiniSudoku.fromTokens(Arrays.copyOfRange(pred, e * 16, (e + 1) * 16)));
            assertEquals(want, answer.substring(0, want.length()), "test example " + e + " (" + text + ")");
        }
    }
}
