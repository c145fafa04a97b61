package io.msf.net.internal;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.text.ControlCharacters;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.osgi.service.log.Logger;

/**
 * What a {@link ConfiguredEndpoint} has open (a bound endpoint, or a client connecting in the
 * background), and how that is switched to new settings without letting go of what serves while the
 * new cannot be used: a server on the same address keeps its socket; one moving elsewhere, with its
 * handler or another, binds the new address before it closes the old; one that needs the port its
 * own socket holds closes that first and binds the old address again if the new one cannot be bound.
 * A server that moves with its handler keeps the connections it accepted: only its listening socket is
 * closed, and the new one counts them and closes them when it closes. One configured with port 0 keeps
 * the port the kernel picked for it ({@link PickedPort}).
 *
 * <p>Which settings and which handler to serve with is the configured endpoint's to decide; a
 * switch says through {@link Problems} why it did not happen. Used under the configured endpoint's
 * lock; {@link #info} reads without it.
 */
final class EndpointSwitch {

    /**
     * Where a switch that did not happen is reported: with the reason alone, which the configured endpoint
     * logs after its PID and shows beside its name, so it must not name the endpoint itself.
     */
    interface Problems {

        /** The endpoint serves as before; {@code reason} says why the new settings were not taken. */
        void error(String reason);

        /** Nothing is open any more; {@code reason} says why. */
        void fail(String reason);

        /**
         * The bound endpoint closed on its own, not by this switch: NIO closes a UDP socket whose read fails
         * (its owner over its memory limit). Called on the endpoint's event loop; the receiver calls
         * {@link #forget} under its own lock, and binds again what it had.
         */
        void lost(NetEndpoint endpoint, String reason);
    }

    /** How long binding the address this endpoint has just closed is tried again (see {@link #bind}). */
    private static final long REBIND_RETRY_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long REBIND_PAUSE_MILLIS = 10;

    private final String pid;
    private final String owner;
    private final EndpointOpener opener;
    /** Where a client's attempts do what may block ({@link ReconnectingClient}). */
    private final Executor blocking;
    private final Problems problems;
    private final Logger log;
    private volatile NetEndpoint endpoint;
    /**
     * A client, in place of {@link #endpoint}, that connects in the background (and keeps connecting
     * unless its spec has no {@link EndpointSpec#reconnect}); null otherwise.
     */
    private volatile ReconnectingClient client;
    /** The port an endpoint configured with port 0 binds again, once the kernel picked it. */
    private final PickedPort pickedPort = new PickedPort();
    /** The settings of the endpoint closed last (on the port it had), and when: see {@link #bind}. */
    private EndpointSpec closedSpec;
    private long closedAtNanos;

    /** @param blocking where a client's attempts do what may block: a host lookup, reading its TLS stores */
    EndpointSwitch(String pid, String owner, EndpointOpener opener, Executor blocking, Problems problems, Logger log) {
        this.pid = pid;
        this.owner = owner;
        this.opener = opener;
        this.blocking = blocking;
        this.problems = problems;
        this.log = log;
    }

    /**
     * Takes {@code configured} as the endpoint's settings from now on, before it is opened with them: one
     * that names its port lets go of the port kept for port 0 ({@link PickedPort#follow}).
     */
    void configured(EndpointSpec configured) {
        pickedPort.follow(configured);
    }

    /** Whether anything is open: a bound endpoint or a client. */
    boolean isOpen() {
        return endpoint != null || client != null;
    }

    /** Whether what is open is a client (connected, connecting, or given up as its spec says). */
    boolean isClient() {
        return client != null;
    }

    /**
     * Opens the endpoint. A client connects in the background, with or without
     * {@link EndpointSpec#reconnect}, and is never refused for a server that is not there: the
     * configuration thread, which every other configuration change of the container waits for, must
     * not wait for a connect or a TLS handshake. One that does not reconnect shows itself FAILED, or
     * CLOSED once its connection is lost, with the reason.
     *
     * @return false if it cannot be opened, reported as a {@link Problems#fail}
     */
    boolean open(EndpointSpec spec, ChannelSetup setup) {
        if (ConfiguredSpec.isClient(spec.transport())) {
            ReconnectingClient connecting = new ReconnectingClient(owner, spec, setup, opener, opener.nextLoop(), blocking,
                    log, closed -> { });
            client = connecting;
            connecting.start();
            return true;
        }
        try {
            endpoint = bind(spec, setup);
            return true;
        } catch (RuntimeException e) {
            problems.fail(reason(e, spec));
            return false;
        }
    }

