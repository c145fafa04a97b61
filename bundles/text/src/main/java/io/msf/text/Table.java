package io.msf.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A plain-text table with aligned columns, as the commands print it:
 *
 * <pre>
 * GROUP   TRANSPORT  THREADS
 * ------  ---------  -------
 * io      EPOLL            4
 * worker  EPOLL            2
 * </pre>
 *
 * <p>Cells are kept on one line (control characters become spaces) so that a stray newline in
 * a task name or error message cannot break the columns; invisible format characters (a
 * right-to-left override, a zero-width space, a tag character past the first plane) and halves
 * of a character show as {@code ?}, so that a name cannot reorder or hide the text around it.
 * A column may cap its width, cutting longer cells with {@code ...}. Lines carry no trailing blanks.
 */
public final class Table {

    /** Where a cell sits in its column; numbers read best on the right. */
    public enum Align {
        LEFT,
        RIGHT
    }

    private static final String GAP = "  ";
    private static final String CUT = "...";
    private static final char HIDDEN = '?';

    private record Column(String title, Align align, int maxWidth) {
    }

    private final List<Column> columns = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();
    private final boolean header;

    private Table(boolean header) {
        this.header = header;
    }

    /** A table with a title row and a rule under it. */
    public static Table withHeader() {
        return new Table(true);
    }

    /** A table without titles, for label/value lists. */
    public static Table withoutHeader() {
        return new Table(false);
    }

    public Table left(String title) {
        return column(title, Align.LEFT, Integer.MAX_VALUE);
    }

    public Table right(String title) {
        return column(title, Align.RIGHT, Integer.MAX_VALUE);
    }

    /** A column whose cells are cut to {@code maxWidth} characters (at least 4). */
    public Table column(String title, Align align, int maxWidth) {
        if (!rows.isEmpty()) {
            throw new IllegalStateException("columns must be declared before rows");
        }
        if (maxWidth < CUT.length() + 1) {
            throw new IllegalArgumentException("maxWidth must be at least " + (CUT.length() + 1));
        }
        columns.add(new Column(Objects.requireNonNull(title, "title"), Objects.requireNonNull(align, "align"),
                maxWidth));
        return this;
    }

    /** Adds a row; a cell's {@code toString()} is shown, {@code null} as an empty cell. */
    public Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(
                    "row has " + cells.length + " cells, the table has " + columns.size() + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = fit(cells[i] == null ? "" : cells[i].toString(), columns.get(i).maxWidth());
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, each line ending with a newline. */
    public String render() {
        int[] widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header ? columns.get(i).title().length() : 0;
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        if (header) {
            String[] titles = new String[widths.length];
            String[] rules = new String[widths.length];
            for (int i = 0; i < widths.length; i++) {
                titles[i] = columns.get(i).title();
                rules[i] = "-".repeat(widths[i]);
            }
            line(out, titles, widths);
            line(out, rules, widths);
        }
        for (String[] row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    private void line(StringBuilder out, String[] cells, int[] widths) {
        int start = out.length();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(GAP);
            }
            String padding = " ".repeat(widths[i] - cells[i].length());
            if (columns.get(i).align() == Align.RIGHT) {
                out.append(padding).append(cells[i]);
            } else {
                out.append(cells[i]).append(padding);
            }
        }
        int end = out.length();
        while (end > start && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append('\n');
    }

    private static String fit(String text, int maxWidth) {
        StringBuilder oneLine = new StringBuilder(Math.min(text.length(), 256));
        for (int i = 0; i < text.length() && oneLine.length() <= maxWidth; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (paired) {
                    int whole = Character.toCodePoint(c, text.charAt(++i));
                    if (isFormat(whole)) {
                        oneLine.append(HIDDEN);
                    } else {
                        oneLine.appendCodePoint(whole);
                    }
                } else {
                    oneLine.append(HIDDEN);
                }
            } else {
                oneLine.append(shown(c));
            }
        }
        if (oneLine.length() > maxWidth) {
            oneLine.setLength(maxWidth - CUT.length());
            if (Character.isHighSurrogate(oneLine.charAt(oneLine.length() - 1))) {
                oneLine.setLength(oneLine.length() - 1); // not half a character before the cut
            }
            oneLine.append(CUT);
        }
        return oneLine.toString().strip();
    }

    /**
     * A control character as a space; a format character as {@value #HIDDEN}: a terminal that honours
     * them lets a right-to-left override (U+202E) turn the rest of the row around, and zero-width ones
     * hide text or shift the columns, in a name a remote peer chose.
     */
    private static char shown(char c) {
        if (Character.isISOControl(c)) {
            return ' ';
        }
        return isFormat(c) ? HIDDEN : c;
    }

    /**
     * Whether a character is a format character, in the first plane or past it: the tag characters
     * (U+E0020 to U+E007F) spell out text no terminal shows, two halves each.
     */
    private static boolean isFormat(int codePoint) {
        return Character.getType(codePoint) == Character.FORMAT;
    }
}
