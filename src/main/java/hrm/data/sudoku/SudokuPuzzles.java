package hrm.data.sudoku;

import java.util.Arrays;
import java.util.Objects;

/** A growable list of puzzles with their solutions and ratings, one byte per cell (3.8 M fit in 620 MB). */
public final class SudokuPuzzles {
    private byte[] questions = new byte[81 * 64];
    private byte[] answers = new byte[81 * 64];
    private int[] ratings = new int[64];
    private int size;

    public void add(int[] question, int[] answer, int rating) {
        if (size == ratings.length) {
            int cap = Math.max(64, size + (size >> 1));
            questions = Arrays.copyOf(questions, cap * 81);
            answers = Arrays.copyOf(answers, cap * 81);
            ratings = Arrays.copyOf(ratings, cap);
        }
        for (int i = 0; i < 81; i++) {
            questions[size * 81 + i] = (byte) question[i];
            answers[size * 81 + i] = (byte) answer[i];
        }
        ratings[size++] = rating;
    }

    public int size() { return size; }

    public int rating(int i) {
        return ratings[Objects.checkIndex(i, size)];
    }

    /** Copies puzzle i (0 blank, 1-9 given) into dst. */
    public void question(int i, int[] dst) {
        copy(questions, Objects.checkIndex(i, size), dst);
    }

    /** Copies the solution of puzzle i (1-9) into dst. */
    public void answer(int i, int[] dst) {
        copy(answers, Objects.checkIndex(i, size), dst);
    }

    /** The puzzles at the given indices, in that order. */
    public SudokuPuzzles select(int[] indices) {
        SudokuPuzzles out = new SudokuPuzzles();
        int[] q = new int[81], a = new int[81];
        for (int i : indices) {
            question(i, q);
            answer(i, a);
            out.add(q, a, rating(i));
        }
        return out;
    }

    private static void copy(byte[] src, int i, int[] dst) {
        for (int k = 0; k < 81; k++) dst[k] = src[i * 81 + k];
    }
}
