package io.msf.mempool.internal;

import io.msf.mempool.api.LeakReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The leak reports of one run of the framework, kept in the bundle's data area while the memory
 * pool service restarts (its bundle refreshed or updated): they tell of bundles that already
 * stopped, which the new instance never saw. The first line names the run (the framework's UUID),
 * so that a later run, whose memory is new, starts without them; then one tab-separated report a
 * line, newest first. Symbolic names hold no tabs nor line breaks.
 */
final class LeakReportFile {

    static final String NAME = "leak-reports.tsv";

    private LeakReportFile() {
    }

    static void write(Path file, String run, List<LeakReport> reports) throws IOException {
        StringBuilder text = new StringBuilder(run).append('\n');
        for (LeakReport r : reports) {
            text.append(r.bundle()).append('\t').append(r.bundleId()).append('\t').append(r.stoppedAt()).append('\t')
                    .append(r.buffersAtStop()).append('\t').append(r.bytesAtStop()).append('\t')
                    .append(r.buffersNow()).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * The reports in {@code file} if it was written in {@code run}, else none.
     *
     * @throws IOException if it cannot be read, or a line is not a report (the message names the line)
     */
    static List<LeakReport> read(Path file, String run) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(run)) {
            return List.of();
        }
        List<LeakReport> reports = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException(f.length + " fields, not 6");
                }
                reports.add(new LeakReport(f[0], Long.parseLong(f[1]), Instant.parse(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4]), Long.parseLong(f[5])));
            } catch (RuntimeException e) {
                throw new IOException("line " + (i + 1) + " is not a leak report (" + e.getMessage() + ")", e);
            }
        }
        return reports;
    }
}
