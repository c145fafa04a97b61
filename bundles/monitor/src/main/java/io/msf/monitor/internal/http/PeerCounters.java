package io.msf.monitor.internal.http;

import io.msf.monitor.internal.probe.FadingTotals;
import io.msf.monitor.internal.probe.PeerFigures;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps each {@code msf_peer_*} counter from going down between scrapes. A series adds up the
 * connections that share its labels ({@link PeerSeries}), and a connection's counts start at 0: when
 * one of them ended, or the peer reconnected, the sum fell, which Prometheus takes for a reset of the
 * counter, counting all it then holds as new (a spike of {@code rate()}). The counts a connection had at
 * the last scrape stay in its series once it is gone; what it did after that scrape is not counted.
 * Holds one entry per connection seen at the last scrape and one per series shown lately
 * ({@link FadingTotals}: peers name themselves, and one reconnecting under a new name each time must not
 * grow this without end).
 */
final class PeerCounters {

    private record Counts(long messagesIn, long messagesOut, long bytesIn, long bytesOut, long errors) {

        static final Counts NONE = new Counts(0, 0, 0, 0, 0);

        static Counts of(PeerFigures peer) {
            return new Counts(peer.messagesIn(), peer.messagesOut(), peer.bytesIn(), peer.bytesOut(), peer.errors());
        }

        Counts plus(Counts other) {
            return new Counts(messagesIn + other.messagesIn, messagesOut + other.messagesOut, bytesIn + other.bytesIn,
                    bytesOut + other.bytesOut, errors + other.errors);
        }

        /** False if any count is below {@code before}'s: another connection, counting from 0. */
        boolean continues(Counts before) {
            return messagesIn >= before.messagesIn && messagesOut >= before.messagesOut && bytesIn >= before.bytesIn
                    && bytesOut >= before.bytesOut && errors >= before.errors;
        }
    }

    /** A connection at the last scrape: its series and its counts then. */
    private record Seen(Labels series, Counts counts) {
    }

    /** What the connections that ended counted, by series. */
    private final FadingTotals<Labels, Counts> ended = FadingTotals.ofThingsAway();
    /** The connections of the last scrape, by agent id and origin. */
    private Map<String, Seen> last = Map.of();

    /**
     * The series of the latest sample's peers, their counters with what their ended connections counted
     * added. The sample is read under the lock, not before: scrapes run at once (two Prometheus servers), and
     * one that had read an older sample and applied it after a newer one took its lower counts for a new
     * connection's, and booked the live one's whole total as ended: the counter rose by it for good. Read
     * here, the samples are applied in the order they were taken.
     */
    synchronized List<PeerSeries> seriesOfLatest(Supplier<List<PeerFigures>> latestPeers) {
        return series(latestPeers.get(), System.nanoTime());
    }

    /** As the other {@code series}, at {@code nanoTime}. */
    synchronized List<PeerSeries> series(List<PeerFigures> peers, long nanoTime) {
        Map<String, Seen> now = new HashMap<>();
        for (PeerFigures peer : peers) {
            String connection = peer.id() + " " + peer.origin();
            Seen seen = new Seen(PeerSeries.labels(peer), Counts.of(peer));
            Seen before = last.get(connection);
            if (before != null && !(before.series.equals(seen.series) && seen.counts.continues(before.counts))) {
                end(before, nanoTime); // the same id and origin again, but a new connection
            }
            now.put(connection, seen);
        }
        for (Map.Entry<String, Seen> gone : last.entrySet()) {
            if (!now.containsKey(gone.getKey())) {
                end(gone.getValue(), nanoTime);
            }
        }
        last = now;
        List<PeerSeries> series = new ArrayList<>();
        List<PeerSeries> shown = PeerSeries.of(peers);
        shown.forEach(one -> ended.seen(one.labels(), nanoTime));
        ended.forget(nanoTime);
        for (PeerSeries one : shown) {
            Counts base = ended.get(one.labels(), Counts.NONE);
            series.add(new PeerSeries(one.labels(), one.messagesIn() + base.messagesIn,
                    one.messagesOut() + base.messagesOut, one.bytesIn() + base.bytesIn, one.bytesOut() + base.bytesOut,
                    one.queueDepth(), one.inFlight(), one.errors() + base.errors, one.latencyP50Micros(),
                    one.latencyP99Micros()));
        }
        return series;
    }

    private void end(Seen connection, long nanoTime) {
        ended.add(connection.series, connection.counts, Counts::plus, nanoTime);
    }

    /** Series whose ended connections' counts are kept, for tests. */
    synchronized int seriesRemembered() {
        return ended.size();
    }
}
