package io.msf.settings;

/**
 * How far a name as typed is from a known one, for the "did you mean" of a key, an option, a file
 * name or a command: the typos people make are a letter wrong, missing or doubled, and two letters
 * swapped, each one edit.
 */
public final class Typos {

    private Typos() {
    }

    /**
     * The most edits a typo of {@code typed} may be to suggest a name for it: one, two for a name of more than
     * 4 characters (two edits leave too little of a shorter name to say which one was meant).
     */
    public static int limit(String typed) {
        return typed.length() > 4 ? 2 : 1;
    }

    /**
     * {@link #distance(String, String)} when it is {@code limit} or fewer; else a number above {@code limit},
     * not always the distance: names that differ in length by more than {@code limit} are more edits apart
     * than that (an edit adds or removes one letter at most), and their table is not worked out.
     */
    public static int distance(String a, String b, int limit) {
        return Math.abs(a.length() - b.length()) > limit ? limit + 1 : distance(a, b);
    }

    /**
     * Edits (insert, delete, replace, swap of two neighbours) from {@code a} to {@code b}. Keeps three
     * rows of the table, each as long as the shorter name, not the whole table: a value of millions
     * of characters in a file would otherwise take an array per character (the swap needs the row
     * before last).
     */
    public static int distance(String a, String b) {
        String longer = a.length() >= b.length() ? a : b; // the distance is the same both ways
        String shorter = longer == a ? b : a;
        int[] beforeLast = new int[shorter.length() + 1];
        int[] last = new int[shorter.length() + 1];
        int[] row = new int[shorter.length() + 1];
        for (int j = 0; j <= shorter.length(); j++) {
            last[j] = j;
        }
        for (int i = 1; i <= longer.length(); i++) {
            row[0] = i;
            for (int j = 1; j <= shorter.length(); j++) {
                int cost = longer.charAt(i - 1) == shorter.charAt(j - 1) ? 0 : 1;
                row[j] = Math.min(Math.min(last[j] + 1, row[j - 1] + 1), last[j - 1] + cost);
                if (i > 1 && j > 1 && longer.charAt(i - 1) == shorter.charAt(j - 2)
                        && longer.charAt(i - 2) == shorter.charAt(j - 1)) {
                    row[j] = Math.min(row[j], beforeLast[j - 2] + 1);
                }
            }
            int[] spare = beforeLast;
            beforeLast = last;
            last = row;
            row = spare;
        }
        return last[shorter.length()];
    }
}
