package io.msf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.msf.client.api.Address;
import io.msf.client.api.AgentClients;
import io.msf.client.api.AgentException;
import io.msf.client.api.ClientOptions;
import io.msf.client.api.ConnectedClient;
import io.msf.client.api.ConnectionState;
import io.msf.protocol.api.ErrorCode;
import io.msf.protocol.api.Protocol;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting and registering: the HELLO exchange over TCP and a Unix socket, and every refusal. */
class ConnectTest extends ClientTestBase {

    @TempDir
    Path dir;

    @Test
    void registersOverTcpWithAnIdTheAgentAssigns() {
        agent.token = "t0ken".getBytes(StandardCharsets.UTF_8);

        ConnectedClient client = connect(options().name("tool").token("t0ken"));

        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(client.id()).isEqualTo(Protocol.FIRST_ASSIGNED_ID);
        assertThat(client.name()).isEqualTo("tool");
        assertThat(agent.hellos).singleElement().satisfies(hello -> {
            assertThat(hello.id()).isZero();
            assertThat(hello.name()).isEqualTo("tool");
            assertThat(hello.replace()).isFalse();
            assertThat(hello.body().minVersion()).isEqualTo(Protocol.MIN_VERSION);
            assertThat(hello.body().maxFrameBytes()).isEqualTo(Protocol.DEFAULT_MAX_FRAME_BYTES);
            assertThat(hello.body().heartbeatMillis()).isEqualTo(5000);
            assertThat(hello.body().token()).asString(StandardCharsets.UTF_8).isEqualTo("t0ken");
        });
    }

    @Test
    void registersOverAUnixSocketWithTheIdAndNameItClaims() throws Exception {
        try (FakeAgent unix = FakeAgent.unix(dir.resolve(ClientOptions.SOCKET_FILE))) {
            ConnectedClient client = connect(ClientOptions.builder().dataDir(dir).id(42).name("media.dlna"));

            assertThat(client.id()).isEqualTo(42);
            assertThat(client.name()).isEqualTo("media.dlna");
            assertThat(textOf(client.request(Address.name(FakeAgent.ECHO), 1, text("over uds"), SECONDS_5)))
                    .isEqualTo("over uds");
            client.close();
        }
    }

