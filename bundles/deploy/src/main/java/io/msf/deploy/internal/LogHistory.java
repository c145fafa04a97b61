package io.msf.deploy.internal;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.osgi.service.log.LogEntry;

/**
 * The Log service's history, read by sequence number. Felix Log numbers an entry as it is made and
 * adds it to the history, newest first, under its lock afterwards: a thread held up in between adds
 * an entry with a lower number in front of newer ones. So the history is in number order only
 * roughly near its head, and no entry may end a look for those after a mark: it is read whole (at
 * most its size, 100 entries by default).
 */
final class LogHistory {

    private LogHistory() {
    }

    /** The highest sequence number in the history, -1 if it is empty. */
    static long newest(Enumeration<LogEntry> history) {
        long newest = -1;
        while (history.hasMoreElements()) {
            newest = Math.max(newest, history.nextElement().getSequence());
        }
        return newest;
    }

    /** The entries of the bundle numbered after {@code mark}, newest first as the history has them. */
    static List<LogEntry> after(Enumeration<LogEntry> history, long mark, long bundleId) {
        List<LogEntry> entries = new ArrayList<>();
        while (history.hasMoreElements()) {
            LogEntry entry = history.nextElement();
            if (entry.getSequence() > mark && entry.getBundle() != null
                    && entry.getBundle().getBundleId() == bundleId) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
