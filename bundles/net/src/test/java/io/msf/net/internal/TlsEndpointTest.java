package io.msf.net.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockingDetails;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.event.api.EventLoopService;
import io.msf.event.api.Transport;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Reconnect;
import io.msf.net.api.TlsSpec;
import io.msf.net.testing.TestKeys;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

/** TLS endpoints over real loopback connections, with key material made for the test. */
class TlsEndpointTest {

    @TempDir
    static Path keyDir;
    static TestKeys keys;
    static TestLoops loops;
    private static final long APP_ID = 10;

    private final Logger log = mock(Logger.class);
    private final EndpointRegistry registry = new EndpointRegistry();
    private final TestPools pools = new TestPools();
    private BundleNetworkService app;

    @BeforeAll
    static void makeKeys() throws Exception {
        keys = TestKeys.in(keyDir);
        loops = new TestLoops(Transport.NIO);
    }

    @AfterAll
    static void stopLoops() {
        loops.close();
    }

    @AfterEach
    void release() {
        if (app != null) {
            app.deactivate();
        }
    }

    private BundleNetworkService app() {
        app = service("com.example.app", APP_ID);
        return app;
    }

    private BundleNetworkService service(String owner, long id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(owner);
        when(bundle.getBundleId()).thenReturn(id);
        ComponentContext context = mock(ComponentContext.class);
        when(context.getUsingBundle()).thenReturn(bundle);
        when(context.getBundleContext()).thenReturn(mock(BundleContext.class));
        return new BundleNetworkService(context, loops, pools, registry, log);
    }

    private Endpoint tlsEchoServer(TlsSpec tls) {
        return app().open(EndpointSpec.tcpServer("echo", 0).withTls(tls), new EchoChannelSetup());
    }

    private Endpoint client(String name, Endpoint server, TlsSpec tls, Collector replies) {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        return app.open(EndpointSpec.tcpClient(name, "127.0.0.1", port).withTls(tls), replies);
    }

    private static String exchange(Endpoint client, Collector replies, String text) throws InterruptedException {
        client.channel().writeAndFlush(Unpooled.copiedBuffer(text, UTF_8));
        byte[] reply = replies.next();
        return reply == null ? null : new String(reply, UTF_8);
    }

    @Test
    void framesAreEchoedOverTls() throws Exception {
        Endpoint server = tlsEchoServer(TlsSpec.server(keys.server, TestKeys.PASSWORD));
        Collector replies = new Collector();

        Endpoint client = client("client", server, TlsSpec.client(keys.serverTrust, TestKeys.PASSWORD), replies);

        assertThat(exchange(client, replies, "secret hello")).isEqualTo("secret hello");
        assertThat(client.channel().pipeline().names()).startsWith("msf-tls", "msf-tls-failures");
        // The counters see the messages, not the TLS records around them.
        assertThat(info("echo").bytesIn()).isEqualTo(4 + "secret hello".length());
        verify(log).info(anyString(), eq("endpoint 'client' of com.example.app"), any(), any(), eq(" over TLS"));
    }

    @Test
    void aPlainClientIsRefusedAndTheServerKeepsServing() throws Exception {
        Endpoint server = tlsEchoServer(TlsSpec.server(keys.server, TestKeys.PASSWORD));
        Collector plainReplies = new Collector();
        for (String name : List.of("plain", "plain again")) {
            Endpoint plain = client(name, server, null, plainReplies);
            plain.channel().writeAndFlush(Unpooled.copiedBuffer("in clear", UTF_8));
            await().until(() -> !plain.channel().isActive());
        }
        assertThat(plainReplies.isEmpty()).isTrue();

        // Once a minute per peer address: the second from 127.0.0.1 is a DEBUG line.
        await().untilAsserted(() -> verify(log).warn(anyString(), eq("endpoint 'echo' of com.example.app"),
                anyString(), eq("the peer does not speak TLS (plain TCP?)")));
        await().untilAsserted(() -> verify(log).debug(anyString(), eq("endpoint 'echo' of com.example.app"),
                anyString(), eq("the peer does not speak TLS (plain TCP?)"), eq(1)));
        assertThat(info("echo").lastError()).contains("does not speak TLS");
        Collector replies = new Collector();
        Endpoint good = client("good", server, TlsSpec.client(keys.serverTrust, TestKeys.PASSWORD), replies);
        assertThat(exchange(good, replies, "still serving")).isEqualTo("still serving");
    }

