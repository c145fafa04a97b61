package io.msf.net.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * The log lines of one endpoint's connections that a peer made fail, bounded: anyone who can reach
 * a TCP port can fail a TLS handshake, or send a frame too large, as often as they like, and each
 * must not become a WARN line. Per minute, the first failure from each peer address (up to
 * {@value #MAX_WARNED_PEERS} addresses) is a WARN; the others are DEBUG lines, counted, and one
 * WARN line at the end of the minute says how many there were. An endpoint has one such log for
 * its failed TLS handshakes ({@link #tlsHandshakes}) and one for the connections closed for an
 * error ({@link #connectionErrors}); a UDP endpoint one for the errors on its socket, each the
 * sender's of the datagram that caused it ({@link #datagramErrors}); a server one for the connections it
 * could not accept ({@link #acceptFailures}).
 */
final class PeerFailureLog {

    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** At most this many WARN lines per minute name a peer, however many addresses fail. */
    static final int MAX_WARNED_PEERS = 20;

    private final EndpointLabel endpoint;
    /** "{}: " + this + ": {}" is the line of a failure, the peer and the reason filled in. */
    private final String failure;
    /** What the summary counts: "{} more " + this + " in the last minute". */
    private final String failures;
    private final Logger log;
    private final Ticker ticker;
    private final Set<String> warned = new HashSet<>();
    private long windowStart;
    private long window;
    private int suppressed;

    private PeerFailureLog(EndpointLabel endpoint, String failure, String failures, Logger log, Ticker ticker) {
        this.endpoint = endpoint;
        this.failure = failure;
        this.failures = failures;
        this.log = log;
        this.ticker = ticker;
        this.windowStart = ticker.nanoTime();
    }

    static PeerFailureLog tlsHandshakes(EndpointLabel endpoint, Logger log, Ticker ticker) {
        return new PeerFailureLog(endpoint, "TLS with {} failed, connection closed", "TLS handshakes failed", log,
                ticker);
    }

    static PeerFailureLog connectionErrors(EndpointLabel endpoint, Logger log, Ticker ticker) {
        return new PeerFailureLog(endpoint, "closing the connection from {}", "connections were closed for an error",
                log, ticker);
    }

    /**
     * A server's connections that it could not accept (out of file descriptors, say): the "peer" is the
     * address it listens on, the one key of the log, as the failure names no peer.
     */
    static PeerFailureLog acceptFailures(EndpointLabel endpoint, Logger log, Ticker ticker) {
        return new PeerFailureLog(endpoint, "cannot accept a connection on {}", "connections could not be accepted",
                log, ticker);
    }

    /** The peer of a failure is "reading a datagram from host:port", or "between datagrams". */
    static PeerFailureLog datagramErrors(EndpointLabel endpoint, Logger log, Ticker ticker) {
        return new PeerFailureLog(endpoint, "error on its UDP socket, which keeps serving, {}",
                "errors on its UDP socket", log, ticker);
    }

    /**
     * @param host the peer's address without the port (each connection has a port of its own)
     * @param peer the peer as log lines show it
     * @param executor schedules the summary at the end of the minute
     */
    void failed(String host, String peer, String reason, EventExecutor executor) {
        failed(host, peer, reason, null, executor);
    }

    /**
     * @param cause logged with the line, its stack trace with it, if not null: a failure that is
     *     not the peer's alone (an exception in a handler)
     */
    synchronized void failed(String host, String peer, String reason, Throwable cause, EventExecutor executor) {
        long now = ticker.nanoTime();
        if (now - windowStart >= WINDOW_NANOS) {
            endWindow(now);
        }
        if (warned.size() < MAX_WARNED_PEERS && warned.add(host)) {
            if (cause == null) {
                log.warn("{}: " + failure + ": {}", endpoint.get(), peer, reason);
            } else {
                log.warn("{}: " + failure + ": {}", endpoint.get(), peer, reason, cause);
            }
            return;
        }
        if (suppressed++ == 0) {
            long thisWindow = window;
            executor.schedule(() -> endWindowIfStill(thisWindow), windowStart + WINDOW_NANOS - now,
                    TimeUnit.NANOSECONDS);
        }
        log.debug("{}: " + failure + ": {} ({} such failures this minute past the first per peer address)",
                endpoint.get(), peer, reason, suppressed);
    }

    private synchronized void endWindowIfStill(long scheduledIn) {
        if (window == scheduledIn) {
            endWindow(ticker.nanoTime());
        }
    }

    private void endWindow(long now) {
        if (suppressed > 0) {
            log.warn("{}: {} more " + failures + " in the last minute; each peer address is named once a minute,"
                    + " the rest at DEBUG", endpoint.get(), suppressed);
        }
        warned.clear();
        suppressed = 0;
        windowStart = now;
        window++;
    }
}
