package io.msf.net.internal;

import static io.msf.net.internal.ConfiguredEndpoints.configuration;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.msf.net.api.ChannelSetup;
import io.msf.net.api.EndpointInfo;
import io.msf.settings.testing.ScrValues;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentConstants;

/** Configured endpoints in a real framework, where handler services come and go. */
class ConfiguredEndpointTest extends ConfiguredEndpointTestSupport {

    private static final String PID = "msf.net.endpoint~echo";


    private ServiceRegistration<ChannelSetup> registerEcho() {
        return endpoints.registerEcho("echo");
    }

    @Test
    void waitsForItsHandlerAndFollowsIt() throws Exception {
        endpoints.activate(PID, Map.of());
        assertThat(info("echo").state()).isEqualTo("WAITING");
        assertThat(info("echo").owner()).isEqualTo(endpoints.context.getBundle().getSymbolicName());

        ServiceRegistration<ChannelSetup> echo = registerEcho();
        int port = port(info("echo"));
        assertThat(info("echo").state()).isEqualTo("OPEN");
        assertThat(echo(port, "hello")).isEqualTo("hello");

        echo.unregister();
        assertThat(info("echo").state()).isEqualTo("WAITING");
        awaitRefused(() -> assertThatThrownBy(() -> echo(port, "gone")).isInstanceOf(ConnectException.class));

        registerEcho();
        assertThat(echo(port(info("echo")), "back")).isEqualTo("back");
    }

    @Test
    void theNameKeyOverridesTheConfigurationsName() {
        registerEcho();
        endpoints.activate(PID, Map.of("name", "demo"));

        assertThat(endpoints.registry.endpoints()).extracting(EndpointInfo::name).containsExactly("demo");
    }

    @Test
    void aChangedPortRebindsLive() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int oldPort = port(info("echo"));
        int newPort = NetworkServiceTest.freePort();

        endpoint.modified(configuration(Map.of("port", newPort)));

