package hrm.data.arc;

import hrm.data.Dihedral;

import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One augmented version of a task: a permutation of colours 1-9 (0 stays 0), applied first, then one
 * of the 8 dihedral transforms. Its identifier suffix is {@code t<transform>_<colour map as 10 digits>}.
 */
public final class ArcAugmentation {
    public static final ArcAugmentation IDENTITY = new ArcAugmentation(0, new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    private static final Pattern SUFFIX = Pattern.compile("^(.+)_t([0-7])_([0-9]{10})$");

    private final int transform;
    private final int[] colourMap;

    /** {@code colourMap[c]} is the new colour of colour c; it must fix 0 and permute 1-9. */
    public ArcAugmentation(int transform, int[] colourMap) {
        Dihedral.inverse(transform); // validates the id
        if (colourMap.length != ArcGrid.COLOURS) throw new IllegalArgumentException("colour map needs 10 entries, got " + colourMap.length);
        boolean[] seen = new boolean[ArcGrid.COLOURS];
        for (int c : colourMap) {
            if (c < 0 || c >= ArcGrid.COLOURS || seen[c]) throw new IllegalArgumentException("colour map is not a permutation of 0-9");
            seen[c] = true;
        }
        if (colourMap[0] != 0) throw new IllegalArgumentException("colour map must keep 0 (black) as 0");
        this.transform = transform;
        this.colourMap = colourMap.clone();
    }

    /** A uniformly random transform and permutation of colours 1-9. */
    public static ArcAugmentation random(RandomGenerator rng) {
        int t = rng.nextInt(Dihedral.COUNT);
        int[] map = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (int i = 9; i > 1; i--) {
            int j = 1 + rng.nextInt(i);
            int x = map[i];
            map[i] = map[j];
            map[j] = x;
        }
        return new ArcAugmentation(t, map);
    }

    public int transform() {
        return transform;
    }

    public int colour(int c) {
        return colourMap[c];
    }

    /** {@code t<k>_<10 digits>}, as in the reference's identifiers. */
    public String suffix() {
        StringBuilder sb = new StringBuilder(13).append('t').append(transform).append('_');
        for (int c : colourMap) sb.append((char) ('0' + c));
        return sb.toString();
    }

    /** The identifier of this version of {@code task}: {@code <task>_<suffix>}. */
    public String name(String task) {
        return task + "_" + suffix();
    }

    /** The augmentation that undoes this one. */
    public ArcAugmentation inverse() {
        int[] inv = new int[ArcGrid.COLOURS];
        for (int c = 0; c < inv.length; c++) inv[colourMap[c]] = c;
        // A colour map acts cell by cell and a transform only moves cells, so they commute and the
        // inverse is again "colours, then transform".
        return new ArcAugmentation(Dihedral.inverse(transform), inv);
    }

    /**
     * Writes the augmented {@code rows x cols} grid at {@code src[srcOff..]} into {@code dst[dstOff..]}
     * ({@link Dihedral#outRows} x {@link Dihedral#outCols}); {@code scratch} holds at least rows*cols.
     */
    public void apply(int[] src, int srcOff, int rows, int cols, int[] scratch, int[] dst, int dstOff) {
        int n = rows * cols;
        for (int i = 0; i < n; i++) scratch[i] = colourMap[src[srcOff + i]];
        Dihedral.apply(transform, scratch, 0, rows, cols, dst, dstOff);
    }

    public ArcGrid apply(ArcGrid g) {
        if (g.size() == 0) return g;
        int[] out = new int[g.size()];
        apply(g.toArray(), 0, g.rows(), g.cols(), new int[g.size()], out, 0);
        return ArcGrid.of(Dihedral.outRows(transform, g.rows(), g.cols()), Dihedral.outCols(transform, g.rows(), g.cols()), out, 0);
    }

    /** A version's identifier split into its task name and augmentation (identity for a plain name). */
    public record Version(String task, ArcAugmentation augmentation) {}

    public static Version parse(String identifier) {
        Matcher m = SUFFIX.matcher(identifier);
        if (!m.matches()) return new Version(identifier, IDENTITY);
        int[] map = new int[ArcGrid.COLOURS];
        for (int i = 0; i < map.length; i++) map[i] = m.group(3).charAt(i) - '0';
        try {
            return new Version(m.group(1), new ArcAugmentation(Integer.parseInt(m.group(2)), map));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("identifier '" + identifier + "': " + hrm.io.ErrorText.of(e), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArcAugmentation a && a.transform == transform && java.util.Arrays.equals(a.colourMap, colourMap);
    }

    @Override
    public int hashCode() {
        return 31 * transform + java.util.Arrays.hashCode(colourMap);
    }

    @Override
    public String toString() {
        return suffix();
    }
}
