package hrm.analysis;

import hrm.data.maze.MazeTokens;
import hrm.eval.views.PuzzleKind;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A reasoning trace as the paper's Fig. 7 draws it: one row per segment, the state decoded after each
 * z update from left to right and the segment's output last. Sudoku: digits, the givens bold, cells
 * breaking a rule red, cells changed since the last update shaded; mazes: walls, S, G and the path
 * (framed red when it is not a valid shortest path); other grids (ARC) in the ARC colours.
 */
public final class TraceStrips {
    private static final int GRID = 150, GAP = 14, HEADER = 20, MARGIN = 10;
    /** ARC's ten colours (black, blue, red, green, yellow, grey, magenta, orange, azure, maroon), for tokens 2..11. */
    private static final Color[] ARC = {new Color(0x000000), new Color(0x0074D9), new Color(0xFF4136), new Color(0x2ECC40),
            new Color(0xFFDC00), new Color(0xAAAAAA), new Color(0xF012BE), new Color(0xFF851B), new Color(0x7FDBFF), new Color(0x870C25)};
    private static final Color CHANGED = new Color(255, 236, 150), RULE = new Color(210, 30, 30), GIVEN = Color.BLACK,
            FILLED = new Color(30, 70, 170);

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private TraceStrips() {}

    public static void draw(ReasoningTrace.Example ex, PuzzleRules rules, OutputStream out) throws IOException {
        int columns = 1;
        for (ReasoningTrace.Segment s : ex.segments()) columns = Math.max(columns, s.updates().size() + 1);
        int w = 2 * MARGIN + columns * (GRID + GAP) + 20, h = 2 * MARGIN + ex.segments().size() * (GRID + GAP + HEADER);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        for (int k = 0; k < ex.segments().size(); k++) {
            ReasoningTrace.Segment s = ex.segments().get(k);
            int y = MARGIN + k * (GRID + GAP + HEADER);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(String.format("segment %d   q_halt %.2f   q_continue %.2f%s", k + 1, s.qHalt(), s.qContinue(),
                    s.actHaltsHere() ? "   <- ACT halts here" : ""), MARGIN, y + 14);
            List<ReasoningTrace.Update> ups = s.updates();
            for (int u = 0; u < ups.size(); u++) {
                ReasoningTrace.Update up = ups.get(u);
                int x = MARGIN + u * (GRID + GAP);
                grid(g, rules, ex.input(), up.prediction(), up.changed(), up.violations(), x, y + HEADER);
                g.setColor(Color.DARK_GRAY);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                g.drawString(up.module().equals("layer") ? "layer " + (u + 1) : up.module(), x + GRID + 2, y + HEADER + 10);
            }
            int x = MARGIN + ups.size() * (GRID + GAP);
            grid(g, rules, ex.input(), s.prediction(), new int[0], rules.violations(ex.input(), s.prediction()), x, y + HEADER);
            g.setColor(Color.DARK_GRAY);
            g.drawString("out", x + GRID + 2, y + HEADER + 10);
        }
        g.dispose();
        ImageIO.write(img, "png", out);
    }

    private static void grid(Graphics2D g, PuzzleRules rules, int[] input, int[] pred, int[] changed, Object violations, int x, int y) {
        int cells = pred.length, side = (int) Math.round(Math.sqrt(cells));
        int c = Math.max(1, GRID / side);
        boolean[] shaded = new boolean[cells], bad = new boolean[cells];
        for (int i : changed) shaded[i] = true;
        if (violations instanceof List<?> l) for (Object i : l) bad[(Integer) i] = true;
        for (int i = 0; i < cells; i++) {
            int cx = x + (i % side) * c, cy = y + (i / side) * c;
            boolean sudoku = rules.puzzleKind() instanceof PuzzleKind.Sudoku;
            Color fill = switch (rules.puzzleKind()) {
                case PuzzleKind.Maze m -> maze(pred[i], input[i]);
                case PuzzleKind.Sudoku s -> shaded[i] ? CHANGED : Color.WHITE;
                case PuzzleKind.Other o -> pred[i] >= 2 && pred[i] < 12 ? ARC[pred[i] - 2] : pred[i] == 1 ? Color.GRAY : new Color(40, 40, 40);
            };
            if (shaded[i] && !sudoku) fill = blend(fill, CHANGED);
            g.setColor(fill);
            g.fillRect(cx, cy, c, c);
            if (sudoku && pred[i] > 1) {
                boolean given = input[i] > 1;
                g.setColor(bad[i] ? RULE : given ? GIVEN : FILLED);
                g.setFont(new Font(Font.SANS_SERIF, given ? Font.BOLD : Font.PLAIN, Math.max(6, c * 3 / 4)));
                g.drawString(Integer.toString(pred[i] - 1), cx + c / 4, cy + c * 4 / 5);
            }
        }
        if (rules.puzzleKind() instanceof PuzzleKind.Sudoku s) {
            g.setColor(Color.GRAY);
            for (int i = 0; i <= side; i++) {
                g.setStroke(new BasicStroke(i % s.boxCols() == 0 ? 2f : 0.5f));
                g.drawLine(x + i * c, y, x + i * c, y + side * c);
                g.setStroke(new BasicStroke(i % s.boxRows() == 0 ? 2f : 0.5f));
                g.drawLine(x, y + i * c, x + side * c, y + i * c);
            }
            g.setStroke(new BasicStroke(1f));
        }
        if (Boolean.FALSE.equals(violations)) {
            g.setColor(RULE);
            g.setStroke(new BasicStroke(2f));
            g.drawRect(x - 1, y - 1, side * c + 2, side * c + 2);
            g.setStroke(new BasicStroke(1f));
        }
    }

    private static Color maze(int token, int input) {
        if (input == MazeTokens.START) return new Color(30, 160, 60);
        if (input == MazeTokens.GOAL) return new Color(210, 30, 30);
        return switch (token) {
            case MazeTokens.WALL -> new Color(30, 30, 30);
            case MazeTokens.PATH -> new Color(255, 140, 0);
            case MazeTokens.START -> new Color(30, 160, 60);
            case MazeTokens.GOAL -> new Color(210, 30, 30);
            default -> Color.WHITE;
        };
    }

    private static Color blend(Color a, Color b) {
        return new Color((a.getRed() + b.getRed()) / 2, (a.getGreen() + b.getGreen()) / 2, (a.getBlue() + b.getBlue()) / 2);
    }
}
