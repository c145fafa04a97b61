package io.msf.net.internal;

import static io.msf.net.internal.ConfiguredEndpoints.configuration;
import static io.msf.net.internal.LoopbackServers.accept;
import static io.msf.net.internal.LoopbackServers.listen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;

import io.msf.net.api.EndpointInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Configured clients against servers that come and go: they keep connecting, and stop when their
 * configuration goes; with {@code reconnect = false}, they connect once.
 */
class ConfiguredClientTest extends ConfiguredEndpointTestSupport {

    private static final String PID = "msf.net.endpoint~uplink";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private int port;

    ConfiguredClientTest() {
        super("echo");
    }

    @BeforeEach
    void pickPort() throws Exception {
        port = NetworkServiceTest.freePort();
    }

    @Test
    void aClientConfiguredBeforeItsServerConnectsOnceTheServerIsUp() throws Exception {
        ConfiguredEndpoint client = endpoints.activate(PID, client());

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(info().lastError())
                .contains("cannot connect to 127.0.0.1:" + port).contains("attempt(s) failed"));
        // the reason alone: the row of net:list names the endpoint, as the log line's label does
        assertThat(info().lastError()).matches("(?s)\\d+ attempt\\(s\\) failed, the last: cannot connect to 127\\.0\\.0\\.1:"
                + port + ": .*").doesNotContain("endpoint '");
        assertThat(info().state()).isEqualTo("CONNECTING");
        verify(endpoints.log).warn(contains("trying again"));