    @Test
    void aClientThatDoesNotTrustTheServerFailsToOpen() {
        Endpoint server = tlsEchoServer(TlsSpec.server(keys.server, TestKeys.PASSWORD));

        assertThatThrownBy(() -> client("wary", server, TlsSpec.client(keys.strangerTrust, TestKeys.PASSWORD),
                new Collector()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("endpoint 'wary' of com.example.app: TLS handshake with 127.0.0.1:")
                // Java 25 puts the TLS alert first: "failed: (certificate_unknown) PKIX path ..."
                .hasMessageContaining("failed: ")
                .hasMessageContaining("PKIX path building failed");
        assertThat(registry.endpoints()).extracting(EndpointInfo::name).containsExactly("echo");
    }

    @Test
    void aClientChecksTheHostName() {
        // A trusted certificate that does not name 127.0.0.1 (the client's has no SAN, CN=msf-test-client).
        Endpoint server = tlsEchoServer(TlsSpec.server(keys.client, TestKeys.PASSWORD));

        assertThatThrownBy(() -> client("misnamed", server, TlsSpec.client(keys.clientTrust, TestKeys.PASSWORD),
                new Collector()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("TLS handshake with 127.0.0.1:")
                .hasMessageContaining("subject alternative names");
    }

    @Test
    void requiredClientAuthenticationRefusesAClientWithoutACertificate() throws Exception {
        Endpoint server = tlsEchoServer(TlsSpec.server(keys.server, TestKeys.PASSWORD)
                .withTrustStore(keys.clientTrust, TestKeys.PASSWORD).withClientAuth(TlsSpec.ClientAuth.REQUIRE));
        TlsSpec anonymous = TlsSpec.client(keys.serverTrust, TestKeys.PASSWORD);

        Collector anonymousReplies = new Collector();
        Endpoint[] opened = new Endpoint[1];
        Throwable failure = catchThrowable(() -> opened[0] = client("anonymous", server, anonymous, anonymousReplies));
        if (failure == null) {
            // TLS 1.3: the client finished its side of the handshake before the server refused it.
            await().until(() -> !opened[0].channel().isActive());
        } else {
            assertThat(failure).isInstanceOf(UncheckedIOException.class).hasMessageContaining("TLS handshake");
        }
        await().untilAsserted(() -> assertThat(info("echo").lastError()).startsWith("TLS with 127.0.0.1:")
                .contains("failed"));
        assertThat(anonymousReplies.isEmpty()).isTrue();

        Collector replies = new Collector();
        Endpoint known = client("known", server, anonymous.withKeyStore(keys.client, TestKeys.PASSWORD), replies);
        assertThat(exchange(known, replies, "it is me")).isEqualTo("it is me");
    }

    @Test
    void aClientThatKeepsConnectingGoesOnWhileItsTrustStoreCannotBeRead() throws Exception {
        Path trust = keyDir.resolve("replaced-trust.p12");
        Files.copy(keys.serverTrust, trust);
        int port = NetworkServiceTest.freePort();
        BundleNetworkService service = app();
        openFailingUplink(service, trust, port);

        // Each attempt reads the stores anew: one that is being replaced fails that attempt, not the next.
        Files.delete(trust);
        await().untilAsserted(() -> assertThat(info("uplink").lastError())
                .contains("the last: tlsTrustStore: " + trust + " does not exist"));
        Files.copy(keys.serverTrust, trust);
        service.open(EndpointSpec.tcpServer("echo", port).withTls(TlsSpec.server(keys.server, TestKeys.PASSWORD)),
                new EchoChannelSetup());

        await().until(() -> info("uplink").state().equals("OPEN"));
    }

    /**
     * An attempt reads its TLS stores (and looks its host up) off the io loops: a store whose read blocks (a
     * FIFO here; a store on a hung network mount, a DNS server gone, in life) held the loop the attempt ran on,
     * and every connection of every endpoint on it, for as long as the read took.
     */
    @Test
    void aClientsAttemptWhoseStoreReadBlocksHoldsNoLoop() throws Exception {
        Path trust = keyDir.resolve("blocking-trust.p12");
        Files.copy(keys.serverTrust, trust);
        openFailingUplink(app(), trust, NetworkServiceTest.freePort());

        replaceWithFifo(trust);
        try {
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(TlsEndpointTest::everyLoopAnswers);
        } finally {
            releaseFifo(trust);
        }
    }

    /**
     * A client whose attempt blocks in a store read (or a host lookup) holds that client only: each client a
     * bundle opens from code prepares its attempts on a thread of its own, where one thread shared by all of
     * them held every other client of the bundle, whatever its server, for as long as the read took.
     */
    @Test
    void aClientsBlockedAttemptHoldsNoOtherClientOfItsBundle() throws Exception {
        Path trust = keyDir.resolve("held-trust.p12");
        Files.copy(keys.serverTrust, trust);
        int port = NetworkServiceTest.freePort();
        BundleNetworkService service = app();
        openFailingUplink(service, trust, port);

        replaceWithFifo(trust);
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            await().atMost(Duration.ofSeconds(5)).until(TlsEndpointTest::aConnectThreadWaitsInANativeCall);
            service.open(EndpointSpec.tcpClient("plain", "127.0.0.1", other.getLocalPort())
                    .withReconnect(new Reconnect(10, 50)), new Collector());
            other.setSoTimeout(5000);
            try (Socket accepted = other.accept()) {
                assertThat(accepted.isConnected()).isTrue();
            }
        } finally {
            releaseFifo(trust);
        }
    }

    /** Puts a FIFO where the store {@code trust} was: the next attempt opens it, and waits there for a writer. */
    private static void replaceWithFifo(Path trust) throws Exception {
        Files.delete(trust);
        assertThat(new ProcessBuilder("mkfifo", trust.toString()).inheritIO().start().waitFor()).isZero();
    }

    /** Moved away first, so that no further attempt opens it; a reader waiting in it is let go by a writer. */
    private static void releaseFifo(Path trust) throws IOException {
        Path fifo = trust.resolveSibling(trust.getFileName() + ".fifo");
        Files.move(trust, fifo);
        new RandomAccessFile(fifo.toFile(), "rw").close();
        Files.delete(fifo);
    }

    /** Whether a thread preparing a client's attempt is held in a native call: a FIFO's open, waiting for a writer. */
    private static boolean aConnectThreadWaitsInANativeCall() {
        return Thread.getAllStackTraces().entrySet().stream()
                .anyMatch(thread -> thread.getKey().getName().startsWith(BundleNetworkService.CONNECT_THREAD_PREFIX)
                        && thread.getValue().length > 0 && thread.getValue()[0].isNativeMethod());
    }

    /**
     * Opens "uplink", a TLS client trusting {@code trust} that keeps connecting, to {@code port}, where no
     * server listens, and waits until its first attempt failed: its stores were read.
     */
    private void openFailingUplink(BundleNetworkService service, Path trust, int port) {
        service.open(EndpointSpec.tcpClient("uplink", "127.0.0.1", port)
                .withTls(TlsSpec.client(trust, TestKeys.PASSWORD)).withReconnect(new Reconnect(10, 50)),
                new Collector());
        await().untilAsserted(() -> assertThat(info("uplink").lastError())
                .contains("cannot connect to 127.0.0.1:" + port));
    }

    /** Whether each io loop runs a task within half a second. */
    private static boolean everyLoopAnswers() {
        for (EventExecutor loop : loops.group(EventLoopService.IO_GROUP)) {
            if (!loop.submit(() -> { }).awaitUninterruptibly(500, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A bundle that stops lets go of its network service, then the memory pool closes its account: every
     * close_notify of its TLS connections, server and client, has to be written before that, or it would be
     * refused with a MemoryPoolClosedException (a WARN) and the peers would see the connection cut.
     */
    @Test
    void aStoppingOwnerSaysCloseNotifyOnEveryTlsConnectionBeforeItsPoolCloses() throws Exception {
        BundleNetworkService other = service("com.example.other", 11);
        // The TLS handler goes in after the setup: the channels are kept, their handlers read later.
        List<Channel> otherSide = new CopyOnWriteArrayList<>();
        ChannelSetup recordingEcho = (channel, spec) -> {
            otherSide.add(channel);
            new EchoChannelSetup().initChannel(channel, spec);
        };
        try {
            Endpoint otherServer = other.open(EndpointSpec.tcpServer("echo", 0)
                    .withTls(TlsSpec.server(keys.server, TestKeys.PASSWORD)), recordingEcho);
            Endpoint server = tlsEchoServer(TlsSpec.server(keys.server, TestKeys.PASSWORD));
            TlsSpec trusting = TlsSpec.client(keys.serverTrust, TestKeys.PASSWORD);
            Collector replies = new Collector();
            Endpoint appClient = client("client", otherServer, trusting, replies);
            int port = ((InetSocketAddress) otherServer.localAddress()).getPort();
            app.open(EndpointSpec.tcpClient("uplink", "127.0.0.1", port).withTls(trusting)
                    .withReconnect(new Reconnect(10, 50)), new Collector());
            int appPort = ((InetSocketAddress) server.localAddress()).getPort();
            Endpoint otherClient = other.open(EndpointSpec.tcpClient("client", "127.0.0.1", appPort)
                    .withTls(trusting), replies);
            assertThat(exchange(appClient, replies, "hello")).isEqualTo("hello");
            assertThat(exchange(otherClient, replies, "hello")).isEqualTo("hello");
            await().until(() -> info("uplink").state().equals("OPEN"));
            otherSide.add(otherClient.channel());
            List<SslHandler> ends = otherSide.stream().map(channel -> channel.pipeline().get(SslHandler.class)).toList();

            app.deactivate();
            app = null;
            pools.close(APP_ID);

            // The other bundle's ends of the three connections each got a close_notify, not just the end of the stream.
            assertThat(otherSide).hasSize(3);
            for (SslHandler end : ends) {
                assertThat(end.sslCloseFuture().await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(end.sslCloseFuture().cause()).isNull();
            }
            assertThat(mockingDetails(log).getInvocations()).noneMatch(
                    call -> call.getMethod().getName().equals("warn") || call.getMethod().getName().equals("error"));
        } finally {
            other.deactivate();
        }
    }

    @Test
    void tlsIsRefusedWhereItDoesNotApply() {
        TlsSpec tls = TlsSpec.server(keys.server, TestKeys.PASSWORD);

        assertThatThrownBy(() -> EndpointSpec.udsServer("local", "x.sock").withTls(tls))
                .hasMessage("endpoint local: TLS is for TCP only, not UDS_SERVER (a Unix domain socket is owner-only"
                        + " and stays plain)");
        assertThatThrownBy(() -> EndpointSpec.udp("datagrams", 0).withTls(tls))
                .hasMessageContaining("TLS is for TCP only, not UDP");
        assertThatThrownBy(() -> EndpointSpec.tcpServer("keyless", 0).withTls(TlsSpec.client(null, "")))
                .hasMessage("endpoint keyless: a TLS server needs a key store");
    }

    @Test
    void anUnreadableKeyStoreIsNamed() {
        BundleNetworkService service = app();

        assertThatThrownBy(() -> service.open(EndpointSpec.tcpServer("echo", 0)
                .withTls(TlsSpec.server(keys.server, "wrong")), new EchoChannelSetup()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint 'echo' of com.example.app: tlsKeyStorePassword: wrong password for "
                        + keys.server);
        assertThatThrownBy(() -> service.open(EndpointSpec.tcpServer("echo", 0)
                .withTls(TlsSpec.server(keyDir.resolve("missing.p12"), "")), new EchoChannelSetup()))
                .hasMessage("endpoint 'echo' of com.example.app: tlsKeyStore: " + keyDir.resolve("missing.p12")
                        + " does not exist");
        assertThatThrownBy(() -> service.open(EndpointSpec.tcpServer("echo", 0)
                .withTls(TlsSpec.server(keys.serverTrust, TestKeys.PASSWORD)), new EchoChannelSetup()))
                .hasMessage("endpoint 'echo' of com.example.app: tlsKeyStore: " + keys.serverTrust
                        + " holds no private key");
    }

    @Test
    void unknownProtocolsAreRefusedWhenTheEndpointOpens() {
        TlsSpec ancient = TlsSpec.server(keys.server, TestKeys.PASSWORD).withProtocols(List.of("SSLv2"));

        assertThatThrownBy(() -> app().open(EndpointSpec.tcpServer("echo", 0).withTls(ancient), new EchoChannelSetup()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("endpoint 'echo' of com.example.app: TLS cannot be set up with TlsSpec[")
                .hasMessageContaining("SSLv2");
    }

    @Test
    void passwordsAreNotShown() {
        assertThat(TlsSpec.server(keys.server, "hunter2").toString()).doesNotContain("hunter2")
                .contains("(password set)");
    }

    private EndpointInfo info(String name) {
        return registry.endpoints().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }
}
