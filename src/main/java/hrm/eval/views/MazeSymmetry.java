package hrm.eval.views;

import hrm.data.Dihedral;

/**
 * A maze view: one of the 8 rotations and reflections of the square grid ({@link Dihedral}'s
 * numbering). Walls, open cells, S and G move with their cells and keep their tokens, so a
 * shortest S-to-G path of the turned maze is a shortest path of the original once turned back.
 */
public record MazeSymmetry(int id, int size) implements View {
    public MazeSymmetry {
        Dihedral.inverse(id); // checks the id
        if (size < 1) throw new IllegalArgumentException("maze size " + size + " must be positive");
    }

    @Override
    public void apply(int[] src, int srcOff, int[] dst, int dstOff) {
        Dihedral.apply(id, src, srcOff, size, size, dst, dstOff);
    }

    @Override
    public void invert(int[] src, int srcOff, int[] dst, int dstOff) {
        Dihedral.apply(Dihedral.inverse(id), src, srcOff, size, size, dst, dstOff);
    }

    @Override
    public boolean isIdentity() {
        return id == 0;
    }
}
