package io.msf.mempool.internal;

import io.msf.mempool.api.LeakReport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * The leak reports of one run of the framework, kept in the bundle's data area while the memory
 * pool service restarts (its bundle refreshed or updated): they tell of bundles that already
 * stopped, which the new instance never saw. The first line names the run (the framework's UUID),
 * so that a later run, whose memory is new, starts without them; then one tab-separated report a
 * line, newest first. Symbolic names hold no tabs nor line breaks.
 *
 * @param path where the reports are kept
 * @param run the framework's UUID
 */
record LeakReportFile(Path path, String run) {

    static final String NAME = "leak-reports.tsv";

    /** The file of this bundle in this run; none without file system support or a framework UUID. */
    static Optional<LeakReportFile> of(BundleContext context) {
        File file = context.getDataFile(NAME);
        String run = context.getProperty(Constants.FRAMEWORK_UUID);
        return file == null || run == null ? Optional.empty() : Optional.of(new LeakReportFile(file.toPath(), run));
    }

    void write(List<LeakReport> reports) throws IOException {
        StringBuilder text = new StringBuilder(run).append('\n');
        for (LeakReport r : reports) {
            text.append(r.bundle()).append('\t').append(r.bundleId()).append('\t').append(r.stoppedAt()).append('\t')
                    .append(r.buffersAtStop()).append('\t').append(r.bytesAtStop()).append('\t')
                    .append(r.buffersNow()).append('\n');
        }
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }

    /**
     * The reports written in this run, if any, and deletes the file: read once, so that a later failure to
     * write it cannot bring back older ones. A line that is no report (cut short as a full disk took the
     * file, say) is skipped and named, so that it costs no other report.
     *
     * @throws IOException if it cannot be read
     */
    Taken take() throws IOException {
        if (!Files.exists(path)) {
            return new Taken(List.of(), List.of());
        }
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<LeakReport> reports = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (!lines.isEmpty() && lines.get(0).equals(run)) {
            for (int i = 1; i < lines.size(); i++) {
                try {
                    reports.add(report(lines.get(i)));
                } catch (RuntimeException e) {
                    skipped.add("line " + (i + 1) + " (" + e.getMessage() + ")");
                }
            }
        }
        Files.delete(path);
        return new Taken(List.copyOf(reports), List.copyOf(skipped));
    }

    /**
     * What {@link #take} read.
     *
     * @param reports the reports, newest first
     * @param skipped each line that was no report, as "line 3 (2 fields, not 6)", numbered from 1
     */
    record Taken(List<LeakReport> reports, List<String> skipped) {
    }

    /** @throws RuntimeException saying why the line is no report */
    private static LeakReport report(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 6) {
            throw new IllegalArgumentException(f.length + " fields, not 6");
        }
        return new LeakReport(f[0], Long.parseLong(f[1]), Instant.parse(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]));
    }
}