    /**
     * Binds again a server (or UDP socket) that could not be bound, in the background: as {@link #open},
     * but its failure is the caller's to report, and so is its success, in one INFO line that says more
     * than the opener's would (after how many attempts).
     *
     * @return null once it is bound, else why not
     */
    String bindAgain(EndpointSpec spec, ChannelSetup setup) {
        try {
            endpoint = bind(spec, setup, null, false);
            return null;
        } catch (RuntimeException e) {
            return reason(e, spec);
        }
    }

    void close() {
        ReconnectingClient stopping = client;
        client = null;
        if (stopping != null) {
            stopping.close();
        }
        NetEndpoint closing = endpoint;
        endpoint = null;
        if (closing != null) {
            closing.close();
            closed(closing);
        }
    }

    /**
     * Tells {@link Problems#lost} when {@code bound}'s socket closes while it is still the endpoint: not closed
     * here (a close, a move or a hand-over makes another one the endpoint, or none, before it closes this one).
     * Left as it was, it stayed CLOSED for good, no problem published, /health UP, never bound again.
     */
    private NetEndpoint watched(NetEndpoint bound) {
        bound.channel().closeFuture().addListener(closed -> {
            if (endpoint == bound) {
                problems.lost(bound, what(bound.spec()) + " on " + bound.info().address()
                        + " was closed by the network stack (a read that failed: its bundle over its memory limit?)");
            }
        });
        return bound;
    }

    /**
     * Lets go of {@code lost}, if it is still the endpoint ({@link Problems#lost}): closed (its figures and name
     * freed), so that nothing is open and it can be bound again.
     *
     * @return false if another endpoint, or none, took its place meanwhile
     */
    boolean forget(NetEndpoint lost) {
        if (endpoint != lost) {
            return false;
        }
        endpoint = null;
        lost.close();
        closed(lost);
        return true;
    }

    /** Remembers the address {@code closing} just let go of: see {@link #bind}. */
    private void closed(NetEndpoint closing) {
        closedSpec = pickedPort.applyTo(closing.spec());
        closedAtNanos = System.nanoTime();
    }

    /**
     * A client that keeps connecting waits as {@code next} says from its next failure on, keeping its
     * connection.
     *
     * @return false if no such client is open
     */
    boolean newWaits(EndpointSpec next) {
        ReconnectingClient current = client;
        if (current == null) {
            return false;
        }
        current.reconnect(next);
        log.info("{}: waits {} to {} ms between connection attempts from now on", pid, next.reconnect().minMillis(),
                next.reconnect().maxMillis());
        return true;
    }

    /**
     * Switches the bound endpoint to new settings, its handler staying.
     *
     * @return the settings in force afterwards: {@code next}, or {@code previous} if they could not
     *     be taken
     */
    EndpointSpec rebind(EndpointSpec previous, EndpointSpec next, ChannelSetup setup) {
        // With port 0 both are the port the endpoint has (PickedPort): a UDP socket is bound there again.
        EndpointSpec nextOnPort = pickedPort.applyTo(next);
        if (switchSettings(pickedPort.applyTo(previous), nextOnPort, setup) != nextOnPort) {
            return previous;
        }
        pickedPort.follow(next);
        return next;
    }

    private EndpointSpec switchSettings(EndpointSpec previous, EndpointSpec next, ChannelSetup setup) {
        NetEndpoint current = endpoint;
        String from = current.info().address();
        if (ConfiguredSpec.sameDatagramSocket(previous, next)) {
            current.update(next, setup, opener.label(next)); // nothing to read again: no TLS over UDP
            log.info("{}: keeps its UDP socket on {}: none of the keys changed needs it bound again", pid, from);
            return next;
        }
        if (ConfiguredSpec.sameAddress(previous, next) && next.transport().isServer()) {
            // Same socket: keep it, and give new connections the new settings (and TLS key material).
            try {
                current.update(next, setup, opener.label(next));
            } catch (IllegalArgumentException e) {
                problems.error(reason(e, previous, next) + "; keeps the last good configuration");
                return previous;
            }
            log.info("{}: new settings apply to new connections on {}", pid, from);
            return next;
        }
        if (ConfiguredSpec.sharesPort(previous, next)) {
            return handOver(from, previous, next, setup);
        }
        boolean keeping = keepsConnections(current, next);
        NetEndpoint replacement;
        try {
            // The move is told in one line below, not also in the opener's "listening on".
            replacement = watched(opener.open(next, setup, closed -> { }, keeping ? current : null, false));
        } catch (RuntimeException e) {
            problems.error(ConfiguredSpec.addressKeys(previous, next) + " changed to " + next.address()
                    + ", which cannot be used (" + reason(e, next) + "); keeps serving on " + from);
            return previous;
        }
        endpoint = replacement;
        if (keeping) {
            current.closeSocket();
        } else {
            current.close();
        }
        log.info("{}: {} moved from {} to {}{}", pid, what(next), from, replacement.info().address(),
                keeping ? kept(replacement) : "");
        return next;
    }

