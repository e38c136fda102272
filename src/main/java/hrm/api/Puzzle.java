package hrm.api;

import hrm.data.arc.ArcCanvas;
import hrm.data.arc.ArcGrid;
import hrm.data.maze.MazeText;
import hrm.data.maze.MazeTokens;
import hrm.data.sudoku.MiniSudoku;

import java.util.List;
import java.util.Objects;

/**
 * A puzzle to hand to {@link HrmModel#solve}: a Sudoku, a maze, an ARC task's test input, or raw
 * tokens for a dataset of one's own. Each knows the tokens the model reads; the answer comes back
 * as a puzzle of the same kind ({@link Answer#solution}). Bad input is refused when the puzzle is
 * made, with an IllegalArgumentException of one line naming the field.
 */
public sealed interface Puzzle {
    /** "sudoku", "maze", "arc" or "tokens": the kind {@code hrm solve} takes and its JSON names. */
    String kind();

    /** The tokens the model reads (a fresh array). */
    int[] tokens();

    /** The puzzle as text: a Sudoku line ('.' blank), maze rows, an ARC grid's rows, tokens. */
    String text();

    /** A Sudoku from the text forms {@code hrm solve sudoku} takes: 16, 36 or 81 cells, '.' or '0' blank, spaces and '|' ignored. */
    static Sudoku sudoku(String cells) {
        Objects.requireNonNull(cells, "cells");
        try {
            return new Sudoku(MiniSudoku.parse(cells)); // parse checks the digits and the rules
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cells: " + e.getMessage(), e);
        }
    }

    /** A maze from its rows of '#', ' ', 'S', 'G', one a line (trailing spaces may be left off). */
    static Maze maze(String rows) {
        Objects.requireNonNull(rows, "rows");
        return new Maze(MazeTokens.toRows(MazeText.parse(rows, "rows")).lines().toList());
    }

    /** An ARC test input with no task name (its puzzle embedding is the blank one) and no expected output. */
    static Arc arc(ArcGrid input) {
        return new Arc(null, 1, input, null);
    }

    /**
     * A Sudoku: 16, 36 or 81 cells row by row, digits 1..n, 0 a blank. {@link #checked} (and
     * {@link HrmModel#solve}) refuse givens that break a rule; givens that keep the rules yet have no
     * solution are not searched for here ({@code hrm solve} does that before it reads a checkpoint).
     */
    record Sudoku(int[] cells) implements Puzzle {
        public Sudoku {
            Objects.requireNonNull(cells, "cells");
            cells = cells.clone(); // a record's array is its own: the caller may reuse theirs
            if (cells.length != 16 && cells.length != 36 && cells.length != 81)
                throw new IllegalArgumentException("cells: " + cells.length + " cells, expected 16, 36 or 81 (4x4, 6x6 or 9x9)");
            for (int v : cells) if (v < 0 || v > 9) throw new IllegalArgumentException("cells: " + v + " is not a digit 0-9");
        }

        /**
         * This Sudoku as a puzzle to solve: refused (naming the cell) where a digit is beyond the board
         * or the givens already break a rule. The record itself takes any digits, as it also carries
         * answers, which may be wrong in any way.
         */
        public Sudoku checked() {
            try {
                MiniSudoku.parse(text());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cells: " + e.getMessage(), e);
            }
            return this;
        }

        /** What {@code hrm solve} (and {@code hrm serve}) say of givens that keep the rules yet no grid completes. */
        public static final String NO_SOLUTION = "the puzzle has no solution: its givens keep the rules, but no grid completes them";

        /**
         * Refuses givens that no grid completes (IllegalArgumentException: {@code where} then
         * {@link #NO_SOLUTION}), so the model is never asked what has no answer. Returns false where the
         * bounded search could not decide: the caller may say so and still ask the model.
         */
        public boolean checkSolvable(String where) {
            return switch (hrm.data.sudoku.SudokuSolvability.decide(board(), cells, hrm.data.sudoku.SudokuSolvability.DEFAULT_MAX_NODES).verdict()) {
                case NO_SOLUTION -> throw new IllegalArgumentException(where + NO_SOLUTION);
                case UNDECIDED -> false;
                case SOLVABLE -> true;
            };
        }

        @Override
        public int[] cells() {
            return cells.clone();
        }

