package io.msf.agent.internal;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetworkService;
import io.msf.net.api.TlsSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.log.Logger;

/**
 * The agent's two listeners, opened through the network service. A configuration change reopens
 * only the listener whose settings changed; a new connection limit alone reopens neither: the
 * network service changes it live, keeping the sockets and their connections. TLS keys that cannot be used (a wrong value, a store
 * that cannot be read with its password), a tcpHost that does not resolve or is beyond loopback
 * without a token, are found before anything is closed: the TCP listener then keeps its previous
 * settings and connections, unless it is beyond loopback and the token it was opened with is gone
 * (the broker checks the token in force): then it is closed. If a new listener cannot be opened (a port in
 * use), the old settings are opened again. Either way the error names the keys, and the settings
 * in effect stay those of the listener that serves, so that the next change falls back to them.
 * TLS, when configured, is the TCP listener's; the Unix socket is owner-only and stays plain.
 *
 * <p>A listener that is not open as configured is also kept as a {@link #problems() problem} until it
 * is: the log says it once, and the ready report, msf:health and /health show it for as long as it lasts.
 * One that could not be opened (a port another process holds, a socket path in the way) is {@link #retry()
 * tried again} until it opens or the configuration changes: it then takes the place of the old settings
 * opened again, if they were.
 */
final class Listeners {

    private final NetworkService network;
    private final ChannelSetup setup;
    private final Logger log;
    /** The settings the Unix socket listener was opened from (or tried to be); a restored one keeps them. */
    private ListenerSettings unixSettings;
    /** The same for TCP; a refused change leaves them too. */
    private ListenerSettings tcpSettings;
    private Endpoint unix;
    private Endpoint tcp;
    /** Why a listener is not open as configured, by listener ({@link #UNIX}, {@link #TCP}), in that order. */
    private final Map<String, String> problems = new LinkedHashMap<>();
    /** What a listener could not be opened with, by listener, while its settings ask for it: {@link #retry()} tries it again. */
    private final Map<String, Wanted> wanted = new LinkedHashMap<>();
    private static final String UNIX = "unixSocket";
    private static final String TCP = "tcp";
    /** The key in {@link #problems} of listener values refused while none is open. */
    private static final String SETTINGS = "settings";

    Listeners(NetworkService network, ChannelSetup setup, Logger log) {
        this.network = network;
        this.setup = setup;
        this.log = log;
    }

    synchronized void apply(ListenerSettings next) {
        problems.remove(SETTINGS);
        if (!next.sameUnix(unixSettings)) {
            unix = reopen(unix, next, next.unixSpec(), "unixSocket", UNIX);
            if (opened(unix, next.unixSpec())) {
                unixSettings = next;
            }
        } else {
            limit(unix, next.maxConnections());
            servesAsConfigured(unix, UNIX, next, next.unixSpec());
        }
        if (!next.sameTcp(tcpSettings)) {
            applyTcp(next);
        } else {
            limit(tcp, next.maxConnections());
            servesAsConfigured(tcp, TCP, next, next.tcpSpec());
        }
    }

    /**
     * Settings back to those of the listener that serves (after a change it refused or could not open)
     * end its problem; a listener that could not be opened with these settings is still not open, and is
     * tried again with their limits, which may have changed.
     */
    private void servesAsConfigured(Endpoint listener, String name, ListenerSettings next, EndpointSpec spec) {
        if (listener != null) {
            problems.remove(name);
            wanted.remove(name);
        } else {
            wanted.computeIfPresent(name, (key, was) -> new Wanted(next, spec, was.keys()));
        }
    }

    /** Connections over a lowered limit stay; new ones are refused until fewer are open. */
    private void limit(Endpoint listener, int maxConnections) {
        if (listener != null && listener.spec().maxConnections() != maxConnections) {
            listener.limitConnections(maxConnections);
            log.info("msf.agent: {} admits at most {} connections from now on; those open stay",
                    listener.spec().address(), maxConnections);
        }
    }

