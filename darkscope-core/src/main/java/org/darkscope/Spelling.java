package org.darkscope;

import java.util.Collection;
import java.util.Optional;

/**
 * The known name a mistyped one most likely meant, for the "did you mean" of a refusal: the
 * closest by edit distance (insertions, deletions, substitutions and swaps of two neighbours; the
 * optimal string alignment distance, F. J. Damerau, Commun. ACM 7 (1964) 171), when it is at most
 * a third of the mistyped name's length and at least one; ties go to the first known.
 */
public final class Spelling {
    private Spelling() {
    }

    /** The known name closest to {@code given}, if one is close enough. */
    public static Optional<String> closest(String given, Collection<String> known) {
        int allowed = Math.max(1, given.length() / 3);
        String best = null;
        int bestDistance = allowed + 1;
        for (String name : known) {
            int d = distance(given, name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** "unknown WHAT 'NAME', did you mean KNOWN? (known: ...)": the refusal of a name not among {@code known}. */
    public static String unknown(String what, String name, java.util.List<String> known) {
        return "unknown " + what + " '" + name + "'" + didYouMean(name, known) + " (known: " + String.join(", ", known) + ")";
    }

    /** ", did you mean NAME?" for the closest known name, or nothing. */
    public static String didYouMean(String given, Collection<String> known) {
        return closest(given, known).map(name -> ", did you mean " + name + "?").orElse("");
    }

    /** The optimal string alignment distance between {@code a} and {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