    /**
     * Names the endpoint in the one line that says it moved (or is bound again): which one, and what it is, as
     * its name need not be the PID's.
     */
    static String what(EndpointSpec spec) {
        return "endpoint '" + ControlCharacters.escapedOnOneLine(spec.name()) + "' (" + spec.transport()
                + (spec.tls() == null ? "" : " over TLS") + ")";
    }

    /**
     * Whether a move of {@code current} to {@code next} keeps its connections: a server's that moves to
     * another address or port with its handler. Nothing ties a connection to the listening socket that
     * accepted it, and its peer should not lose it for a change of where others connect; it goes on with
     * the settings it was accepted with, as on a change of settings in place, and is closed with the endpoint.
     */
    private static boolean keepsConnections(NetEndpoint current, EndpointSpec next) {
        return current.keepsConnections() && next.transport().isServer();
    }

    private static String kept(NetEndpoint replacement) {
        int open = replacement.info().connections();
        return open == 0 ? "" : "; its " + open + " open connection(s) stay, with the settings they were accepted with";
    }

    /**
     * Moves the endpoint to an address its own socket holds the port of (a UDP socket with new
     * settings, or another host on the same port, such as 0.0.0.0 for 127.0.0.1): the kernel refuses
     * to bind it while the old socket is open, so that one is closed first, and opened again if the
     * new address cannot be bound either.
     */
    private EndpointSpec handOver(String from, EndpointSpec previous, EndpointSpec next, ChannelSetup setup) {
        boolean sameAddress = ConfiguredSpec.sameAddress(previous, next);
        NetEndpoint current = endpoint;
        boolean keeping = keepsConnections(current, next);
        NetEndpoint kept = keeping ? current : null;
        if (keeping) {
            endpoint = null;
            current.closeSocket();
            closed(current);
        } else {
            close();
        }
        String problem;
        try {
            endpoint = bind(next, setup, kept, false);
            if (sameAddress) {
                log.info("{}: {} reopened on {} with the new settings", pid, what(next), from);
            } else {
                log.info("{}: {} moved from {} to {}{}", pid, what(next), from, endpoint.info().address(),
                        keeping ? kept(endpoint) : "");
            }
            return next;
        } catch (RuntimeException e) {
            problem = (sameAddress ? next.address() + " cannot be bound again with the new settings"
                    : ConfiguredSpec.addressKeys(previous, next) + " changed to " + next.address()
                            + ", which cannot be used") + " (" + reason(e, next) + ")";
        }
        try {
            endpoint = bind(previous, setup, kept);
        } catch (RuntimeException e) {
            if (keeping) {
                current.closeConnections(); // nothing is left to close them with
            }
            problems.fail(problem + "; and " + from + " cannot be bound again (" + reason(e, previous) + ")");
            return previous;
        }
        problems.error(problem + "; keeps serving on " + from
                + (keeping ? "" : " (its connections were closed)"));
        return previous;
    }

    /**
     * Moves the bound endpoint to another address with another handler: the old endpoint serves on
     * until the new one is open, and stays, with its handler, if the new address cannot be used, as
     * when only the address changes.
     *
     * @return whether it moved
     */
    boolean moveWithHandler(EndpointSpec configured, ChannelSetup setup, String handler, EndpointSpec nextConfigured,
            ChannelSetup nextSetup, String nextHandler) {
        EndpointSpec previous = pickedPort.applyTo(configured);
        EndpointSpec next = pickedPort.applyTo(nextConfigured);
        NetEndpoint current = endpoint;
        String from = current.info().address();
        boolean freeFirst = ConfiguredSpec.sharesPort(previous, next);
        if (freeFirst) {
            close();
        }
        NetEndpoint replacement;
        try {
            replacement = bind(next, nextSetup, null, false);
        } catch (RuntimeException e) {
            String problem = "handler, " + ConfiguredSpec.addressKeys(previous, next) + " changed to '"
                    + nextHandler + "' on " + next.address() + ", which cannot be used (" + reason(e, next) + ")";
            if (!freeFirst) {
                problems.error(problem + "; keeps serving on " + from + " with handler '" + handler + "'");
                return false;
            }
            try {
                endpoint = bind(previous, setup);
            } catch (RuntimeException again) {
                problems.fail(problem + "; and " + from + " cannot be bound again (" + reason(again, previous) + ")");
                return false;
            }
            problems.error(problem + "; keeps serving on " + from + " with handler '" + handler
                    + "' (its connections were closed)");
            return false;
        }
        endpoint = replacement;
        if (!freeFirst) {
            current.close();
        }
        log.info("{}: {} moved from {} to {} with handler '{}'", pid, what(next), from, replacement.info().address(),
                ControlCharacters.escapedOnOneLine(nextHandler));
        return true;
    }

