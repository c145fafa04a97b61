package io.msf.client.internal;

import io.msf.client.api.AgentException;

/**
 * The report of one kind that waits for onError, and those of its kind that came while it waited,
 * counted into it. Reports that can come faster than onError takes them (a publisher's drops, the
 * agent's ERRORs for no call) so keep at most one of a kind queued, and none goes untold.
 */
final class PendingReport {

    /** What the count of those counted in is, e.g. "more publications dropped". */
    private final String more;
    private AgentException first;
    private AgentException last;
    private long since;

    PendingReport(String more) {
        this.more = more;
    }

    /** Counts {@code report} in; true if none waited, and the caller is to queue {@link #take}. */
    synchronized boolean add(AgentException report) {
        if (first != null) {
            last = report;
            since++;
            return false;
        }
        first = report;
        return true;
    }

    /** The first report, with the count and the last of those counted in since; the next add starts anew. */
    synchronized AgentException take() {
        AgentException report = since == 0 ? first : new AgentException(first.code(), first.detail()
                + "; " + since + " " + more + " since, the last: " + last.getMessage(), first);
        first = null;
        last = null;
        since = 0;
        return report;
    }
}