        try (ServerSocket server = listen(port); Socket accepted = accept(server, PATIENCE)) {
            assertThat(ConfiguredEndpointTest.echoOn(accepted, "late server")).isEqualTo("late server");
            await().atMost(PATIENCE).until(() -> info().state().equals("OPEN"));
        }
        endpoints.deactivate(client);
    }

    @Test
    void aServerRestartIsFollowedByAReconnect() throws Exception {
        try (ServerSocket server = listen(port)) {
            endpoints.activate(PID, client());
            try (Socket accepted = accept(server, PATIENCE)) {
                assertThat(ConfiguredEndpointTest.echoOn(accepted, "first")).isEqualTo("first");
            }
        }

        await().atMost(PATIENCE).until(() -> info().state().equals("RECONNECTING"));
        verify(endpoints.log).warn(contains("connection to 127.0.0.1:" + port + " lost; reconnecting"));

        try (ServerSocket server = listen(port); Socket accepted = accept(server, PATIENCE)) {
            assertThat(ConfiguredEndpointTest.echoOn(accepted, "again")).isEqualTo("again");
            await().atMost(PATIENCE).until(() -> info().state().equals("OPEN"));
        }
        verify(endpoints.log, atLeastOnce()).info(contains("after {} failed attempt(s)"), any(Object[].class));
    }

    @Test
    void closingTheEndpointStopsItsAttempts() throws Exception {
        ConfiguredEndpoint client;
        try (ServerSocket server = listen(port)) {
            client = endpoints.activate(PID, client());
            try (Socket accepted = accept(server, PATIENCE)) {
                assertThat(ConfiguredEndpointTest.echoOn(accepted, "once")).isEqualTo("once");
            }
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(info().lastError()).contains("attempt(s) failed"));

        endpoints.deactivate(client);

        assertThat(endpoints.registry.endpoints()).isEmpty();
        assertNoConnectionArrives(port);
    }

    @Test
    void aChangedPortStopsTheAttemptsOnTheOldOne() throws Exception {
        ConfiguredEndpoint client = endpoints.activate(PID, client());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(info().lastError()).contains("attempt(s) failed"));
        int oldPort = port;
        port = NetworkServiceTest.freePort();

        client.modified(configuration(client()));

        try (ServerSocket server = listen(port); Socket accepted = accept(server, PATIENCE)) {
            assertThat(ConfiguredEndpointTest.echoOn(accepted, "new port")).isEqualTo("new port");
        }
        assertNoConnectionArrives(oldPort);
    }

    @Test
    void aClientWithoutReconnectIsClosedWhenItsConnectionIsLostUntilItsConfigurationChanges() throws Exception {
        Map<String, Object> once = client();
        once.put("reconnect", false);
        try (ServerSocket server = listen(port)) {
            ConfiguredEndpoint client = endpoints.activate(PID, once);
            try (Socket accepted = accept(server, PATIENCE)) {
                assertThat(ConfiguredEndpointTest.echoOn(accepted, "only once")).isEqualTo("only once");
            }

            await().atMost(PATIENCE).until(() -> info().state().equals("CLOSED"));
            assertThat(info().lastError()).isEqualTo("connection to 127.0.0.1:" + port + " lost; not reconnecting"
                    + " (reconnect = false)");
            verify(endpoints.log).warn("endpoint 'uplink' of " + endpoints.context.getBundle().getSymbolicName() + " ("
                    + PID + "): connection to 127.0.0.1:" + port + " lost; not reconnecting (reconnect = false)");
            // 50 times its longest wait: a client that reconnects would have come back long since.
            server.setSoTimeout(2500);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);

            client.modified(configuration(once));

            try (Socket accepted = accept(server, PATIENCE)) {
                assertThat(ConfiguredEndpointTest.echoOn(accepted, "changed")).isEqualTo("changed");
                await().atMost(PATIENCE).until(() -> info().state().equals("OPEN"));
            }
        }
    }

    @Test
    void aClientThatStopsReconnectingMakesOneAttemptAndOneThatStartsAgainKeepsConnecting() throws Exception {
        ConfiguredEndpoint client = endpoints.activate(PID, client());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(info().lastError()).contains("attempt(s) failed"));
        Map<String, Object> once = client();
        once.put("reconnect", false);

        client.modified(configuration(once));

        await().atMost(PATIENCE).until(() -> info().state().equals("FAILED"));
        assertThat(info().lastError()).startsWith("cannot connect to 127.0.0.1:" + port)
                .doesNotContain("attempt(s) failed");
        assertNoConnectionArrives(port);

        client.modified(configuration(client()));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(info().lastError()).contains("attempt(s) failed"));
        try (ServerSocket server = listen(port); Socket accepted = accept(server, PATIENCE)) {
            assertThat(ConfiguredEndpointTest.echoOn(accepted, "connecting again")).isEqualTo("connecting again");
            await().atMost(PATIENCE).until(() -> info().state().equals("OPEN"));
        }
    }

    /** A client configured without a port (0, the key's default for a server) kept connecting to port 0. */
    @Test
    void aClientWithoutAPortIsRefusedNamingTheKey() {
        endpoints.activate("msf.net.endpoint~bad", Map.of("transport", "tcp-client"));

        EndpointInfo bad = endpoints.registry.endpoints().get(0);
        assertThat(bad.state()).isEqualTo("FAILED");
        assertThat(bad.lastError())
                .isEqualTo("port 0 is no port to connect to; a TCP client needs its server's (1..65535)");
    }

    @Test
    void badWaitsAreRefusedNamingTheKey() throws Exception {
        assertFirstRefused("reconnectMinMillis", 0, "reconnectMinMillis: 0 is less than 1");

        assertChangeRefused("reconnectMaxMillis", 5, "reconnectMaxMillis: 5 is less than reconnectMinMillis (10)");
    }

    @Test
    void badTimeoutsAreRefusedNamingTheKey() throws Exception {
        assertFirstRefused("connectTimeoutMillis", 0, "connectTimeoutMillis: 0 is not in 1..600000 (10 minutes)");

        assertChangeRefused("tlsHandshakeTimeoutMillis", 600_001,
                "tlsHandshakeTimeoutMillis: 600001 is not in 1..600000 (10 minutes)");
    }

    /** A client's first configuration with {@code key} at {@code value} leaves it FAILED, saying {@code why}. */
    private void assertFirstRefused(String key, Object value, String why) {
        endpoints.activate("msf.net.endpoint~bad", Map.of("transport", "tcp-client", "port", port, key, value));

        EndpointInfo bad = endpoints.registry.endpoints().get(0);
        assertThat(bad.state()).isEqualTo("FAILED");
        assertThat(bad.lastError()).isEqualTo(why);
    }

    /**
     * A change of a good client to {@code key} at {@code value} is refused with one ERROR line saying {@code why},
     * and the client keeps connecting with its last good configuration.
     */
    private void assertChangeRefused(String key, Object value, String why) throws IOException {
        ConfiguredEndpoint client = endpoints.activate(PID, client());
        Map<String, Object> changed = client();
        changed.put(key, value);
        client.modified(configuration(changed));

        verify(endpoints.log).error(PID + ": " + why + "; keeps the last good configuration");
        try (ServerSocket server = listen(port); Socket accepted = accept(server, PATIENCE)) {
            assertThat(ConfiguredEndpointTest.echoOn(accepted, "still connecting")).isEqualTo("still connecting");
        }
    }

    @Test
    void aUnixSocketPathThatCanNeverBeUsedIsRefusedNamingTheKeyInsteadOfTriedForEver() {
        String tooLong = DomainSocketFilesTest.pathOfBytes(tmp, 120);
        endpoints.activate("msf.net.endpoint~bad", Map.of("transport", "uds-client", "path", tooLong,
                "reconnectMinMillis", 10, "reconnectMaxMillis", 50));

        EndpointInfo bad = endpoints.registry.endpoints().get(0);
        assertThat(bad.state()).isEqualTo("FAILED");
        assertThat(bad.lastError()).isEqualTo("path " + tooLong + " is 120 bytes"
                + " long; a Unix socket's path can have at most 106 on the NIO transport (the JDK's limit)");

        ConfiguredEndpoint client = endpoints.activate(PID, client());
        Map<String, Object> withNul = client();
        withNul.putAll(Map.of("transport", "uds-client", "path", "up\0link.sock"));
        client.modified(configuration(withNul));

        verify(endpoints.log).error(PID + ": path contains a NUL character (at index 2), which a"
                + " Unix socket's path cannot have; keeps the last good configuration");
    }

    /** A TCP client of {@link #port} that tries again every 10 to 50 ms. */
    private Map<String, Object> client() {
        return new HashMap<>(Map.of("transport", "tcp-client", "port", port, "reconnectMinMillis", 10,
                "reconnectMaxMillis", 50));
    }

    private EndpointInfo info() {
        return endpoints.info("uplink");
    }

    /** Listens on the port for a while (50 times the longest wait between attempts): nobody comes. */
    private static void assertNoConnectionArrives(int port) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server.configureBlocking(false);
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> {
                try (SocketChannel arrived = server.accept()) {
                    return arrived == null;
                }
            });
        }
    }
}