    /**
     * Why {@code e} happened, without the endpoint's label: an {@link OpenFailure}'s reason, else its message
     * less the label of one of {@code specs} that the opener put first (a key or trust store that cannot be
     * read as the endpoint's pipeline is made, a Unix socket's folder that cannot be used), so that each
     * reason names the endpoint once, where it is shown.
     */
    private String reason(RuntimeException e, EndpointSpec... specs) {
        String reason = OpenFailure.reasonOf(e);
        for (EndpointSpec spec : specs) {
            String label = opener.label(spec) + ": ";
            if (reason != null && reason.startsWith(label)) {
                return reason.substring(label.length());
            }
        }
        return reason;
    }

    /** The bound endpoint (a server or UDP socket), or null if none is open. */
    NetEndpoint bound() {
        return endpoint;
    }

    /** Whether a bound endpoint (no client that keeps connecting) is open. */
    boolean isBound() {
        return endpoint != null;
    }

    void recordError(String message) {
        NetEndpoint live = endpoint;
        if (live != null) {
            live.recordError(message);
        }
        ReconnectingClient connecting = client;
        if (connecting != null) {
            connecting.recordError(message);
        }
    }

    /** The open endpoint's figures, or null if nothing is open. */
    EndpointInfo info() {
        ReconnectingClient connecting = client;
        if (connecting != null) {
            return connecting.info();
        }
        NetEndpoint live = endpoint;
        return live == null ? null : live.info();
    }

    /**
     * Binds a server or a UDP socket (a client connects in the background: {@link #open}). A
     * listening socket that NIO closed keeps its port until its event loop's next select, a moment
     * after the close has completed: binding the address (or the port) this endpoint has just closed
     * (another handler, a UDP socket with new settings, another host) is tried again for a short
     * while instead of failing with "address already in use".
     */
    private NetEndpoint bind(EndpointSpec opening, ChannelSetup with) {
        return bind(opening, with, null);
    }

    /** @param keeping a server whose connections the one bound takes over, or null */
    private NetEndpoint bind(EndpointSpec opening, ChannelSetup with, NetEndpoint keeping) {
        return bind(opening, with, keeping, true);
    }

    /** @param announce whether the opener logs where it listens at INFO ({@link EndpointOpener#open}) */
    private NetEndpoint bind(EndpointSpec opening, ChannelSetup with, NetEndpoint keeping, boolean announce) {
        EndpointSpec onPickedPort = pickedPort.applyTo(opening);
        NetEndpoint bound;
        try {
            bound = bindRetrying(onPickedPort, with, keeping, announce);
        } catch (UncheckedIOException e) {
            if (onPickedPort == opening || !(e.getCause() instanceof BindException)) {
                throw e;
            }
            log.info("{}: {} cannot have port {} again, another socket holds it by now; the kernel picks another",
                    pid, what(opening), pickedPort.port());
            bound = bindRetrying(opening, with, keeping, announce);
        }
        pickedPort.keep(opening, bound);
        return bound;
    }

    private NetEndpoint bindRetrying(EndpointSpec opening, ChannelSetup with, NetEndpoint keeping, boolean announce) {
        for (;;) {
            try {
                return watched(opener.open(opening, with, closed -> { }, keeping, announce));
            } catch (UncheckedIOException e) {
                boolean ownAddress = e.getCause() instanceof BindException && closedSpec != null
                        && (opening.address().equals(closedSpec.address())
                                || ConfiguredSpec.sharesPort(closedSpec, opening))
                        && System.nanoTime() - closedAtNanos < REBIND_RETRY_NANOS;
                if (!ownAddress) {
                    throw e;
                }
            }
            try {
                Thread.sleep(REBIND_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while binding " + opening.address() + " again", e);
            }
        }
    }
}