        /** The board of this size (4x4, 6x6 or 9x9). */
        public MiniSudoku board() {
            return MiniSudoku.forCells(cells.length);
        }

        @Override
        public String kind() {
            return "sudoku";
        }

        @Override
        public int[] tokens() {
            return MiniSudoku.toTokens(cells);
        }

        /** The cells as one line: digits, '.' for a blank (as {@code hrm solve} prints several answers). */
        @Override
        public String text() {
            StringBuilder sb = new StringBuilder(cells.length);
            for (int v : cells) sb.append(v == 0 ? '.' : Character.forDigit(v, 36));
            return sb.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sudoku s && java.util.Arrays.equals(cells, s.cells);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(cells);
        }

        @Override
        public String toString() {
            return "Sudoku[" + text() + "]";
        }
    }

    /**
     * A square maze: rows of '#' (wall), ' ' (open), 'S', 'G'; in an answer, 'o' marks the path and
     * '?' a cell the model answered with no maze symbol (as {@code hrm solve maze} prints it).
     */
    record Maze(List<String> rows) implements Puzzle {
        public Maze {
            rows = List.copyOf(Objects.requireNonNull(rows, "rows"));
            for (String r : rows)
                if (r.length() != rows.size()) throw new IllegalArgumentException("rows: a row of " + r.length() + " characters in a maze of " + rows.size() + " rows (mazes are square)");
            for (String r : rows)
                for (char c : r.toCharArray())
                    if (c != '?' && MazeTokens.CHARSET.indexOf(c) < 0) throw new IllegalArgumentException("rows: '" + c + "' is not one of '#', ' ', 'S', 'G', 'o'");
        }

        @Override
        public String kind() {
            return "maze";
        }

        @Override
        public int[] tokens() {
            int[] t = new int[rows.size() * rows.size()];
            int i = 0;
            for (String r : rows) for (char c : r.toCharArray()) t[i++] = c == '?' ? MazeTokens.PAD : MazeTokens.token(c);
            return t;
        }

        @Override
        public String text() {
            return String.join("\n", rows);
        }
    }

    /**
     * An ARC task's test input: {@code task} names its puzzle embedding (null: the blank one),
     * {@code test} is its 1-based place among the task's test inputs, {@code expected} the task's
     * output for it where the task gives one (null otherwise), against which the answer is checked.
     */
    record Arc(String task, int test, ArcGrid input, ArcGrid expected) implements Puzzle {
        public Arc {
            Objects.requireNonNull(input, "input");
            if (test < 1) throw new IllegalArgumentException("test: " + test + ", expected a 1-based index");
            int side = (int) Math.round(Math.sqrt(ArcCanvas.SEQ_LEN));
            // an empty grid is allowed: the model's answer may be one
            if (input.rows() > side || input.cols() > side)
                throw new IllegalArgumentException("input: a " + input.rows() + "x" + input.cols() + " grid, larger than " + side + "x" + side);
        }

        @Override
        public String kind() {
            return "arc";
        }

        @Override
        public int[] tokens() {
            int[] t = new int[ArcCanvas.SEQ_LEN];
            ArcCanvas.place(input, 0, 0, t);
            return t;
        }

        @Override
        public String text() {
            return input.toString();
        }
    }

    /** Raw tokens for a model trained on a dataset of one's own, with the row of its puzzle-embedding table. */
    record Tokens(int[] tokens, int puzzleIdentifier) implements Puzzle {
        public Tokens {
            Objects.requireNonNull(tokens, "tokens");
            if (tokens.length == 0) throw new IllegalArgumentException("tokens: none");
            for (int t : tokens) if (t < 0) throw new IllegalArgumentException("tokens: " + t + " is negative");
            if (puzzleIdentifier < 0) throw new IllegalArgumentException("puzzleIdentifier: " + puzzleIdentifier + " is negative");
            tokens = tokens.clone();
        }

        @Override
        public int[] tokens() {
            return tokens.clone();
        }

        @Override
        public String kind() {
            return "tokens";
        }

        @Override
        public String text() {
            return java.util.Arrays.toString(tokens);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tokens t && t.puzzleIdentifier == puzzleIdentifier && java.util.Arrays.equals(tokens, t.tokens);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(tokens) + puzzleIdentifier;
        }
    }
}
