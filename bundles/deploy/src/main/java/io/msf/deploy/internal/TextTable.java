package io.msf.deploy.internal;

import java.util.ArrayList;
import java.util.List;

/** Columns padded to their widest cell, as the other msf commands print them; the last column is not padded. */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... titles) {
        rows.add(titles);
    }

    void row(Object... cells) {
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            // one line per row, whatever a reason contains
            row[i] = cells[i] == null ? "" : cells[i].toString().replaceAll("\\p{Cntrl}", " ");
        }
        rows.add(row);
    }

    String render() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            line(out, rows.get(r), widths);
            if (r == 0) {
                String[] rule = new String[columns];
                for (int i = 0; i < columns; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                line(out, rule, widths);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
