package io.msf.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/**
 * A listener that is not open as configured stays a problem until it is, so that the ready report,
 * msf:health and /health show it for as long as it lasts, not only the log line written once.
 */
class ListenersProblemsTest {

    private final RecordingNetwork network = new RecordingNetwork();
    private final Listeners listeners = new Listeners(network, (channel, spec) -> { }, mock(Logger.class));

    private static ListenerSettings settings(Map<String, Object> values) {
        return ListenerSettings.of(TestConfigs.agentWithTcp(values));
    }

    @Test
    void aPortTakenAtStartIsAProblemUntilTheListenerOpens() {
        network.busy.add(7420);

        listeners.apply(settings(Map.of()));

        assertThat(listeners.problems()).containsExactly("cannot listen on 127.0.0.1:7420 (tcpHost/tcpPort/tls*):"
                + " cannot bind 127.0.0.1:7420: in use");
        listeners.apply(settings(Map.of("maxConnections", 10)));
        assertThat(listeners.problems()).as("the same settings: still not listening").hasSize(1);

        listeners.apply(settings(Map.of("tcpPort", 7421)));
        assertThat(listeners.problems()).isEmpty();
    }

    @Test
    void aChangeThatCannotBeOpenedIsAProblemWhileTheOldListenerServesAgain() {
        listeners.apply(settings(Map.of()));
        network.busy.add(7421);

        listeners.apply(settings(Map.of("tcpPort", 7421)));

        assertThat(listeners.problems()).containsExactly("cannot listen on 127.0.0.1:7421 (tcpHost/tcpPort/tls*):"
                + " cannot bind 127.0.0.1:7421: in use; listening on 127.0.0.1:7420 again, as before the change");
        listeners.apply(settings(Map.of()));
        assertThat(listeners.problems()).as("back to the settings of the listener that serves").isEmpty();
    }

