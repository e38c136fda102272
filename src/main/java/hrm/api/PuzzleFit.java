package hrm.api;

import hrm.checkpoint.ModelCheckpoint;
import hrm.data.arc.ArcCanvas;
import hrm.data.maze.MazeTokens;

import java.util.OptionalInt;

/**
 * Whether a checkpoint can solve the kind of puzzle {@code solve} is given, decided before the model
 * runs: a maze through ARC weights ran to the end and printed nonsense. The weights tell what they
 * were trained on by their vocabulary, which each of our builders fixes (maze 6; Sudoku 4x4, 6x6,
 * 9x9: 6, 8, 11; ARC 12), and, where anything records it, by the sequence length: a maze and an ARC
 * task are both 900 cells, and a maze and a 4x4 Sudoku both have 6 tokens.
 */
public final class PuzzleFit {
    /** What a checkpoint was trained on, as far as its weights tell. */
    public enum Trained {
        ARC("ARC tasks"), SUDOKU("Sudoku"), MAZE("mazes"), MAZE_OR_SUDOKU("mazes or 4x4 Sudoku"), OTHER("a dataset of its own");

        /** How messages name it: "was trained on ...". */
        public final String what;

        Trained(String what) {
            this.what = what;
        }
    }

    private PuzzleFit() {}

    /** From the vocabulary and the sequence length (0 where nothing records it). */
    public static Trained trainedOn(int vocab, int seqLen) {
        if (vocab == ArcCanvas.VOCAB_SIZE) return Trained.ARC;
        if (vocab == 8 || vocab == 11) return Trained.SUDOKU;
        if (vocab == MazeTokens.VOCAB_SIZE) return seqLen == 0 ? Trained.MAZE_OR_SUDOKU : seqLen == 16 ? Trained.SUDOKU : Trained.MAZE;
        return Trained.OTHER;
    }

    /** Whether weights trained on {@code t} may be given a puzzle of {@code kind} (sudoku, maze, arc); OTHER is left to the token check. */
    public static boolean accepts(String kind, Trained t) {
        return t == Trained.OTHER || switch (kind) {
            case "sudoku" -> t == Trained.SUDOKU || t == Trained.MAZE_OR_SUDOKU;
            case "maze" -> t == Trained.MAZE || t == Trained.MAZE_OR_SUDOKU;
            case "arc" -> t == Trained.ARC;
            default -> false;
        };
    }

    /**
     * Refuses (IllegalArgumentException, one line naming what the checkpoint was trained on) a puzzle
     * of {@code kind} with these tokens that the checkpoint cannot take: another kind, another size
     * where anything records the size, or a token beyond its vocabulary.
     */
    public static void check(ModelCheckpoint ckpt, String kind, int[] tokens) {
        int vocab = ckpt.vocabSize();
        OptionalInt seq = ckpt.trainedSeqLen();
        String data = ckpt.config().training().dataPath();
        String source = "the checkpoint " + ckpt.path() + (data == null || data.isEmpty() ? "" : " (data_path " + data + ")");
        int max = 0;
        for (int x : tokens) max = Math.max(max, x);
        String wrongKind = refusal(kind, 0, vocab, seq.orElse(0));
        if (wrongKind != null) throw new IllegalArgumentException(source + " " + wrongKind);
        ckpt.modelConfig(1, tokens.length); // the size where anything records it: the plainer message, so before the tokens
        String wrongTokens = refusal(kind, max, vocab, seq.orElse(0));
        if (wrongTokens != null) throw new IllegalArgumentException(source + " " + wrongTokens);
    }

    /**
     * Why weights of this vocabulary and sequence length (0: not recorded) cannot take a puzzle of
     * {@code kind} whose largest token is {@code maxToken}, completing "the checkpoint P ..."; null if they can.
     */
    public static String refusal(String kind, int maxToken, int vocab, int seqLen) {
        Trained t = trainedOn(vocab, seqLen);
        String trained = "was trained on " + t.what + " (a vocabulary of " + vocab + " tokens" + (seqLen > 0 ? ", " + seqLen + " cells" : "") + ")";
        if (!accepts(kind, t))
            return trained + ": it cannot solve " + (kind.equals("arc") ? "an ARC task" : kind.equals("maze") ? "a maze" : "a Sudoku")
                    + "; give solve a checkpoint trained on " + (kind.equals("arc") ? "ARC" : kind.equals("maze") ? "mazes" : "Sudoku");
        if (maxToken >= vocab) return trained + ": this puzzle's tokens go up to " + maxToken + ", beyond its vocabulary";
        return null;
    }
}