    private void applyTcp(ListenerSettings next) {
        String refusal = next.tcpRefusal();
        if (refusal != null && tcp != null && tcpSettings.tcpGuardedUnder(next)) {
            // A refused change is a mistake to fix, not a reason to stop serving: keep the last good
            // listener, unless it would then be open to clients without the token it was opened with,
            // whatever the refusal (tls keys that cannot work too: the broker takes the new token anyway).
            log.error("msf.agent: {}; the TCP listener on {} keeps its previous settings and connections", refusal,
                    tcp.spec().address());
            wanted.remove(TCP);
            problems.put(TCP, "TCP not listening as configured: " + refusal + "; the listener on "
                    + tcp.spec().address() + " keeps its previous settings");
            return;
        }
        if (refusal != null) {
            if (tcp != null) {
                log.error("msf.agent: not listening on TCP: {}; the listener on {} is closed, as it would let clients"
                        + " in without the token that is removed", refusal, tcp.spec().address());
            } else {
                log.error("msf.agent: not listening on TCP: {}", refusal);
            }
            close(tcp);
            tcp = null;
            wanted.remove(TCP);
            problems.put(TCP, "not listening on TCP: " + refusal);
        } else {
            tcp = reopen(tcp, next, next.tcpSpec(), "tcpHost/tcpPort/tls*", TCP);
            if (!opened(tcp, next.tcpSpec())) {
                return;
            }
        }
        tcpSettings = next;
    }

    /** False if the old settings were opened again: they stay in effect, and the next change falls back to them. */
    private static boolean opened(Endpoint endpoint, EndpointSpec spec) {
        return endpoint == null || endpoint.spec().equals(spec);
    }

    /**
     * Opens {@code spec} in place of {@code open}; if that fails, opens {@code open}'s spec again, and
     * keeps the failure as the problem of {@code listener}, and {@code spec} to be tried again. A TCP
     * address another process holds is not tried: {@code open} stays, its connections too.
     */
    private Endpoint reopen(Endpoint open, ListenerSettings next, EndpointSpec spec, String keys, String listener) {
        if (open != null && spec != null && !spec.transport().isDomainSocket() && !free(spec, open.spec())) {
            // Another process holds it: closed first, as the network service takes one endpoint of a name at a
            // time, the listener would cut every connection only to be opened again as it was.
            String failure = "cannot listen on " + spec.address() + " (" + keys + "): another process holds it";
            log.error("msf.agent: {}; the listener on {} keeps its settings and connections, and the change is tried"
                    + " again once the address is free", failure, open.spec().address());
            wanted.put(listener, new Wanted(next, spec, keys));
            problems.put(listener, failure + "; listening on " + open.spec().address() + " as before the change");
            return open;
        }
        EndpointSpec fallback = open == null ? null : open.spec();
        close(open);
        problems.remove(listener);
        wanted.remove(listener);
        if (spec == null) {
            return null;
        }
        String failure;
        try {
            return open(spec, next);
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            log.error("msf.agent: cannot listen on {} ({}): {}", spec.address(), keys, e.getMessage());
            failure = "cannot listen on " + spec.address() + " (" + keys + "): " + e.getMessage();
        }
        wanted.put(listener, new Wanted(next, spec, keys));
        if (fallback == null) {
            problems.put(listener, failure);
            return null;
        }
        try {
            Endpoint restored = open(fallback, next);
            log.warn("msf.agent: listening on {} again, as before the change", fallback.address());
            problems.put(listener, failure + "; listening on " + fallback.address() + " again, as before the change");
            return restored;
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            log.error("msf.agent: cannot listen on {} again either: {}", fallback.address(), e.getMessage());
            problems.put(listener, failure + "; nor on " + fallback.address() + " again: " + e.getMessage());
            return null;
        }
    }

    /**
     * Opens {@code spec}, the token in force that of {@code settings} (for old settings opened again, the
     * new ones'). A TCP listener that lets clients in with neither a token nor a TLS client certificate is
     * said once as it opens, not per connection: only loopback gets that far (beyond it such a listener is
     * refused), and every local user can reach a loopback port, where the Unix socket is its owner's alone.
     */
    private Endpoint open(EndpointSpec spec, ListenerSettings settings) {
        Endpoint endpoint = network.open(spec, setup);
        boolean certificates = spec.tls() != null && spec.tls().clientAuth() == TlsSpec.ClientAuth.REQUIRE;
        if (!spec.transport().isDomainSocket() && !settings.hasToken() && !certificates) {
            log.warn("msf.agent: the TCP listener on {} has no token: every local user can connect to it and call the"
                    + " container's services; set the key 'token' (or tcpPort = -1 to turn TCP off)", spec.address());
        }
        return endpoint;
    }