    /**
     * A change to an address another process holds (here a socket of the test) leaves the listener that
     * serves alone, its connections too: it was closed first, every connection cut, then opened again.
     */
    @Test
    void aChangeToAnAddressAnotherProcessHoldsLeavesTheListenerAndItsConnections() throws IOException {
        listeners.apply(settings(Map.of()));
        network.events.clear();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int wanted = taken.getLocalPort();
            listeners.apply(settings(Map.of("tcpPort", wanted)));

            assertThat(network.events).as("nothing closed, nothing tried").isEmpty();
            assertThat(listeners.problems()).containsExactly("cannot listen on 127.0.0.1:" + wanted
                    + " (tcpHost/tcpPort/tls*): another process holds it; listening on 127.0.0.1:7420 as before the"
                    + " change");
            assertThat(listeners.retrying()).isTrue();
        }
        assertThat(listeners.retry()).as("free now: the change is made").isTrue();
        assertThat(listeners.problems()).isEmpty();
    }

    @Test
    void aRefusedChangeIsAProblemUntilItIsUndone() {
        listeners.apply(settings(Map.of()));

        listeners.apply(settings(Map.of("tcpHost", "0.0.0.0")));

        assertThat(listeners.problems()).singleElement().asString()
                .startsWith("TCP not listening as configured: tcpHost 0.0.0.0 is not a loopback address")
                .endsWith("; the listener on 127.0.0.1:7420 keeps its previous settings");
        listeners.apply(settings(Map.of()));
        assertThat(listeners.problems()).isEmpty();
    }

    @Test
    void aUnixSocketThatCannotBeOpenedIsAProblemBesideTheTcpListener() {
        network.failUnix = "the socket path is too long";

        listeners.apply(settings(Map.of()));

        assertThat(listeners.problems()).containsExactly("cannot listen on agent.sock (unixSocket): the socket path"
                + " is too long");
        listeners.apply(settings(Map.of("unixSocket", false)));
        assertThat(listeners.problems()).as("not asked for any more").isEmpty();
    }

    @Test
    void aPortTakenAtStartIsListenedOnOnceFreeAndThenServesAsConfigured() {
        network.busy.add(7420);
        listeners.apply(settings(Map.of("maxConnections", 10)));
        assertThat(listeners.retry()).as("still taken").isFalse();
        assertThat(listeners.retrying()).isTrue();
        listeners.apply(settings(Map.of("maxConnections", 20)));

        network.busy.clear();
        assertThat(listeners.retry()).isTrue();

        assertThat(listeners.problems()).isEmpty();
        assertThat(listeners.retrying()).isFalse();
        assertThat(network.tcp().address()).isEqualTo("127.0.0.1:7420");
        assertThat(network.tcp().maxConnections()).as("the limit configured since").isEqualTo(20);
        network.events.clear();
        listeners.apply(settings(Map.of("maxConnections", 20)));
        assertThat(network.events).isEmpty();
    }

    /**
     * The network service takes one endpoint of a name at a time, so the listener that serves is closed for
     * the one configured only once its port is free: here really held by a socket of the test.
     */
    @Test
    void aChangeThatCouldNotBeOpenedTakesThePlaceOfTheOldListenerOnceItsPortIsFree() throws IOException {
        listeners.apply(settings(Map.of()));
        int wanted;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            wanted = taken.getLocalPort();
            network.busy.add(wanted);
            listeners.apply(settings(Map.of("tcpPort", wanted)));
            network.events.clear();
            network.busy.clear();

            assertThat(listeners.retry()).as("still taken").isFalse();
            assertThat(network.events).as("the listener that serves is left alone").isEmpty();
        }

        assertThat(listeners.retry()).isTrue();

        assertThat(network.events).containsExactly("close agent-tcp 127.0.0.1:7420",
                "open agent-tcp 127.0.0.1:" + wanted + " NONE");
        assertThat(listeners.problems()).isEmpty();
        assertThat(listeners.retrying()).isFalse();
        network.events.clear();
        listeners.apply(settings(Map.of("tcpPort", wanted)));
        assertThat(network.events).as("the settings in effect are those that serve").isEmpty();
        listeners.apply(settings(Map.of()));
        assertThat(network.events).containsExactly("close agent-tcp 127.0.0.1:" + wanted,
                "open agent-tcp 127.0.0.1:7420 NONE");
    }

    @Test
    void settingsBackToThoseThatServeOrARefusedChangeAreNotTriedAgain() {
        listeners.apply(settings(Map.of()));
        network.busy.add(7421);
        listeners.apply(settings(Map.of("tcpPort", 7421)));
        listeners.apply(settings(Map.of()));
        assertThat(listeners.retrying()).isFalse();

        listeners.apply(settings(Map.of("tcpPort", 7421)));
        listeners.apply(settings(Map.of("tcpPort", 7421, "tcpHost", "0.0.0.0")));
        assertThat(listeners.retrying()).isFalse();
    }

    @Test
    void aUnixSocketThatCouldNotBeOpenedIsListenedOnOnceItCan() {
        network.failUnix = "/data/agent.sock exists and is not a socket; not removing it";
        listeners.apply(settings(Map.of()));

        network.failUnix = null;
        assertThat(listeners.retry()).isTrue();

        assertThat(network.events).containsExactly("open agent-tcp 127.0.0.1:7420 NONE", "open agent-uds agent.sock NONE");
        assertThat(listeners.problems()).isEmpty();
    }

    @Test
    void nothingIsTriedAgainOnceClosed() {
        network.busy.add(7420);
        listeners.apply(settings(Map.of()));
        listeners.close();
        network.busy.clear();

        assertThat(listeners.retry()).isFalse();
        assertThat(network.tcp()).isNull();
    }

    @Test
    void noProblemOnceClosed() {
        network.busy.add(7420);
        listeners.apply(settings(Map.of()));

        listeners.close();

        assertThat(listeners.problems()).isEmpty();
    }

    /**
     * The same port on another host: the listener that serves on 127.0.0.1:P (here a real socket of the
     * test, as the network service's would be) refuses a probe of 0.0.0.0:P, however free the port is
     * elsewhere; what matters is whether another process holds it on another address of the machine.
     */
    @Test
    void aChangeToTheWildcardOfThePortItServesOnIsMadeOnceNoOtherAddressHoldsThePort() throws IOException {
        InetAddress elsewhere = nonLoopbackAddress();
        // A machine with loopback alone (a container without a network) has no other address to hold it on.
        assumeTrue(elsewhere != null, "this test needs an IPv4 address beyond loopback");
        try (ServerSocket ours = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = ours.getLocalPort();
            listeners.apply(settings(Map.of("tcpPort", port, "token", "s3cret")));
            try (ServerSocket other = new ServerSocket(port, 50, elsewhere)) {
                network.busyAt.add("0.0.0.0:" + port);
                listeners.apply(settings(Map.of("tcpPort", port, "tcpHost", "0.0.0.0", "token", "s3cret")));
                assertThat(network.tcp().address()).isEqualTo("127.0.0.1:" + port);
                network.busyAt.clear();
                network.events.clear();

                assertThat(listeners.retry()).as("still held on " + elsewhere).isFalse();
                assertThat(network.events).as("the listener that serves is left alone").isEmpty();
            }

            assertThat(listeners.retry()).isTrue();
            assertThat(network.events).containsExactly("close agent-tcp 127.0.0.1:" + port,
                    "open agent-tcp 0.0.0.0:" + port + " NONE");
            assertThat(listeners.problems()).isEmpty();
            assertThat(listeners.retrying()).isFalse();
        }
    }

    /** Serving on the wildcard of the port, nothing else can hold one host of it: the attempt is made. */
    @Test
    void aChangeToOneHostOfThePortItServesOnTheWildcardOfIsTriedAgain() throws IOException {
        try (ServerSocket ours = new ServerSocket(0, 50, null)) {
            int port = ours.getLocalPort();
            listeners.apply(settings(Map.of("tcpPort", port, "tcpHost", "0.0.0.0", "token", "s3cret")));
            network.busyAt.add("127.0.0.1:" + port);
            listeners.apply(settings(Map.of("tcpPort", port, "token", "s3cret")));
            network.busyAt.clear();
            network.events.clear();

            assertThat(listeners.retry()).isTrue();

            assertThat(network.events).containsExactly("close agent-tcp 0.0.0.0:" + port,
                    "open agent-tcp 127.0.0.1:" + port + " NONE");
            assertThat(listeners.problems()).isEmpty();
        }
    }

    /** The old settings, which could not be opened again, are not tried any more: the problem says why now. */
    @Test
    void aListenerStillNotOpenSaysWhyAsOfTheLastAttempt() {
        listeners.apply(settings(Map.of()));
        network.busy.add(7421);
        network.busy.add(7420); // taken by another process the moment the listener let go of it
        listeners.apply(settings(Map.of("tcpPort", 7421)));
        assertThat(listeners.problems()).singleElement().asString().contains("nor on 127.0.0.1:7420 again");

        assertThat(listeners.retry()).as("the problem changed").isTrue();

        assertThat(listeners.problems()).containsExactly("cannot listen on 127.0.0.1:7421 (tcpHost/tcpPort/tls*):"
                + " cannot bind 127.0.0.1:7421: in use");
        assertThat(listeners.retry()).as("the same again").isFalse();
    }

    /** An address of this machine's interfaces beyond loopback, where another process may hold a port; null if none. */
    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && nic.isUp()) {
                    return address;
                }
            }
        }
        return null;
    }
}