        assertThat(info("echo").address()).isEqualTo("127.0.0.1:" + newPort);
        assertThat(echo(newPort, "moved")).isEqualTo("moved");
        awaitRefused(() -> assertThatThrownBy(() -> echo(oldPort, "old")).isInstanceOf(ConnectException.class));
    }

    /**
     * A move was told twice, in the opener's "listening on" and in "moved from ... to ...", the first not
     * saying it was a move, the second not naming the endpoint: one line says which endpoint moved, from
     * where to where.
     */
    @Test
    void aMoveIsOneInfoLineNamingTheEndpointAndBothAddresses() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("name", "api"));
        int oldPort = port(info("api"));
        int newPort = NetworkServiceTest.freePort();
        int before = LoggedLines.of(endpoints.log, "info").size();

        endpoint.modified(configuration(Map.of("name", "api", "port", newPort)));

        assertThat(echo(newPort, "moved")).isEqualTo("moved");
        List<String> lines = LoggedLines.of(endpoints.log, "info");
        assertThat(lines.subList(before, lines.size())).containsExactly(PID + ": endpoint 'api' (TCP_SERVER) moved"
                + " from 127.0.0.1:" + oldPort + " to 127.0.0.1:" + newPort);
    }

    /**
     * Deleting the configuration of a serving endpoint closed it, and cut its connections, without a word,
     * where opening it had said where it listens.
     */
    @Test
    void aDeletedConfigurationClosesTheEndpointAndItsConnectionsInOneInfoLine() throws Exception {
        int port = closeWithAConnectionOpen(endpoint -> endpoints.delete(endpoint));

        assertThat(endpoints.registry.endpoints()).isEmpty();
        assertThat(LoggedLines.of(endpoints.log, "info")).contains(PID + ": endpoint 'echo' (TCP_SERVER) on 127.0.0.1:"
                + port + " closed, its configuration deleted; its 1 open connection(s) closed with it");
    }

    /**
     * A service the endpoint needs gone (msf.event's io loops restarting, say) or its component disabled closed it
     * and its connections without a word: only a deleted configuration said so.
     */
    @Test
    void anEndpointClosedForAServiceGoneOrItsComponentDisabledSaysSoInOneInfoLine() throws Exception {
        int port = closeWithAConnectionOpen(
                endpoint -> endpoints.deactivate(endpoint, ComponentConstants.DEACTIVATION_REASON_REFERENCE));

        assertThat(LoggedLines.of(endpoints.log, "info")).contains(PID + ": endpoint 'echo' (TCP_SERVER) on 127.0.0.1:"
                + port + " closed, a service it uses went away or changed (msf.event's io loops, msf.mempool or the"
                + " endpoint registry), until it is back; its 1 open connection(s) closed with it");

        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        port = port(info("echo"));
        endpoints.deactivate(endpoint, ComponentConstants.DEACTIVATION_REASON_DISABLED);

        assertThat(LoggedLines.of(endpoints.log, "info")).contains(PID + ": endpoint 'echo' (TCP_SERVER) on 127.0.0.1:"
                + port + " closed, its component disabled");
    }

    /**
     * Serves echo with one connection open, closes the endpoint with {@code close} and checks the connection
     * was closed with it; returns the port it served on.
     */
    private int closeWithAConnectionOpen(Consumer<ConfiguredEndpoint> close) throws IOException {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int port = port(info("echo"));
        try (Socket open = new Socket(InetAddress.getLoopbackAddress(), port)) {
            open.setSoTimeout(5000);
            assertThat(echoOn(open, "before")).isEqualTo("before");

            close.accept(endpoint);

            assertThat(open.getInputStream().read()).as("closed with the endpoint").isEqualTo(-1);
        }
        return port;
    }

    /**
     * A move of the listening socket cut every connection it had accepted: clients in the middle of a
     * conversation lost it for a change of where new ones connect.
     */
    @Test
    void aChangedPortKeepsTheOpenConnectionsUntilTheEndpointCloses() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int oldPort = port(info("echo"));
        int newPort = NetworkServiceTest.freePort();
        try (Socket open = new Socket(InetAddress.getLoopbackAddress(), oldPort)) {
            open.setSoTimeout(5000);
            assertThat(echoOn(open, "before")).isEqualTo("before");

            endpoint.modified(configuration(Map.of("port", newPort, "maxFrameBytes", 4)));

            assertThat(info("echo").address()).isEqualTo("127.0.0.1:" + newPort);
            assertThat(echoOn(open, "still open")).as("accepted with maxFrameBytes=1 MiB").isEqualTo("still open");
            assertThat(info("echo").connections()).isEqualTo(1);
            assertThat(LoggedLines.of(endpoints.log, "info")).contains(PID + ": endpoint 'echo' (TCP_SERVER) moved from"
                    + " 127.0.0.1:" + oldPort + " to 127.0.0.1:" + newPort + "; its 1 open connection(s) stay, with the"
                    + " settings they were accepted with");

            endpoints.deactivate(endpoint);
            assertThat(open.getInputStream().read()).as("closed with the endpoint").isEqualTo(-1);
        }
    }

    /**
     * A server renamed through its {@code name} key keeps its socket and its connections: the lines logged for
     * them (a refused connection, one closed for an error) name it as net:list does, not by its old name.
     */
    @Test
    void aRenamedServerIsNamedByItsNewNameInTheLinesOfItsConnections() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("maxConnections", 1, "maxFrameBytes", 4));
        int port = port(info("echo"));
        try (Socket open = new Socket(InetAddress.getLoopbackAddress(), port)) {
            open.setSoTimeout(5000);
            assertThat(echoOn(open, "one")).isEqualTo("one");

            endpoint.modified(configuration(Map.of("name", "renamed", "maxConnections", 1, "maxFrameBytes", 4)));
            assertThat(port(info("renamed"))).as("the same socket").isEqualTo(port);
            try (Socket refused = new Socket(InetAddress.getLoopbackAddress(), port)) {
                refused.setSoTimeout(5000);
                assertThat(refused.getInputStream().read()).as("over maxConnections").isEqualTo(-1);
            }
            DataOutputStream out = new DataOutputStream(open.getOutputStream());
            out.writeInt(100);
            out.write(new byte[100]);
            out.flush();
            assertThat(open.getInputStream().read()).as("closed for its frame too large").isEqualTo(-1);
        }

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(LoggedLines.of(endpoints.log, "warn"))
                .anyMatch(line -> line.contains("closing the connection from")));
        List<String> warnings = LoggedLines.of(endpoints.log, "warn");
        assertThat(warnings).filteredOn(line -> line.contains("refused the connection from")
                || line.contains("closing the connection from")).hasSize(2)
                .allMatch(line -> line.startsWith("endpoint 'renamed' of "), "names the endpoint 'renamed'");
    }

    /** The same when the old socket must be closed first, as it holds the port (127.0.0.1 to 0.0.0.0). */
    @Test
    void anotherHostOnTheSamePortKeepsTheOpenConnections() throws Exception {
        registerEcho();
        int port = NetworkServiceTest.freePort();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", port));
        try (Socket open = new Socket(InetAddress.getLoopbackAddress(), port)) {
            open.setSoTimeout(5000);
            assertThat(echoOn(open, "before")).isEqualTo("before");

            endpoint.modified(configuration(Map.of("host", "0.0.0.0", "port", port)));

            assertThat(isWildcard(info("echo"), port)).as(info("echo").lastError()).isTrue();
            assertThat(echoOn(open, "still open")).isEqualTo("still open");
            assertThat(echo(port, "new")).isEqualTo("new");

            endpoints.deactivate(endpoint);
            assertThat(open.getInputStream().read()).as("closed with the endpoint").isEqualTo(-1);
        }
    }

    @Test
    void aPortInUseKeepsServingOnTheOldAddress() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int oldPort = port(info("echo"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {

            endpoint.modified(configuration(Map.of("port", taken.getLocalPort())));

            verify(endpoints.log).error(contains(PID + ": port changed to 127.0.0.1:" + taken.getLocalPort()
                    + ", which cannot be used"));
            assertThat(echo(oldPort, "still here")).isEqualTo("still here");
            EndpointInfo info = info("echo");
            assertThat(info.address()).isEqualTo("127.0.0.1:" + oldPort);
            assertThat(info.errors()).isEqualTo(1);
            assertThat(info.lastError()).contains("keeps serving on 127.0.0.1:" + oldPort);
        }
    }

    @Test
    void anotherHandlerOnAPortInUseKeepsServingOnTheOldAddressWithTheOldHandler() throws Exception {
        registerEcho();
        endpoints.registerEcho("echo2");
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int oldPort = port(info("echo"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {

            endpoint.modified(configuration(Map.of("port", taken.getLocalPort(), "handler", "echo2")));

            EndpointInfo info = info("echo");
            assertThat(info.state()).as(info.lastError()).isEqualTo("OPEN");
            assertThat(info.address()).isEqualTo("127.0.0.1:" + oldPort);
            assertThat(info.lastError()).startsWith("handler, port changed to 'echo2' on 127.0.0.1:"
                    + taken.getLocalPort() + ", which cannot be used").endsWith("keeps serving on 127.0.0.1:" + oldPort
                    + " with handler 'echo'");
            assertThat(echo(oldPort, "still here")).isEqualTo("still here");
        }
        int newPort = NetworkServiceTest.freePort();

        endpoint.modified(configuration(Map.of("port", newPort, "handler", "echo2")));

        assertThat(info("echo").address()).isEqualTo("127.0.0.1:" + newPort);
        assertThat(echo(newPort, "moved")).isEqualTo("moved");
        awaitRefused(() -> assertThatThrownBy(() -> echo(oldPort, "old")).isInstanceOf(ConnectException.class));
    }

    @Test
    void anotherHandlerOnAHostThatCannotHaveThePortKeepsServingOnTheOldOne() throws Exception {
        registerEcho();
        endpoints.registerEcho("echo2");
        int port = NetworkServiceTest.freePort();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", port));
        try (ServerSocket stranger = new ServerSocket()) {
            stranger.bind(new InetSocketAddress("127.0.0.2", port));

            endpoint.modified(configuration(Map.of("host", "0.0.0.0", "port", port, "handler", "echo2")));

            EndpointInfo info = info("echo");
            assertThat(info.state()).as(info.lastError()).isEqualTo("OPEN");
            assertThat(info.address()).isEqualTo("127.0.0.1:" + port);
            assertThat(info.lastError()).startsWith("handler, host changed to 'echo2' on 0.0.0.0:" + port)
                    .contains("keeps serving on 127.0.0.1:" + port + " with handler 'echo'");
            assertThat(echo(port, "still here")).isEqualTo("still here");
        }
    }

    @Test
    void anotherHostOnTheSamePortMovesTheEndpointAlthoughItsOldSocketHoldsThePort() throws Exception {
        registerEcho();
        int port = NetworkServiceTest.freePort();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", port));

        // The kernel refuses 0.0.0.0 on a port while 127.0.0.1 listens on it, SO_REUSEADDR or not.
        endpoint.modified(configuration(Map.of("host", "0.0.0.0", "port", port)));

        EndpointInfo info = info("echo");
        assertThat(isWildcard(info, port)).as("%s: %s", info.address(), info.lastError()).isTrue();
        assertThat(echo(port, "every address")).isEqualTo("every address");
    }

    @Test
    void aUdpSocketMovesToAnotherHostOnItsPort() throws Exception {
        registerEcho();
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ConfiguredEndpoint endpoint = endpoints.activate("msf.net.endpoint~echo-udp",
                Map.of("transport", "udp", "port", port));

        endpoint.modified(configuration(Map.of("transport", "udp", "host", "0.0.0.0", "port", port)));

        EndpointInfo info = info("echo-udp");
        assertThat(isWildcard(info, port)).as("%s: %s", info.address(), info.lastError()).isTrue();
        assertThat(echoDatagram(port, "every address")).isEqualTo("every address");
    }

    /**
     * An empty datagram is read and counted, but Netty sends no empty datagram (its write succeeds and sends
     * nothing), so echo answers it with nothing, as docs/configuration.md says; the next one is echoed as ever.
     */
    @Test
    void anEmptyDatagramIsCountedButGetsNoAnswer() throws Exception {
        registerEcho();
        endpoints.activate("msf.net.endpoint~echo-udp", Map.of("transport", "udp"));
        int port = port(info("echo-udp"));
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5000);
            byte[] after = "after".getBytes(UTF_8);
            socket.send(new DatagramPacket(new byte[0], 0, InetAddress.getLoopbackAddress(), port));
            socket.send(new DatagramPacket(after, after.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[16], 16);
            socket.receive(reply);

            assertThat(new String(reply.getData(), 0, reply.getLength(), UTF_8)).as("the first answer")
                    .isEqualTo("after");
        }
        assertThat(info("echo-udp").framesIn()).isEqualTo(2);
    }

    /**
     * A change of keys UDP ignores keeps the socket, with the datagrams waiting in it and its figures: bound
     * again, it lost both.
     */
    @Test
    void aUdpSocketKeepsItsSocketForKeysUdpIgnores() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate("msf.net.endpoint~echo-udp", Map.of("transport", "udp"));
        int port = port(info("echo-udp"));
        assertThat(echoDatagram(port, "before")).isEqualTo("before");

        endpoint.modified(configuration(Map.of("transport", "udp", "maxConnections", 7, "idleTimeoutMillis", 5000,
                "connectTimeoutMillis", 2000, "reconnectMinMillis", 50)));

        EndpointInfo info = info("echo-udp");
        assertThat(port(info)).isEqualTo(port);
        assertThat(info.bytesIn()).as("the figures of the socket kept").isEqualTo("before".length());
        assertThat(LoggedLines.of(endpoints.log, "info")).noneMatch(line -> line.contains("reopened"))
                .contains("msf.net.endpoint~echo-udp: keeps its UDP socket on 127.0.0.1:" + port
                        + ": none of the keys changed needs it bound again");
        assertThat(echoDatagram(port, "after")).isEqualTo("after");
    }

    @Test
    void anotherHostThatCannotHaveThePortKeepsServingOnTheOldOne() throws Exception {
        registerEcho();
        int port = NetworkServiceTest.freePort();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", port));
        try (ServerSocket stranger = new ServerSocket()) {
            // 127.0.0.2 and 127.0.0.1 can share the port; 0.0.0.0 cannot, with either.
            stranger.bind(new InetSocketAddress("127.0.0.2", port));

            endpoint.modified(configuration(Map.of("host", "0.0.0.0", "port", port)));

            verify(endpoints.log).error(contains(PID + ": host changed to 0.0.0.0:" + port + ", which cannot be used"));
            EndpointInfo info = info("echo");
            assertThat(info.state()).isEqualTo("OPEN");
            assertThat(info.address()).isEqualTo("127.0.0.1:" + port);
            assertThat(info.lastError()).contains("keeps serving on 127.0.0.1:" + port);
            assertThat(echo(port, "still here")).isEqualTo("still here");
        }
    }

    @Test
    void badValuesAtTheStartShowTheEndpointAsFailed() {
        registerEcho();
        endpoints.activate("msf.net.endpoint~bad", Map.of("transport", "sctp"));

        EndpointInfo info = info("bad");
        assertThat(info.state()).isEqualTo("FAILED");
        assertThat(info.lastError())
                .isEqualTo("transport: 'sctp' is not one of tcp-server, tcp-client, udp,"
                        + " uds-server, uds-client");
    }

    @Test
    void aBadChangeKeepsTheLastGoodConfiguration() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int port = port(info("echo"));

        endpoint.modified(configuration(Map.of("framing", "xml")));

        assertThat(echo(port, "unchanged")).isEqualTo("unchanged");
        assertThat(info("echo").lastError()).contains("framing: 'xml' is not one of length-field, none")
                .contains("keeps the last good configuration");
    }

    @Test
    void anIdleTimeoutFromConfigurationClosesTheNextSilentConnectionsAndANegativeOneIsRefused() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int port = port(info("echo"));

        endpoint.modified(configuration(Map.of("idleTimeoutMillis", 300)));

        try (Socket mute = new Socket(InetAddress.getLoopbackAddress(), port)) {
            mute.setSoTimeout(3000);
            assertThat(EndpointTimeoutsTest.readsToTheEnd(mute)).as("closed by the server within 3 s").isTrue();
        }
        endpoint.modified(configuration(Map.of("idleTimeoutMillis", -1)));
        assertThat(info("echo").lastError()).isEqualTo("idleTimeoutMillis: -1 is negative (0: connections are"
                + " never closed for being idle); keeps the last good configuration");
        assertThat(echo(port, "served")).isEqualTo("served");
    }

    /**
     * SCR converts a value when its member is read, and throws a ComponentException naming no key for
     * one it cannot convert (set past the config gate): that escaped from modified, leaving the
     * endpoint's state and lastError as they were.
     */
    @Test
    void aValueThatCannotBeReadIsRefusedNamingThePidAndTheKey() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int port = port(info("echo"));

        endpoint.modified(ScrValues.unconvertible(EndpointConfiguration.class, configuration(Map.of()),
                "maxConnections", "many"));

        assertThat(info("echo").lastError()).isEqualTo("maxConnections: the value cannot be read as a number"
                + " (java.lang.NumberFormatException: For input string: \"many\"); keeps the last good configuration");
        assertThat(echo(port, "served")).isEqualTo("served");
    }

    @Test
    void newSettingsOnTheSameAddressApplyToNewConnections() throws Exception {
        registerEcho();
        int port = NetworkServiceTest.freePort();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", port));

        endpoint.modified(configuration(Map.of("port", port, "maxFrameBytes", 4)));

        assertThat(echo(port, "tiny")).isEqualTo("tiny");
        assertThatThrownBy(() -> echo(port, "too large")).isInstanceOf(IOException.class);
        assertThat(info("echo").lastError()).contains("maxFrameBytes=4");
    }

    @Test
    void anotherHandlerMeansWaitingForThatOne() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of());
        int port = port(info("echo"));

        endpoint.modified(configuration(Map.of("handler", "metrics")));

        assertThat(info("echo").state()).isEqualTo("WAITING");
        awaitRefused(() -> assertThatThrownBy(() -> echo(port, "nobody")).isInstanceOf(ConnectException.class));
    }

    @Test
    void anotherHandlerOnTheSamePortTakesOverTheAddressItHeld() throws Exception {
        registerEcho();
        endpoints.registerEcho("echo2");
        int port = NetworkServiceTest.freePort();
        ConfiguredEndpoint endpoint = endpoints.activate(PID, Map.of("port", port));

        // NIO frees a closed listener's port only at its loop's next select: a reopen right after the
        // close raced it and failed with "Address already in use" about one time in three.
        for (int i = 0; i < 20; i++) {
            String handler = i % 2 == 0 ? "echo2" : "echo";
            endpoint.modified(configuration(Map.of("port", port, "handler", handler)));

            EndpointInfo info = info("echo");
            assertThat(info.state()).as("switch %d to %s: %s", i, handler, info.lastError()).isEqualTo("OPEN");
            assertThat(info.address()).isEqualTo("127.0.0.1:" + port);
        }
        assertThat(echo(port, "still here")).isEqualTo("still here");
    }

    @Test
    void whenItsHandlerGoesAnotherOneOfTheSameNameServesOnTheSamePort() throws Exception {
        int port = NetworkServiceTest.freePort();
        ServiceRegistration<ChannelSetup> serving = registerEcho();
        endpoints.activate(PID, Map.of("port", port));

        for (int i = 0; i < 20; i++) {
            ServiceRegistration<ChannelSetup> next = registerEcho();
            serving.unregister();
            serving = next;

            EndpointInfo info = info("echo");
            assertThat(info.state()).as("handover %d: %s", i, info.lastError()).isEqualTo("OPEN");
        }
        assertThat(echo(port, "handed over")).isEqualTo("handed over");
    }

    @Test
    void aUnixSocketEndpointLivesInTheDataDir() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate("msf.net.endpoint~echo-uds",
                Map.of("transport", "uds-server", "path", "echo.sock"));
        Path socket = tmp.resolve("data/echo.sock");

        assertThat(info("echo-uds").address()).isEqualTo(socket.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(echoUnix(socket, "local")).isEqualTo("local");

        endpoints.deactivate(endpoint);

        assertThat(socket).doesNotExist();
        assertThat(endpoints.registry.endpoints()).isEmpty();
    }

    /**
     * A line feed in a configured text (a socket's path, the endpoint's name, a file named so) is escaped in
     * the log lines that quote it: written as it was, it split the line, the path's end on a line of its own.
     */
    @Test
    void aLineFeedInAConfiguredPathOrNameIsEscapedInTheLogLinesThatQuoteIt() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate("msf.net.endpoint~a\nb",
                Map.of("transport", "uds-server", "path", "a\nb.sock"));
        Path socket = tmp.resolve("data/a\nb.sock");
        assertThat(echoUnix(socket, "local")).isEqualTo("local");
        endpoint.modified(configuration(Map.of("transport", "uds-server", "path", "a\nb.sock",
                "handler", "not\nthere")));
        endpoints.delete(endpoint);

        String escaped = tmp.resolve("data").resolve("a\\u000ab.sock").toString();
        assertThat(LoggedLines.of(endpoints.log, "info")).contains("endpoint 'a\\u000ab' of "
                + endpoints.context.getBundle().getSymbolicName() + " (msf.net.endpoint~a\\u000ab): UDS_SERVER"
                + " listening on " + escaped,
                "msf.net.endpoint~a\\u000ab: waiting for handler 'not\\u000athere' (a ChannelSetup service with"
                + " msf.net.handler=not\\u000athere)");
        for (String level : List.of("info", "warn", "error")) {
            assertThat(LoggedLines.of(endpoints.log, level)).as(level).noneMatch(line -> line.contains("\n"));
        }
    }

    /**
     * An endpoint bound beyond loopback says, at each bind, that other hosts can reach it, as the agent and the
     * monitor do for theirs; one on loopback says nothing of the kind.
     */
    @Test
    void anEndpointBoundBeyondLoopbackSaysOtherHostsCanReachIt() throws Exception {
        registerEcho();
        endpoints.activate(PID, Map.of());
        assertThat(info("echo").state()).isEqualTo("OPEN");
        assertThat(LoggedLines.of(endpoints.log, "warn")).isEmpty();

        endpoints.activate("msf.net.endpoint~any-udp", Map.of("transport", "udp", "host", "0.0.0.0"));
        endpoints.activate("msf.net.endpoint~any", Map.of("host", "0.0.0.0"));

        String owner = endpoints.context.getBundle().getSymbolicName();
        assertThat(LoggedLines.of(endpoints.log, "warn")).containsExactly(
                "endpoint 'any-udp' of " + owner + " (msf.net.endpoint~any-udp): listens on "
                        + info("any-udp").address() + ", beyond loopback: other hosts can send to it (host = 0.0.0.0);"
                        + " host = 127.0.0.1 keeps it to this machine",
                "endpoint 'any' of " + owner + " (msf.net.endpoint~any): listens on " + info("any").address()
                        + ", beyond loopback: other hosts can connect to it (host = 0.0.0.0); host = 127.0.0.1 keeps"
                        + " it to this machine");
    }

    @Test
    void aUnixSocketPathTooLongIsRefusedAndTheEndpointKeepsServingOnItsOwn() throws Exception {
        registerEcho();
        ConfiguredEndpoint endpoint = endpoints.activate("msf.net.endpoint~echo-uds",
                Map.of("transport", "uds-server", "path", "echo.sock"));
        Path socket = tmp.resolve("data/echo.sock");
        String name = "x".repeat(120) + ".sock";

        endpoint.modified(configuration(Map.of("transport", "uds-server", "path", name)));

        assertThat(info("echo-uds").lastError()).isEqualTo("path " + name
                + " (in the data folder: " + tmp.resolve("data").resolve(name) + ") is "
                + tmp.resolve("data").resolve(name).toString().length() + " bytes long; a Unix socket's path can have"
                + " at most 106 on the NIO transport (the JDK's limit); keeps the last good configuration");
        assertThat(echoUnix(socket, "still here")).isEqualTo("still here");
    }

    @Test
    void twoConfigurationsCannotShareAName() {
        endpoints.activate(PID, Map.of());

        endpoints.activate("msf.net.endpoint~other", Map.of("name", "echo"));

        verify(endpoints.log).error(contains("msf.net.endpoint~other: name: bundle"));
        assertThat(endpoints.registry.endpoints()).hasSize(1);
    }

    @Test
    void aConfigurationRefusedForItsNameIsAppliedWhenTheOtherOneIsDeleted() throws Exception {
        registerEcho();
        ConfiguredEndpoint first = endpoints.activate(PID, Map.of());
        int otherPort = NetworkServiceTest.freePort();
        endpoints.activate("msf.net.endpoint~other", Map.of("name", "echo", "port", otherPort));
        verify(endpoints.log).error(contains("msf.net.endpoint~other: name: bundle"));

        endpoints.deactivate(first);

        verify(endpoints.log).info(contains("is free now"), eq("msf.net.endpoint~other"), eq("echo"));
        assertThat(info("echo").address()).isEqualTo("127.0.0.1:" + otherPort);
        assertThat(echo(otherPort, "applied")).isEqualTo("applied");
    }

    @Test
    void aConfigurationRefusedForItsNameIsAppliedWhenTheOtherOneIsRenamed() throws Exception {
        registerEcho();
        ConfiguredEndpoint first = endpoints.activate(PID, Map.of());
        int otherPort = NetworkServiceTest.freePort();
        endpoints.activate("msf.net.endpoint~other", Map.of("name", "echo", "port", otherPort));

        first.modified(configuration(Map.of("name", "renamed")));

        assertThat(endpoints.registry.endpoints()).extracting(EndpointInfo::name).containsExactly("echo", "renamed");
        assertThat(info("echo").address()).isEqualTo("127.0.0.1:" + otherPort);
        assertThat(echo(otherPort, "applied")).isEqualTo("applied");
    }

    @Test
    void aConfigurationChangedWhileRefusedForItsNameNoLongerWaitsForIt() {
        registerEcho();
        ConfiguredEndpoint first = endpoints.activate(PID, Map.of());
        ConfiguredEndpoint other = endpoints.activate("msf.net.endpoint~other", Map.of("name", "echo"));
        other.modified(configuration(Map.of("name", "own")));

        endpoints.deactivate(first);

        assertThat(endpoints.registry.endpoints()).extracting(EndpointInfo::name).containsExactly("own");
        verify(endpoints.log, never()).info(contains("is free now"), any(), any());
    }

    private EndpointInfo info(String name) {
        return endpoints.info(name);
    }

    static int port(EndpointInfo info) {
        return Integer.parseInt(info.address().substring(info.address().lastIndexOf(':') + 1));
    }

    /** Whether the endpoint is bound to every address (which the JDK may show as 0.0.0.0 or ::) on the port. */
    private static boolean isWildcard(EndpointInfo info, int port) throws IOException {
        String address = info.address();
        int colon = address.lastIndexOf(':');
        return address.substring(colon + 1).equals(String.valueOf(port))
                && InetAddress.getByName(address.substring(0, colon)).isAnyLocalAddress();
    }

    /** Sends one length-field frame over TCP and reads the reply. */
    static String echo(int port, String text) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            return echoOn(socket, text);
        }
    }

    /** Sends one length-field frame on an open connection and reads the reply. */
    static String echoOn(Socket socket, String text) throws IOException {
        byte[] payload = text.getBytes(UTF_8);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int length = in.readInt();
        // Bytes that are no echo frame (a TLS alert read as a length) must fail, not pass as a short text.
        if (length < 0 || length > payload.length) {
            throw new IOException("no echo of " + payload.length + " bytes: the length field says " + length);
        }
        byte[] echoed = new byte[length];
        in.readFully(echoed);
        return new String(echoed, UTF_8);
    }

    /** Sends one datagram to the port on loopback and reads the reply. */
    static String echoDatagram(int port, String text) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5000);
            byte[] payload = text.getBytes(UTF_8);
            socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[payload.length + 1], payload.length + 1);
            socket.receive(reply);
            return new String(reply.getData(), 0, reply.getLength(), UTF_8);
        }
    }

    private static String echoUnix(Path socket, String text) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            byte[] payload = text.getBytes(UTF_8);
            channel.write(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip());
            ByteBuffer length = ByteBuffer.allocate(4);
            while (length.hasRemaining() && channel.read(length) >= 0) {
                // read the length field
            }
            ByteBuffer reply = ByteBuffer.allocate(length.flip().getInt());
            while (reply.hasRemaining() && channel.read(reply) >= 0) {
                // read the frame
            }
            return new String(reply.array(), UTF_8);
        }
    }

    /** NIO releases a closed listener's socket at the loop's next select, so refusal can lag a little. */
    private static void awaitRefused(ThrowingRunnable refusal) {
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(refusal);
    }
}