    /**
     * Tries again to open each listener that could not be opened as configured; one that opens has no
     * problem any more, one that still cannot says why as of this attempt. Where the old settings were
     * opened again, the listener that serves there is closed for it (with its connections), as a change
     * would: only once its TCP address {@link #free looks free}, as the network service takes one endpoint
     * of a name at a time, so that a port still taken costs the connections nothing. Not tried: a Unix
     * socket whose old settings serve, which has its path.
     *
     * @return whether the {@link #problems()} changed (a listener opened, or fails otherwise now)
     */
    synchronized boolean retry() {
        List<String> before = problems();
        for (String name : List.copyOf(wanted.keySet())) {
            Wanted want = wanted.get(name);
            Endpoint serving = name.equals(UNIX) ? unix : tcp;
            Endpoint now;
            if (serving == null) {
                try {
                    now = open(want.spec(), want.settings());
                } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
                    log.debug("msf.agent: still cannot listen on {} ({}): {}", want.spec().address(), want.keys(),
                            e.getMessage());
                    // Why now, not why at first: the old settings, if any, are not tried any more.
                    problems.put(name, "cannot listen on " + want.spec().address() + " (" + want.keys() + "): "
                            + e.getMessage());
                    continue;
                }
                wanted.remove(name);
                problems.remove(name);
                log.info("msf.agent: listening on {} ({}) now, as configured", want.spec().address(), want.keys());
            } else {
                if (want.spec().transport().isDomainSocket() || !free(want.spec(), serving.spec())) {
                    continue;
                }
                now = reopen(serving, want.settings(), want.spec(), want.keys(), name);
                if (!opened(now, want.spec())) {
                    set(name, now, null);
                    continue;
                }
                log.info("msf.agent: listening on {} ({}) now, as configured; closed the listener on {}",
                        want.spec().address(), want.keys(), serving.spec().address());
            }
            set(name, now, want.settings());
        }
        return !before.equals(problems());
    }

    /** Sets the listener {@code name}, and the settings it was opened from unless null (the old ones stay). */
    private void set(String name, Endpoint endpoint, ListenerSettings settings) {
        if (name.equals(UNIX)) {
            unix = endpoint;
            unixSettings = settings == null ? unixSettings : settings;
        } else {
            tcp = endpoint;
            tcpSettings = settings == null ? tcpSettings : settings;
        }
    }

    /**
     * Whether nothing but the listener that serves holds the TCP address wanted (a bind of a moment tells,
     * as nothing else would). Where the two share the port (the same host, or one of them the wildcard),
     * the serving one's own socket refuses any such bind: then what it holds is checked around it. Wanted
     * a host it holds the port of (the wildcard, or its own host), nothing else can hold that host now.
     * Wanted the wildcard while it holds one host: every other address of the machine's interfaces on the
     * port is probed (another process on one of them refuses the wildcard); one outside them (127.0.0.2)
     * is found by the attempt itself, after which the old settings serve again.
     */
    private static boolean free(EndpointSpec wanted, EndpointSpec serving) {
        InetAddress host;
        InetAddress servingHost;
        try {
            host = InetAddress.getByName(wanted.host());
            servingHost = InetAddress.getByName(serving.host());
        } catch (UnknownHostException e) {
            return false;
        }
        boolean sharesPort = wanted.port() == serving.port()
                && (host.isAnyLocalAddress() || servingHost.isAnyLocalAddress() || host.equals(servingHost));
        if (!sharesPort) {
            return bindable(host, wanted.port());
        }
        if (!host.isAnyLocalAddress() || servingHost.isAnyLocalAddress()) {
            return true;
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue; // its addresses cannot be bound, by anyone
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    boolean sameFamily = host instanceof Inet6Address || address instanceof Inet4Address;
                    if (sameFamily && !address.equals(servingHost) && !bindable(address, wanted.port())) {
                        return false;
                    }
                }
            }
        } catch (SocketException e) {
            return false;
        }
        return true;
    }

    private static boolean bindable(InetAddress host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a listener waits to be {@link #retry() tried again}. */
    synchronized boolean retrying() {
        return !wanted.isEmpty();
    }

    /** Each listener the settings ask for that is not open as they say, with why; empty while all are. */
    /**
     * The configuration's listener values were refused ({@code why} names the key): with no listener open nor
     * tried, that is why none serves, a problem until a valid configuration comes. Refused while listeners
     * serve, it leaves them as they are, and is no problem (the log says it).
     */
    synchronized void refused(String why) {
        if (unix == null && tcp == null && wanted.isEmpty()) {
            problems.put(SETTINGS, "no listener opened, the configuration's values are refused: " + why);
        }
    }

    synchronized List<String> problems() {
        return List.copyOf(problems.values());
    }

    synchronized void close() {
        close(unix);
        close(tcp);
        unix = null;
        tcp = null;
        unixSettings = null;
        tcpSettings = null;
        problems.clear();
        wanted.clear();
    }

    private static void close(Endpoint endpoint) {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** A listener's settings that could not be opened, the keys they come from, and the settings they are part of. */
    private record Wanted(ListenerSettings settings, EndpointSpec spec, String keys) {
    }
}
