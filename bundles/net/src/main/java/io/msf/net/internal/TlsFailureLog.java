package io.msf.net.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * The log lines of one endpoint's failed TLS handshakes, bounded: anyone who can reach a TCP port
 * can fail a handshake as often as they like, and each must not become a WARN line. Per minute,
 * the first failure from each peer address (up to {@value #MAX_WARNED_PEERS} addresses) is a
 * WARN; the others are DEBUG lines, counted, and one WARN line at the end of the minute says how
 * many there were.
 */
final class TlsFailureLog {

    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** At most this many WARN lines per minute name a peer, however many addresses fail. */
    static final int MAX_WARNED_PEERS = 20;

    private final String endpoint;
    private final Logger log;
    private final Ticker ticker;
    private final Set<String> warned = new HashSet<>();
    private long windowStart;
    private long window;
    private int suppressed;

    TlsFailureLog(String endpoint, Logger log, Ticker ticker) {
        this.endpoint = endpoint;
        this.log = log;
        this.ticker = ticker;
        this.windowStart = ticker.nanoTime();
    }

    /**
     * @param host the peer's address without the port (each connection has a port of its own)
     * @param peer the peer as log lines show it
     * @param executor schedules the summary at the end of the minute
     */
    synchronized void failed(String host, String peer, String reason, EventExecutor executor) {
        long now = ticker.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            endWindow(now);
        }
        if (warned.size() < MAX_WARNED_PEERS && warned.add(host)) {
            log.warn("{}: TLS with {} failed, connection closed: {}", endpoint, peer, reason);
            return;
        }
        if (suppressed++ == 0) {
            long thisWindow = window;
            executor.schedule(() -> endWindowIfStill(thisWindow), windowStart + WINDOW_NANOS - now,
                    TimeUnit.NANOSECONDS);
        }
        log.debug("{}: TLS with {} failed, connection closed: {} ({} such failures this minute past the first"
                + " per peer address)", endpoint, peer, reason, suppressed);
    }

    private synchronized void endWindowIfStill(long scheduledIn) {
        if (window == scheduledIn) {
            endWindow(ticker.nanoTime());
        }
    }

    private void endWindow(long now) {
        if (suppressed > 0) {
            log.warn("{}: {} more TLS handshakes failed in the last minute; each peer address is named once a"
                    + " minute, the rest at DEBUG", endpoint, suppressed);
        }
        warned.clear();
        suppressed = 0;
        windowStart = now;
        window++;
    }
}
