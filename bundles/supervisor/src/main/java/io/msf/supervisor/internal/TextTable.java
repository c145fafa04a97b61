package io.msf.supervisor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The console's table layout (as the shell bundle prints its tables): a title row, a rule, and
 * columns two blanks apart; a title starting with {@code >} is a right-aligned (numeric) column.
 * Cells are kept on one line so a stray newline in an error message cannot break the columns.
 */
final class TextTable {

    private static final String[] BYTE_UNITS = {"KiB", "MiB", "GiB", "TiB"};

    private final String[] titles;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... titles) {
        this.titles = new String[titles.length];
        this.right = new boolean[titles.length];
        for (int i = 0; i < titles.length; i++) {
            right[i] = titles[i].startsWith(">");
            this.titles[i] = right[i] ? titles[i].substring(1) : titles[i];
        }
    }

    void row(Object... cells) {
        if (cells.length != titles.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table " + titles.length + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = String.valueOf(cells[i]).replaceAll("\\p{Cntrl}", " ").strip();
        }
        rows.add(row);
    }

    String render() {
        int[] widths = new int[titles.length];
        String[] rules = new String[titles.length];
        for (int i = 0; i < titles.length; i++) {
            widths[i] = titles[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
            rules[i] = "-".repeat(widths[i]);
        }
        StringBuilder out = new StringBuilder();
        line(out, titles, widths);
        line(out, rules, widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append("  ");
            }
            String padding = " ".repeat(widths[i] - cells[i].length());
            line.append(right[i] ? padding + cells[i] : cells[i] + padding);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 87.0 MiB}; {@code -} for an unknown (negative) size. */
    static String bytesOrDash(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (unit < BYTE_UNITS.length - 1 && value >= 1024) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BYTE_UNITS[unit]);
    }

    /** {@code 450 ms}, {@code 12.3 s}, {@code 5m 03s}, {@code 2h 05m}, {@code 3d 04h}. */
    static String duration(long millis) {
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        long minutes = seconds / 60;
        if (minutes < 24 * 60) {
            return String.format(Locale.ROOT, "%dh %02dm", minutes / 60, minutes % 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", minutes / 60 / 24, minutes / 60 % 24);
    }
}