    @Test
    void aWrongTokenIsRefusedWithTheAgentsCodeAndText() {
        agent.token = "s3cret".getBytes(StandardCharsets.UTF_8);

        AgentException refused = catchThrowableOfType(AgentException.class, () -> connect(options().token("guess")));

        assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(refused).hasMessageContaining("missing or wrong token").hasMessageContaining(Connector.describe(agent.address()));
        assertThat(connect(options().token("s3cret")).state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aNameHeldInTheContainerIsRefused() {
        agent.reservedNames.add("dlna");

        AgentException refused = catchThrowableOfType(AgentException.class, () -> connect(options().name("dlna")));

        assertThat(refused.code()).isEqualTo(ErrorCode.DUPLICATE_NAME);
        assertThat(refused).hasMessageContaining("name 'dlna' is taken");
    }

    @Test
    void anIdHeldByAnotherPeerIsRefusedWithoutReplace() {
        connect(options().id(7));

        AgentException refused = catchThrowableOfType(AgentException.class, () -> connect(options().id(7)));

        assertThat(refused.code()).isEqualTo(ErrorCode.DUPLICATE_ID);
        assertThat(agent.hellos).allSatisfy(hello -> assertThat(hello.replace()).isFalse());
    }

    @Test
    void anAgentWithoutACommonVersionIsRefused() {
        agent.minVersion = 2;
        agent.maxVersion = 3;

        AgentException refused = catchThrowableOfType(AgentException.class, () -> connect(options()));

        assertThat(refused.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(refused).hasMessageContaining("speaks 2..3");
    }

    @Test
    void anAgentThatIsNotThereIsReportedOfflineAfterTheConnectTimeout() {
        Path nobody = dir.resolve("nobody.sock");

        AgentException offline = catchThrowableOfType(AgentException.class, () -> AgentClients.connect(
                ClientOptions.builder().unixSocket(nobody).connectTimeout(Duration.ofMillis(300)).build()));

        assertThat(offline.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
        assertThat(offline).hasMessageContaining(nobody.toString()).hasMessageContaining("last attempt");
    }

    @Test
    void anAgentThatStartsLateIsReachedWithinTheConnectTimeout() throws Exception {
        agent.stop();

        CompletableFuture<ConnectedClient> connecting = CompletableFuture.supplyAsync(
                () -> connect(options().connectTimeout(Duration.ofSeconds(10))));
        // It cannot succeed while the agent is down, and it gives up only after 10 s: still trying.
        assertThat(connecting).isNotDone();
        agent.start();

        assertThat(connecting.get(10, TimeUnit.SECONDS).state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void clientsGivenSharedIoThreadsRunOnThemAndLeaveThemRunning() throws Exception {
        MultiThreadIoEventLoopGroup shared = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            ConnectedClient first = connect(options().ioThreads(shared));
            ConnectedClient second = connect(options().ioThreads(shared));
            assertThat(textOf(first.request(Address.name(FakeAgent.ECHO), 1, text("a"), SECONDS_5))).isEqualTo("a");
            assertThat(textOf(second.request(Address.name(FakeAgent.ECHO), 1, text("b"), SECONDS_5))).isEqualTo("b");

            first.close();
            second.close();

            assertThat(shared.isShuttingDown()).isFalse();
            ConnectedClient third = connect(options().ioThreads(shared));
            assertThat(textOf(third.request(Address.name(FakeAgent.ECHO), 1, text("c"), SECONDS_5))).isEqualTo("c");
        } finally {
            shared.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Pointed at a port where something else listens (the echo endpoint's, say), the client connects,
     * sends its HELLO and gets no answer: it said only 'could not register with the agent at
     * 127.0.0.1:7000 within 5000 ms', as for an agent that is merely slow. It now says the address
     * took the connection and nothing answered as an agent does.
     */
    @Test
    void anAddressThatTakesTheConnectionButNeverAnswersTheHelloIsToldSo() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // kept open, never written to
                    }
                } catch (IOException closed) {
                    held.forEach(socket -> {
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // the test is over
                        }
                    });
                }
            });
            acceptor.start();
            String address = "127.0.0.1:" + silent.getLocalPort();

            AgentException error = catchThrowableOfType(AgentException.class, () -> connect(
                    options().tcp("127.0.0.1", silent.getLocalPort()).connectTimeout(Duration.ofMillis(500))));

            assertThat(error.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
            // the wait's end or, on a loaded machine, the attempt's own HELLO timeout just before it: both say so
            assertThat(error).hasMessageStartingWith("PEER_OFFLINE: could not register with the agent at " + address
                    + " within 500 ms (").hasMessageContaining("(connected, but nothing answered the HELLO as an agent"
                    + " does: is " + address + " the agent's listener, and not another service's?)");
        }
    }

    /**
     * The demo echo endpoint takes the connection and closes it, the HELLO read as a frame too long,
     * and so does an agent with TLS given a plain client, and an agent with maxConnections open (no
     * frame: only its log says so): the attempts failed without a reason, and connect said only
     * '... within 500 ms'.
     */
    @Test
    void anAddressThatClosesTheConnectionBeforeAnsweringTheHelloIsToldSo() throws Exception {
        try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket socket = closing.accept();
                        socket.getInputStream().read(); // the HELLO has come
                        socket.close();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            String address = "127.0.0.1:" + closing.getLocalPort();

            AgentException error = catchThrowableOfType(AgentException.class, () -> connect(
                    options().tcp("127.0.0.1", closing.getLocalPort()).connectTimeout(Duration.ofMillis(500))));

            assertThat(error.code()).isEqualTo(ErrorCode.PEER_OFFLINE);
            assertThat(error).hasMessage("PEER_OFFLINE: could not register with the agent at " + address
                    + " within 500 ms (last attempt: PEER_OFFLINE: the connection was closed before an answer to the"
                    + " HELLO came: is " + address + " the agent's listener, and not another service's? Or an agent"
                    + " with tls = true, which closes a client without TLS (ClientOptions.Builder.tlsTrustStore)? Or an"
                    + " agent at its maxConnections: its log says 'refused the connection from ...: maxConnections=..."
                    + " reached'?)");
        }
    }
}
