package io.msf.upnp.internal;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClient;
import io.msf.client.api.AgentException;
import io.msf.dlna.api.Dlna;
import io.msf.dlna.api.MediaLibrary;
import io.msf.dlna.api.Track;
import io.msf.protocol.api.ErrorCode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.log.Logger;

/**
 * upnp's periodic round with dlna, all asynchronous: an RPC for the next track of the library, a SET
 * of dlna's state to "playing" it, and a GET checking it. {@link #run} only starts the calls, so it
 * suits the timer's thread; a round starts only once the previous one ended, so a slow dlna never
 * piles up requests. Once {@link #close closed}, a round in flight sends nothing more: its next step
 * comes with a reply, possibly after the component deactivated.
 */
final class Rounds implements Runnable {

    private static final Address DLNA = Address.name(Dlna.NAME);
    private static final String ELLIPSIS = "...";

    private final AgentClient client;
    private final MediaLibrary library;
    private final Received received;
    private final Logger log;
    private final Duration timeout;
    private final long intervalMillis;
    /** Asks for the library's tracks again (on another thread: this one must not block). */
    private final Runnable wantTracks;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicLong started = new AtomicLong();
    private final Exchanges done = new Exchanges();
    private final Exchanges failed = new Exchanges();
    private volatile boolean failing;
    private volatile boolean closed;
    private volatile List<Track> tracks = List.of();

    Rounds(AgentClient client, MediaLibrary library, Received received, Logger log, Duration timeout,
            long intervalMillis, Runnable wantTracks) {
        this.wantTracks = wantTracks;
        this.client = client;
        this.library = library;
        this.received = received;
        this.log = log;
        this.timeout = timeout;
        this.intervalMillis = intervalMillis;
    }

    /** The library's tracks, played in turn; without them the rounds set plain states. */
    void tracks(List<Track> known) {
        tracks = known;
    }

    /**
     * Ends the rounds: none starts, and one in flight stops before its next call (its SET or GET would
     * reach dlna from a stopped instance, after the one that replaced it had started its own rounds).
     */
    void close() {
        closed = true;
    }

    long started() {
        return started.get();
    }

    /** Rounds finished and failed since the previous call, or null if none. */
    String drain() {
        long finished = done.drain();
        long failures = failed.drain();
        return finished + failures == 0 ? null : UpnpService.count(finished, "round") + " with dlna, " + failures + " failed";
    }

    @Override
    public void run() {
        if (closed) {
            return; // a run the timer had begun as it was cancelled
        }
        if (!inFlight.compareAndSet(false, true)) {
            log.debug("upnp: round skipped, the previous one is still waiting for dlna");
            return;
        }
        long round = started.incrementAndGet();
        boolean first = round == 1;
        try {
            nextState(round, first)
                    .thenCompose(next -> set(next, first))
                    .thenCompose(next -> get(next, first))
                    .whenComplete((state, failure) -> finished(failure));
        } catch (RuntimeException e) {
            finished(e);
        }
    }

    /**
     * "playing" the round's track, from the library over RPC; a plain text without tracks, which are
     * asked for again meanwhile (dlna.library may have come up after dlna, or failed the first time).
     */
    private CompletionStage<String> nextState(long round, boolean first) {
        List<Track> known = tracks;
        if (known.isEmpty()) {
            wantTracks.run();
            return CompletableFuture.completedFuture("round " + round);
        }
        int number = known.get((int) ((round - 1) % known.size())).number();
        return library.track(number).thenApply(track -> {
            exchange(first, "upnp -> {} MediaLibrary.track({}) (RPC, async): '{}' by {}", Dlna.LIBRARY, number,
                    track.title(), track.artist());
            return fitted("playing " + track.title() + " by " + track.artist());
        });
    }

    /**
     * {@code state} as dlna takes it: cut to {@value Dlna#MAX_STATE_BYTES} bytes of UTF-8, between two
     * characters, ending in "..." when cut. dlna refuses a longer SET, and a long title would fail
     * every round that plays its track.
     */
    static String fitted(String state) {
        if (ByteBufUtil.utf8Bytes(state) <= Dlna.MAX_STATE_BYTES) {
            return state;
        }
        int room = Dlna.MAX_STATE_BYTES - ELLIPSIS.length();
        int end = 0;
        while (end < state.length()) {
            int next = state.offsetByCodePoints(end, 1);
            // as writeUtf8 writes it (a lone surrogate as one '?')
            int bytes = ByteBufUtil.utf8Bytes(state, end, next);
            if (bytes > room) {
                break;
            }
            room -= bytes;
            end = next;
        }
        return state.substring(0, end) + ELLIPSIS;
    }

    private CompletionStage<String> set(String next, boolean first) {
        if (closed) {
            return stopped();
        }
        return client.requestAsync(DLNA, Dlna.SET, ByteBufUtil.writeUtf8(client.alloc(), next), timeout)
                .thenApply(reply -> {
                    exchange(first, "upnp -> dlna SET '{}' (async): was {}", next, Received.previous(reply));
                    return next;
                });
    }

    private CompletionStage<String> get(String expected, boolean first) {
        if (closed) {
            return stopped();
        }
        return client.requestAsync(DLNA, Dlna.GET, Unpooled.EMPTY_BUFFER, timeout).thenApply(reply -> {
            String state = received.replied(reply);
            if (state == null) { // dropped, and said so: the round failed
                throw new AgentException(ErrorCode.REMOTE_ERROR, "dlna's reply to GET is not a state");
            }
            received.dlnaState(state);
            if (state.equals(expected)) {
                exchange(first, "upnp -> dlna GET (async): '{}'", state);
            } else {
                // not upnp's fault nor dlna's: the console's agent:send, or the other upnp during a hot swap of
                // upnp (both versions run rounds until the old one stops), set it in between
                log.info("upnp: dlna answered GET with '{}' right after SET '{}': another peer set it in between",
                        state, expected);
            }
            return state;
        });
    }

    private static CompletionStage<String> stopped() {
        return CompletableFuture.failedFuture(new CancellationException("upnp stopped"));
    }

    private void finished(Throwable failure) {
        inFlight.set(false);
        if (closed) {
            // no failure of dlna's: the stop ended it (or a failure that no longer matters)
            log.debug("upnp: round ended by the stop ({})", failure == null ? "done" : failure.toString());
            return;
        }
        if (failure == null) {
            done.countFirst();
            if (failing) {
                failing = false;
                log.info("upnp: dlna answers again");
            }
            return;
        }
        failed.countFirst();
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (failing) {
            log.debug("upnp: round with dlna failed: {}", cause.getMessage());
        } else {
            failing = true;
            log.warn("upnp: round with dlna failed: {}; trying again every {} ms (failures now at DEBUG)",
                    cause.getMessage(), intervalMillis);
        }
    }

    private void exchange(boolean first, String format, Object... args) {
        if (first) {
            log.info(format + " (first round; the following ones are logged at DEBUG)", args);
        } else {
            log.debug(format, args);
        }
    }
}
