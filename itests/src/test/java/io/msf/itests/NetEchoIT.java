package io.msf.itests;

import static io.msf.itests.EchoEndpoints.FACTORY_PID;
import static io.msf.itests.EchoEndpoints.assertEcho;
import static io.msf.itests.EchoEndpoints.awaitEcho;
import static io.msf.itests.EchoEndpoints.awaitRefused;
import static io.msf.itests.EchoEndpoints.echoes;
import static io.msf.itests.EchoEndpoints.loopback;
import static io.msf.itests.EchoEndpoints.socketFile;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.msf.config.api.ConfigProblem;
import io.msf.config.api.ConfigValidation;
import io.msf.itests.tenant.EchoSetup;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.NetTransport;
import io.msf.net.api.NetworkService;
import io.msf.net.api.Reconnect;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;

/** Endpoints declared in configuration answer over real sockets and follow their configuration. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NetEchoIT extends MsfTestSupport {

    @Inject
    private NetworkService net;

    @Inject
    private ConfigValidation gate;

    @Test
    public void configuredTcpEndpointEchoesAndRebindsWhenItsPortChanges() throws Exception {
        int first = freePort();
        Configuration config = configs().factory(FACTORY_PID, "itest-tcp", EchoEndpoints.tcp(first));
        awaitEcho(loopback(first));

        EndpointInfo info = endpoint("itest-tcp").orElseThrow();
        assertEquals(NetTransport.TCP_SERVER, info.transport());
        assertEquals("OPEN", info.state());
        assertEquals("127.0.0.1:" + first, info.address());
        assertEquals("configured endpoints belong to the network bundle", "io.msf.net", info.owner());
        assertTrue("frames counted: " + info, info.framesIn() >= 1);

        int second = freePort();
        configs().factory(FACTORY_PID, "itest-tcp", EchoEndpoints.tcp(second));
        awaitEcho(loopback(second));
        awaitRefused(loopback(first));

        config.delete();
        awaitRefused(loopback(second));
        Await.until("deleted endpoint gone from endpoints()", () -> endpoint("itest-tcp").isEmpty());
    }

    @Test
    public void configuredEndpointWaitsForItsHandlerServiceAndAnswersOnceItIsRegistered() throws Exception {
        int port = freePort();
        configs().factory(FACTORY_PID, "itest-late", EchoEndpoints.tcp(port, "handler", EchoSetup.HANDLER));
        awaitState("itest-late", "WAITING");

        ServiceRegistration<ChannelSetup> handler = registerTenantEcho();
        try {
            awaitEcho(loopback(port));
            awaitState("itest-late", "OPEN");
        } finally {
            handler.unregister();
        }
        awaitState("itest-late", "WAITING");
    }

    /**
     * An endpoint with port 0 whose handler's bundle is swapped (its ChannelSetup goes and comes back)
     * is bound again on the port it had, where its peers learnt to find it, not on one the kernel picks anew.
     */
    @Test
    public void anEndpointOnPortZeroIsBoundAgainOnItsPortWhenItsHandlerComesBack() throws Exception {
        Configuration config = configs().factory(FACTORY_PID, "itest-any-port",
                EchoEndpoints.tcp(0, "handler", EchoSetup.HANDLER));
        try {
            ServiceRegistration<ChannelSetup> handler = registerTenantEcho();
            awaitState("itest-any-port", "OPEN");
            String address = endpoint("itest-any-port").orElseThrow().address();
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            assertTrue("echo on " + address, echoes(loopback(port)));

            handler.unregister();
            awaitState("itest-any-port", "WAITING");
            handler = registerTenantEcho();
            try {
                awaitState("itest-any-port", "OPEN");
                assertEquals(address, endpoint("itest-any-port").orElseThrow().address());
                assertTrue("echo on " + address + " again", echoes(loopback(port)));
            } finally {
                handler.unregister();
            }
        } finally {
            config.delete();
        }
    }

    private ServiceRegistration<ChannelSetup> registerTenantEcho() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(ChannelSetup.HANDLER_PROPERTY, EchoSetup.HANDLER);
        return context.registerService(ChannelSetup.class, new EchoSetup(), properties);
    }

    @Test
    public void endpointFromACfgFileInTheWatchedDirectoryEchoes() throws Exception {
        int port = freePort();
        Path file = configs().writeFile(FACTORY_PID + "~itest-file.cfg", EchoEndpoints.tcpFile(port));
        awaitEcho(loopback(port));

        Files.delete(file);
        awaitRefused(loopback(port));
    }

    @Test
    public void configuredUnixDomainSocketEndpointEchoes() throws Exception {
        Path socket = dataDir().resolve("itest-echo.sock");
        configs().factory(FACTORY_PID, "itest-uds", EchoEndpoints.uds(socket));
        awaitEcho(socketFile(socket));
        assertEquals(NetTransport.UDS_SERVER, endpoint("itest-uds").orElseThrow().transport());
    }

    @Test
    public void aUnixSocketFileDeletedWhileItsEndpointListensIsLinkedAgainAndItsConnectionsStay() throws Exception {
        Path socket = dataDir().resolve("itest-deleted.sock");
        configs().factory(FACTORY_PID, "itest-deleted", EchoEndpoints.uds(socket));
        awaitEcho(socketFile(socket));
        // open, not only answering: a socket answers once bound, before its open has made the file owner-only,
        // and a file deleted in between fails that open (then bound again afresh, the connection lost with it)
        awaitState("itest-deleted", "OPEN");
        try (FramedClient connected = FramedClient.uds(socket)) {
            Files.delete(socket);
            assertFalse("nobody can connect while the name is gone", echoes(socketFile(socket)));

            awaitEcho(socketFile(socket));
            assertEcho(connected, "connected before the file was deleted");
        }
    }

    @Test
    public void endpointOpenedFromCodeOnAUnixDomainSocketEchoesUntilClosed() throws Exception {
        Path socket = dataDir().resolve("itest-code.sock");
        Endpoint endpoint = net.open(EndpointSpec.udsServer("itest-code", socket.toString()), new EchoSetup());
        try (FramedClient client = FramedClient.uds(socket)) {
            assertEcho(client, "over a socket file");
            assertEquals(context.getBundle().getSymbolicName(), endpoint("itest-code").orElseThrow().owner());
        } finally {
            endpoint.close();
        }
        awaitRefused(socketFile(socket));
        assertFalse("the socket file is removed with its endpoint", Files.exists(socket));
    }

    @Test
    public void oversizedFrameClosesOnlyItsOwnConnection() throws Exception {
        int port = freePort();
        configs().factory(FACTORY_PID, "itest-bounded", EchoEndpoints.tcp(port, "maxFrameBytes", 1024));
        awaitEcho(loopback(port));
        long errorsBefore = endpoint("itest-bounded").orElseThrow().errors();

        try (FramedClient offender = FramedClient.tcp(port); FramedClient bystander = FramedClient.tcp(port)) {
            assertEcho(bystander, "before");
            offender.sendRaw(ByteBuffer.allocate(4 + 16).putInt(64 * 1024).put(new byte[16]).flip());
            offender.awaitClosedByPeer();

            assertEcho(bystander, "the other connection is untouched");
        }
        awaitEcho(loopback(port));
        Await.value("errors of itest-bounded", () -> endpoint("itest-bounded").orElseThrow().errors(),
                errors -> errors > errorsBefore);
    }

    @Test
    public void anIdleTimeoutFromAConfigFileClosesASilentConnectionAndABadOneKeepsTheLastGood() throws Exception {
        int port = freePort();
        String fileName = FACTORY_PID + "~itest-idle.cfg";
        Path file = configs().writeFile(fileName, idleTimeout(port, "300"));
        awaitEcho(loopback(port));
        try (FramedClient mute = FramedClient.tcp(port)) {
            mute.awaitClosedByPeer();
        }

        configs().writeFile(fileName, idleTimeout(port, "-1"));
        ConfigProblem refused = Await.value("the refusal of " + fileName, () -> gate.rejected().stream()
                .filter(problem -> problem.file().endsWith(fileName)).findFirst(), Optional::isPresent).get();
        assertEquals("idleTimeoutMillis", refused.key());
        try (FramedClient mute = FramedClient.tcp(port)) {
            mute.awaitClosedByPeer(); // 300 ms still in force
        }
        awaitEcho(loopback(port));

        Files.delete(file);
        awaitRefused(loopback(port));
    }

    private static String[] idleTimeout(int port, String millis) {
        List<String> lines = new ArrayList<>(List.of(EchoEndpoints.tcpFile(port)));
        lines.add("idleTimeoutMillis = " + millis);
        return lines.toArray(String[]::new);
    }

    @Test
    public void configuredTcpClientConnectsAgainWhenItsServerComesBack() throws Exception {
        int port = freePort();
        Configuration config = configs().factory(FACTORY_PID, "itest-client",
                EchoEndpoints.tcpClient(port, "reconnectMinMillis", 20, "reconnectMaxMillis", 200));
        awaitState("itest-client", "CONNECTING");

        try (ServerSocket server = listen(port); Socket client = accept(server)) {
            assertEquals("late server", echoedBy(client, "late server"));
            awaitState("itest-client", "OPEN");
        }
        awaitState("itest-client", "RECONNECTING");
        Await.value("last error of itest-client", () -> endpoint("itest-client").orElseThrow().lastError(),
                error -> error.contains("attempt(s) failed") && error.contains("127.0.0.1:" + port));

        try (ServerSocket server = listen(port); Socket client = accept(server)) {
            assertEquals("server back", echoedBy(client, "server back"));
            awaitState("itest-client", "OPEN");
        }
        config.delete();
        Await.until("deleted client gone from endpoints()", () -> endpoint("itest-client").isEmpty());
    }

    @Test
    public void configuredTlsClientGivesUpOnASilentServerAfterItsHandshakeTimeout() throws Exception {
        // The kernel accepts the connection; nobody ever reads the client's hello.
        try (ServerSocket silent = listen(freePort())) {
            int port = silent.getLocalPort();
            Configuration config = configs().factory(FACTORY_PID, "itest-tls-client", EchoEndpoints.tcpClient(port,
                    "tls", true, "tlsHandshakeTimeoutMillis", 300, "reconnectMinMillis", 20,
                    "reconnectMaxMillis", 200));

            Await.value("last error of itest-tls-client", () -> endpoint("itest-tls-client").orElseThrow().lastError(),
                    error -> error.contains("TLS handshake with 127.0.0.1:" + port
                            + " failed: handshake timed out after 300ms"));
            assertEquals("CONNECTING", endpoint("itest-tls-client").orElseThrow().state());
            config.delete();
            Await.until("deleted client gone from endpoints()", () -> endpoint("itest-tls-client").isEmpty());
        }
    }

    @Test
    public void configuredTlsClientWithoutReconnectHoldsUpNoOtherConfigurationWhileItsHandshakeWaits()
            throws Exception {
        // The kernel accepts the connection; nobody ever reads the client's hello.
        try (ServerSocket silent = listen(freePort())) {
            Configuration client = configs().factory(FACTORY_PID, "itest-tls-once", EchoEndpoints.tcpClient(
                    silent.getLocalPort(), "tls", true, "tlsHandshakeTimeoutMillis", 60_000, "reconnect", false));
            awaitState("itest-tls-once", "CONNECTING");

            // Delivered on the same configuration thread as the client's: served long before the handshake times out.
            int port = freePort();
            Configuration server = configs().factory(FACTORY_PID, "itest-after-once", EchoEndpoints.tcp(port));
            awaitEcho(loopback(port));
            assertEquals("CONNECTING", endpoint("itest-tls-once").orElseThrow().state());

            client.delete();
            server.delete();
            Await.until("deleted client gone from endpoints()", () -> endpoint("itest-tls-once").isEmpty());
        }
    }

    @Test
    public void tcpClientOpenedFromCodeWithReconnectConnectsAgainWhenItsServerComesBack() throws Exception {
        int port = freePort();
        Endpoint reconnecting = net.open(EndpointSpec.tcpClient("itest-code-client", "127.0.0.1", port)
                .withReconnect(new Reconnect(20, 200)), new EchoSetup());
        try {
            awaitState("itest-code-client", "CONNECTING");
            try (ServerSocket server = listen(port); Socket client = accept(server)) {
                assertEquals("late server", echoedBy(client, "late server"));
                awaitState("itest-code-client", "OPEN");
            }
            awaitState("itest-code-client", "RECONNECTING");
            try (ServerSocket server = listen(port); Socket client = accept(server)) {
                assertEquals("server back", echoedBy(client, "server back"));
                awaitState("itest-code-client", "OPEN");
            }
        } finally {
            reconnecting.close();
        }
        Await.until("closed client gone from endpoints()", () -> endpoint("itest-code-client").isEmpty());
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        server.setSoTimeout((int) Await.TIMEOUT_MILLIS);
        return server;
    }

    private static Socket accept(ServerSocket server) throws IOException {
        Socket client = server.accept();
        client.setSoTimeout((int) Await.TIMEOUT_MILLIS);
        return client;
    }

    /** Sends a frame to a connected client whose handler echoes, and reads what comes back. */
    private static String echoedBy(Socket client, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        DataOutputStream out = new DataOutputStream(client.getOutputStream());
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
        DataInputStream in = new DataInputStream(client.getInputStream());
        byte[] echoed = new byte[in.readInt()];
        in.readFully(echoed);
        return new String(echoed, StandardCharsets.UTF_8);
    }

    private void awaitState(String endpoint, String state) {
        Await.value("state of " + endpoint, () -> endpoint(endpoint).map(EndpointInfo::state).orElse("absent"),
                state::equals);
    }

    private Optional<EndpointInfo> endpoint(String name) {
        return net.endpoints().stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
