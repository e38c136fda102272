package hrm.api;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * What an opened checkpoint is.
 *
 * @param checkpoint   the checkpoint loaded (a run directory's latest step_N)
 * @param family       the model family's short name: "hrm" or "trm"
 * @param trainedOn    what its weights say it was trained on: "sudoku", "maze", "arc", "maze or sudoku" (vocabulary 6
 *                     with no recorded size) or "other"
 * @param seqLen       the puzzle size (cells) it was trained on, where anything records it
 * @param vocabSize    its vocabulary
 * @param puzzleIdentifiers rows of its puzzle-embedding table (1: none)
 */
public record ModelInfo(Path checkpoint, String family, String trainedOn, OptionalInt seqLen, int vocabSize, int puzzleIdentifiers) {}
