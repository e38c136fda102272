package hrm.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The "did you mean" of every check of names (configuration keys, key=value arguments, options,
 * commands): a misspelt name is answered with the known names closest to it, so a typo costs one
 * reading of the message rather than a search through the list of known ones.
 */
public final class DidYouMean {
    /** At most this many suggestions: more would be the list of known names again. */
    private static final int MAX_SUGGESTIONS = 3;

    private DidYouMean() {}

    /**
     * The known names {@code word} is most likely a slip of, best first; empty when none is close.
     * A difference only of case, '_' or '-' ({@code h_cycles}, {@code hidden-size}) always counts;
     * otherwise the edit distance (insertions, deletions, substitutions and swaps of neighbours) must
     * be at most 1, or 2 for names of 8 or more characters, so short unrelated names are not offered.
     */
    public static List<String> closest(String word, Collection<String> known) {
        String w = word.toLowerCase(Locale.ROOT), folded = fold(word);
        List<String> slips = new ArrayList<>();
        for (String k : new TreeSet<>(known)) if (!folded.isEmpty() && fold(k).equals(folded) && !k.equals(word)) slips.add(k);
        if (!slips.isEmpty()) return cap(slips);
        int limit = w.length() >= 8 ? 2 : 1, best = limit + 1;
        List<String> out = new ArrayList<>();
        for (String k : new TreeSet<>(known)) {
            int d = distance(w, k.toLowerCase(Locale.ROOT));
            if (d == 0 || d > limit || d > best) continue;
            if (d < best) out.clear();
            best = d;
            out.add(k);
        }
        return cap(out);
    }

    /** "; did you mean PREFIXa?" or "; did you mean PREFIXa or PREFIXb?", or "" when nothing is close. */
    public static String hint(String word, Collection<String> known, String prefix) {
        List<String> c = closest(word, known);
        if (c.isEmpty()) return "";
        List<String> named = c.stream().map(k -> prefix + k).toList();
        return "; did you mean " + String.join(" or ", named) + "?";
    }

    /** The one message of an unknown key: {@code PREFIXkey: unknown key; did you mean PREFIXk? (known: a, b, ...)}. */
    public static String unknownKey(String prefix, String key, Collection<String> known) {
        return prefix + key + ": unknown key" + hint(key, known, prefix) + " (known: " + String.join(", ", new TreeSet<>(known)) + ")";
    }

    private static List<String> cap(List<String> l) {
        return l.size() > MAX_SUGGESTIONS ? List.copyOf(l.subList(0, MAX_SUGGESTIONS)) : l;
    }

    /** The name without case, '_' and '-': what stays when only those slipped. */
    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Damerau-Levenshtein distance (optimal string alignment: a swap of neighbours is one edit). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
        return d[a.length()][b.length()];
    }
}
