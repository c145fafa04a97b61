package io.msf.net.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.msf.event.api.Transport;
import io.msf.net.api.ChannelSetup;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointInfo;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.api.NetTransport;
import io.msf.net.api.Reconnect;
import io.msf.net.testing.TestPorts;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.channels.SocketChannel;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.log.Logger;

class NetworkServiceTest {

    @TempDir
    Path dataDir;

    private final Logger log = mock(Logger.class);
    private final TestPools pools = new TestPools();
    private final EndpointRegistry registry = new EndpointRegistry();
    private final List<BundleNetworkService> services = new ArrayList<>();
    /** What the bundles' contexts answer to getProperty. */
    private final Map<String, String> frameworkProperties = new HashMap<>();
    private TestLoops loops;

    @AfterEach
    void stop() {
        services.forEach(BundleNetworkService::deactivate);
        if (loops != null) {
            loops.close();
        }
    }

    private BundleNetworkService start(Transport transport, String owner, long id) {
        if (loops == null) {
            loops = TestLoops.of(transport);
        }
        Bundle bundle = mock(Bundle.class);
        when(bundle.getSymbolicName()).thenReturn(owner);
        when(bundle.getBundleId()).thenReturn(id);
        BundleContext bundleContext = mock(BundleContext.class);
        frameworkProperties.putIfAbsent("msf.data", dataDir.toString());
        when(bundleContext.getProperty(anyString())).thenAnswer(call -> frameworkProperties.get(call.getArgument(0)));
        ComponentContext context = mock(ComponentContext.class);
        when(context.getUsingBundle()).thenReturn(bundle);
        when(context.getBundleContext()).thenReturn(bundleContext);
        BundleNetworkService service = new BundleNetworkService(context, loops, pools, registry, log);
        services.add(service);
        return service;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void tcpServerAndClientExchangeFramesOnLoopback(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint server = app.open(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Collector replies = new Collector();

        Endpoint client = app.open(EndpointSpec.tcpClient("client", "127.0.0.1", port), replies);
        client.channel().writeAndFlush(Unpooled.copiedBuffer("hello", UTF_8));

        assertThat(replies.next()).asString(UTF_8).isEqualTo("hello");
        assertThat(server.channel().getClass().getSimpleName())
                .startsWith(transport == Transport.EPOLL ? "Epoll" : "Nio");
        EndpointInfo serverInfo = info(app, "echo");
        assertThat(serverInfo.address()).isEqualTo("127.0.0.1:" + port);
        assertThat(serverInfo.state()).isEqualTo("OPEN");
        assertThat(serverInfo.owner()).isEqualTo("com.example.app");
        assertThat(serverInfo.connections()).isEqualTo(1);
        assertThat(serverInfo.framesIn()).isEqualTo(1);
        assertThat(serverInfo.bytesIn()).isEqualTo(9);
        assertThat(serverInfo.bytesOut()).isEqualTo(9);
        assertThat(info(app, "client").connections()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void buffersComeFromTheOwnersPool(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        List<Object> allocators = new ArrayList<>();
        Endpoint server = app.open(EndpointSpec.tcpServer("echo", 0),
                (ch, spec) -> allocators.add(ch.config().getAllocator()));
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        try (Socket socket = new Socket("127.0.0.1", port)) {
            await().until(() -> !allocators.isEmpty());
        }

        Object ownersAllocator = pools.poolFor(bundle(10)).allocator();
        assertThat(server.channel().config().getAllocator()).isSameAs(ownersAllocator);
        assertThat(allocators).containsExactly(ownersAllocator);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void udpDatagramsAreEchoed(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint server = app.open(EndpointSpec.udp("echo-udp", 0), new EchoChannelSetup());
        Collector replies = new Collector();
        Endpoint client = app.open(EndpointSpec.udp("client-udp", 0), replies);

        client.channel().writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("ping", UTF_8),
                (InetSocketAddress) server.localAddress()));

        assertThat(replies.next()).asString(UTF_8).isEqualTo("ping");
        EndpointInfo info = info(app, "echo-udp");
        assertThat(info.framesIn()).isEqualTo(1);
        assertThat(info.bytesIn()).isEqualTo(4);
        assertThat(info.transport()).isEqualTo(NetTransport.UDP);
    }

    /**
     * A UDP socket whose owner is over its memory limit cannot take the datagram waiting for it: under
     * epoll the loop tried again at once, for as long as the owner stayed over its limit, burning its
     * thread (the other channels' too) and counting an error each time: 2,799 and 13,106 in half a second in
     * two runs here.
     * Epoll only: NIO's datagram channel closes itself on such an error (see EndpointErrorHandler).
     */
    @Test
    void aUdpSocketWhoseOwnerIsOverItsMemoryLimitWaitsForMemoryInsteadOfSpinning() throws Exception {
        Transport transport = Transport.EPOLL;
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint server = app.open(EndpointSpec.udp("echo-udp", 0), new EchoChannelSetup());
        Collector replies = new Collector();
        Endpoint client = start(transport, "com.example.other", 11).open(EndpointSpec.udp("client-udp", 0), replies);
        pools.refuse(10, true);

        client.channel().writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("ping", UTF_8),
                (InetSocketAddress) server.localAddress()));
        await().until(() -> info(app, "echo-udp").errors() > 0);
        Thread.sleep(500);

        assertThat(info(app, "echo-udp").errors()).as("attempts to read in half a second").isLessThan(20);
        assertThat(info(app, "echo-udp").lastError()).contains("MemoryLimitExceededException");
        pools.refuse(10, false);
        assertThat(replies.next()).as("read once memory is there").asString(UTF_8).isEqualTo("ping");
    }

    /**
     * A late read on a UDP socket of an owner that has stopped: its memory pool refuses every buffer, for
     * good. Under epoll the loop tried again at once, as above, and no wait would ever end it.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aUdpSocketWhoseOwnerStoppedIsClosedInsteadOfSpinning(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint server = app.open(EndpointSpec.udp("echo-udp", 0), new EchoChannelSetup());
        Endpoint client = start(transport, "com.example.other", 11).open(EndpointSpec.udp("client-udp", 0),
                new Collector());
        pools.close(10);

        client.channel().writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("ping", UTF_8),
                (InetSocketAddress) server.localAddress()));
        await().until(() -> info(app, "echo-udp").errors() > 0);
        Thread.sleep(500);

        assertThat(server.channel().isOpen()).isFalse();
        assertThat(info(app, "echo-udp").errors()).as("attempts to read in half a second").isLessThan(20);
        assertThat(info(app, "echo-udp").lastError()).contains("has stopped: its memory pool is closed");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDatagramOverTheMaximumIsDroppedNotTruncated(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint server = app.open(EndpointSpec.udp("echo-udp", 0).withMaxFrameBytes(4), new EchoChannelSetup());
        Collector replies = new Collector();
        Endpoint client = app.open(EndpointSpec.udp("client-udp", 0), replies);
        InetSocketAddress to = (InetSocketAddress) server.localAddress();

        client.channel().writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("pingX", UTF_8), to));
        await().until(() -> info(app, "echo-udp").errors() == 1);
        client.channel().writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("pong", UTF_8), to));

        // Had the first been cut to 4 bytes, "ping" would come back before "pong".
        assertThat(replies.next()).asString(UTF_8).isEqualTo("pong");
        assertThat(info(app, "echo-udp").lastError()).contains("larger than maxFrameBytes=4");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unixSocketServerIsOwnerOnlyAndRemovedOnClose(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint server = app.open(EndpointSpec.udsServer("echo-uds", "sockets/echo.sock"), new EchoChannelSetup());
        Path socket = dataDir.resolve("sockets/echo.sock");
        Collector replies = new Collector();

        Endpoint client = app.open(EndpointSpec.udsClient("client-uds", "sockets/echo.sock"), replies);
        client.channel().writeAndFlush(Unpooled.copiedBuffer("over uds", UTF_8));

        assertThat(replies.next()).asString(UTF_8).isEqualTo("over uds");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
        assertThat(info(app, "echo-uds").address()).isEqualTo(socket.toString());

        client.close();
        server.close();

        assertThat(socket).doesNotExist();
        assertThat(app.endpoints()).isEmpty();
    }

    @Test
    void aSocketInARefusedDefaultDataFolderIsNeitherServedNorCalledButOneElsewhereIs() throws Exception {
        // msf.data unset, and its default in the temporary folder is open to others
        Path tmp = Files.createDirectory(dataDir.resolve("tmp"));
        Path open = Files.createDirectory(tmp.resolve("msf-data-tester"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        frameworkProperties.put("msf.data", "");
        frameworkProperties.put("java.io.tmpdir", tmp.toString());
        frameworkProperties.put("user.name", "tester");
        BundleNetworkService app = start(Transport.NIO, "com.example.app", 10);

        assertThatThrownBy(() -> app.open(EndpointSpec.udsServer("echo-uds", "echo.sock"), new EchoChannelSetup()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("endpoint 'echo-uds' of com.example.app: data folder " + open
                        + " refused: group or others may use it (rwxrwxrwx");
        assertThatThrownBy(() -> app.open(EndpointSpec.udsClient("client-uds", "echo.sock"), new Collector()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("endpoint 'client-uds' of com.example.app: data folder " + open + " refused");
        assertThat(open).as("nothing bound or made there").isEmptyDirectory();

        Path own = dataDir.resolve("own/echo.sock");
        Endpoint server = app.open(EndpointSpec.udsServer("echo-own", own.toString()), new EchoChannelSetup());
        assertThat(info(app, "echo-own").address()).isEqualTo(own.toString());
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectionsBeyondTheMaximumAreClosedAtOnce(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        EndpointSpec spec = EndpointSpec.tcpServer("echo", 0);
        Endpoint server = app.open(new EndpointSpec(spec.name(), spec.transport(), spec.host(), 0, null, spec.framing(),
                4, spec.maxFrameBytes(), 1), new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Collector first = new Collector();
        Endpoint admitted = app.open(EndpointSpec.tcpClient("first", "127.0.0.1", port), first);
        admitted.channel().writeAndFlush(Unpooled.copiedBuffer("1", UTF_8));
        assertThat(first.next()).asString(UTF_8).isEqualTo("1");

        Endpoint refused = app.open(EndpointSpec.tcpClient("second", "127.0.0.1", port), new Collector());

        assertThat(refused.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(info(app, "echo").connections()).isEqualTo(1);
        assertThat(admitted.channel().isActive()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServersConnectionLimitChangesLiveKeepingItsSocketAndConnections(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint server = app.open(EndpointSpec.tcpServer("echo", 0).withMaxConnections(2), new EchoChannelSetup());
        Channel listening = server.channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Collector firstReplies = new Collector();
        Endpoint first = app.open(EndpointSpec.tcpClient("first", "127.0.0.1", port), firstReplies);
        Endpoint second = app.open(EndpointSpec.tcpClient("second", "127.0.0.1", port), new Collector());
        await().until(() -> info(app, "echo").connections() == 2);

        server.limitConnections(1);

        Endpoint refused = app.open(EndpointSpec.tcpClient("third", "127.0.0.1", port), new Collector());
        assertThat(refused.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        first.channel().writeAndFlush(Unpooled.copiedBuffer("still served", UTF_8));
        assertThat(firstReplies.next()).asString(UTF_8).isEqualTo("still served");
        assertThat(second.channel().isActive()).isTrue();
        assertThat(server.spec().maxConnections()).isEqualTo(1);
        assertThat(server.channel()).isSameAs(listening);
        assertThat(listening.isActive()).isTrue();

        server.limitConnections(3);
        Collector fourthReplies = new Collector();
        Endpoint fourth = app.open(EndpointSpec.tcpClient("fourth", "127.0.0.1", port), fourthReplies);
        fourth.channel().writeAndFlush(Unpooled.copiedBuffer("admitted", UTF_8));
        assertThat(fourthReplies.next()).asString(UTF_8).isEqualTo("admitted");
        assertThat(info(app, "echo").connections()).isEqualTo(3);
        assertThatThrownBy(() -> server.limitConnections(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections must be positive");
        assertThatThrownBy(() -> first.limitConnections(5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only a server has a connection limit");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void newSettingsWithAnotherLimitMakeTheNextRefusalAWarningAgain(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        EndpointSpec spec = EndpointSpec.tcpServer("echo", 0).withMaxConnections(1);
        NetEndpoint server = (NetEndpoint) app.open(spec, new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        app.open(EndpointSpec.tcpClient("first", "127.0.0.1", port), new Collector());
        await().until(() -> info(app, "echo").connections() == 1);
        Endpoint refused = app.open(EndpointSpec.tcpClient("second", "127.0.0.1", port), new Collector());
        assertThat(refused.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        verify(log, timeout(5_000)).warn(contains("refused the connection"), any(), any(), any());

        // Same socket, a new limit and nothing else: the endpoint is updated in place.
        server.update(spec.withMaxConnections(2), new EchoChannelSetup(), server.pipeline().label().get());
        app.open(EndpointSpec.tcpClient("third", "127.0.0.1", port), new Collector());
        await().until(() -> info(app, "echo").connections() == 2);
        Endpoint refusedAgain = app.open(EndpointSpec.tcpClient("fourth", "127.0.0.1", port), new Collector());

        assertThat(refusedAgain.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        verify(log, timeout(5_000).times(2)).warn(contains("refused the connection"), any(), any(), any());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOversizedFrameClosesOnlyItsConnection(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint server = app.open(EndpointSpec.tcpServer("echo", 0).withMaxFrameBytes(64), new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Endpoint bad = app.open(EndpointSpec.tcpClient("bad", "127.0.0.1", port), new Collector());
        Collector goodReplies = new Collector();
        Endpoint good = app.open(EndpointSpec.tcpClient("good", "127.0.0.1", port), goodReplies);

        bad.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[1000]));

        assertThat(bad.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        good.channel().writeAndFlush(Unpooled.copiedBuffer("still here", UTF_8));
        assertThat(goodReplies.next()).asString(UTF_8).isEqualTo("still here");
        EndpointInfo info = info(app, "echo");
        assertThat(info.errors()).isEqualTo(1);
        assertThat(info.lastError()).contains("maxFrameBytes=64");
        assertThat(info.state()).isEqualTo("OPEN");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFrameCutShortByThePeersCloseIsCountedAndNamesThePeer(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint server = app.open(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        String peer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            peer = "127.0.0.1:" + socket.getLocalPort();
            socket.getOutputStream().write(new byte[] {0, 0, 0, 5, 'h', 'e'});
            // Read by the server before the close: else the close may come with the bytes, in one read.
            await().atMost(5, TimeUnit.SECONDS).until(() -> info(app, "echo").bytesIn() == 6);
        }

        String reason = "truncated frame: the connection closed after 2 of its 5 bytes";
        await().atMost(5, TimeUnit.SECONDS).until(() -> info(app, "echo").errors() == 1);
        assertThat(info(app, "echo").lastError()).isEqualTo(reason);
        assertThat(LoggedLines.of(log, "warn"))
                .contains("endpoint 'echo' of com.example.app: closing the connection from " + peer + ": " + reason);
    }

    /** The connection's remote address is gone once it closed: the server is named as it was connected to. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFrameCutShortByTheServersCloseNamesTheServer(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
            app.open(EndpointSpec.tcpClient("up", "127.0.0.1", port), new Collector());
            try (Socket accepted = server.accept()) {
                accepted.getOutputStream().write(new byte[] {0, 0, 0, 5, 'h'});
                await().atMost(5, TimeUnit.SECONDS).until(() -> info(app, "up").bytesIn() == 5);
            }
        }

        await().atMost(5, TimeUnit.SECONDS).until(() -> info(app, "up").errors() >= 1);
        assertThat(LoggedLines.of(log, "warn")).contains("endpoint 'up' of com.example.app: closing the connection"
                + " from 127.0.0.1:" + port
                + ": truncated frame: the connection closed after 1 of its 5 bytes");
    }

    /**
     * A Unix-socket client has no address of its own: lines named it "an unnamed local peer", whichever socket
     * and process it was. It is named by the socket, and where the transport can ask the kernel, its process.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aUnixSocketPeerIsNamedByItsSocketAndItsProcess(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        app.open(EndpointSpec.udsServer("echo-uds", "sockets/echo.sock"), new EchoChannelSetup());
        Path socket = dataDir.resolve("sockets/echo.sock");
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            client.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 5, 'h', 'e'}));
            await().atMost(5, TimeUnit.SECONDS).until(() -> info(app, "echo-uds").bytesIn() == 6);
        }

        String process = "pid " + ProcessHandle.current().pid() + ", uid " + Files.getAttribute(socket, "unix:uid");
        String peer = transport == Transport.EPOLL ? "a local peer (" + process + ") on " + socket
                : "a local peer on " + socket;
        await().atMost(5, TimeUnit.SECONDS).until(() -> info(app, "echo-uds").errors() == 1);
        assertThat(LoggedLines.of(log, "warn")).contains("endpoint 'echo-uds' of com.example.app: closing the"
                + " connection from " + peer + ": truncated frame: the connection closed after 2 of its 5 bytes");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void endpointsCloseWhenTheirOwnerReleasesTheService(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        BundleNetworkService other = start(transport, "com.example.other", 11);
        Endpoint server = app.open(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());
        Endpoint kept = other.open(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        app.deactivate();

        assertThat(server.channel().isOpen()).isFalse();
        // NIO releases a closed listener's socket at the loop's next select, so refusal can lag a little.
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class));
        assertThat(other.endpoints()).extracting(EndpointInfo::owner).containsExactly("com.example.other");
        assertThat(kept.channel().isActive()).isTrue();
        assertThatThrownBy(() -> app.open(EndpointSpec.tcpServer("again", 0), new EchoChannelSetup()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was released");
    }

    @Test
    void aBindFailureNamesTheEndpointAndTheAddress() throws Exception {
        BundleNetworkService app = start(Transport.NIO, "com.example.app", 10);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EndpointSpec spec = EndpointSpec.tcpServer("echo", taken.getLocalPort());
            assertThatThrownBy(() -> app.open(spec, new EchoChannelSetup()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("endpoint 'echo' of com.example.app")
                    .hasMessageContaining("cannot bind 127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(app.endpoints()).isEmpty();
    }

    @Test
    void aSetupThatFailsIsTheReasonASocketOrClientCannotOpen() throws Exception {
        BundleNetworkService app = start(Transport.NIO, "com.example.app", 10);
        ChannelSetup failing = (ch, spec) -> {
            throw new IllegalStateException("no codec for " + spec.name());
        };
        Endpoint server = app.open(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());
        int port = ((InetSocketAddress) server.localAddress()).getPort();

        assertThatThrownBy(() -> app.open(EndpointSpec.udp("feed", 0), failing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("endpoint 'feed' of com.example.app: cannot bind 127.0.0.1:0")
                .hasMessageContaining("handler setup failed: java.lang.IllegalStateException: no codec for feed");
        assertThatThrownBy(() -> app.open(EndpointSpec.tcpClient("client", "127.0.0.1", port), failing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("endpoint 'client' of com.example.app: cannot connect to 127.0.0.1:" + port)
                .hasMessageContaining("handler setup failed: java.lang.IllegalStateException: no codec for client");

        app.open(EndpointSpec.tcpClient("uplink", "127.0.0.1", port).withReconnect(new Reconnect(10, 50)), failing);
        await().untilAsserted(() -> assertThat(info(app, "uplink").lastError())
                .contains("cannot connect to 127.0.0.1:" + port)
                .contains("handler setup failed: java.lang.IllegalStateException: no codec for uplink"));
    }

    @Test
    void badArgumentsAreRejected() {
        BundleNetworkService app = start(Transport.NIO, "com.example.app", 10);
        app.open(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup());

        assertThatThrownBy(() -> app.open(null, new EchoChannelSetup())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> app.open(EndpointSpec.tcpServer("x", 0), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> app.open(EndpointSpec.tcpServer("echo", 0), new EchoChannelSetup()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bundle com.example.app already has an endpoint named 'echo'");
        assertThatThrownBy(() -> app.open(EndpointSpec.tcpServer("big", 0).withMaxFrameBytes((64 << 20) + 1),
                new EchoChannelSetup()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 MiB");
        assertThatThrownBy(() -> EndpointSpec.tcpServer("odd", 0).withFraming(Framing.LENGTH_FIELD, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lengthFieldBytes");
        assertThatThrownBy(() -> app.open(EndpointSpec.tcpClient("nobody", "127.0.0.1", freePort()), new Collector()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot connect to 127.0.0.1:");
        assertThat(app.endpoints()).extracting(EndpointInfo::name).containsExactly("echo");
    }

    /** A bind given a host it could not look up failed with an UnresolvedAddressException, which has no message. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServerOrUdpSocketWhoseHostCannotBeLookedUpIsRefusedNamingIt(Transport transport) {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        EndpointSpec server = EndpointSpec.tcpServer("api", 0);
        EndpointSpec udp = EndpointSpec.udp("feed", 0);

        for (EndpointSpec spec : List.of(server, udp)) {
            EndpointSpec unknown = new EndpointSpec(spec.name(), spec.transport(), "no-such-host.invalid", 0, null,
                    spec.framing(), 4, spec.maxFrameBytes(), spec.maxConnections());
            assertThatThrownBy(() -> app.open(unknown, new EchoChannelSetup()))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("endpoint '" + spec.name() + "' of com.example.app: cannot bind no-such-host.invalid:0:"
                            + " its host cannot be looked up");
        }
        assertThat(app.endpoints()).isEmpty();
    }

    /** The JDK takes one byte less than the kernel: a client on NIO would try such a path for ever. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPathOfTheKernelsMostBytesServesOnEpollAndIsRefusedAtOpenOnNio(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        String path = DomainSocketFilesTest.pathOfBytes(dataDir, 107);

        if (transport == Transport.NIO) {
            assertThatThrownBy(() -> SocketChannel.open(UnixDomainSocketAddress.of(path)))
                    .as("the JDK itself").hasMessage("Unix domain path too long");
            assertThatThrownBy(() -> app.open(EndpointSpec.udsClient("uplink", path)
                    .withReconnect(new Reconnect(10, 50)), new Collector()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("endpoint uplink: path " + path + " is 107 bytes long; a Unix socket's path can have"
                            + " at most 106 on the NIO transport (the JDK's limit)");
            return;
        }
        app.open(EndpointSpec.udsServer("echo-uds", path), new EchoChannelSetup());
        Collector replies = new Collector();
        Endpoint client = app.open(EndpointSpec.udsClient("client-uds", path), replies);
        client.channel().writeAndFlush(Unpooled.copiedBuffer("107 bytes", UTF_8));
        assertThat(replies.next()).asString(UTF_8).isEqualTo("107 bytes");
    }

    @Test
    void aUnixSocketPathThatCanNeverBeUsedIsRefusedAtOpenAlsoForAClientThatKeepsConnecting() throws IOException {
        BundleNetworkService app = start(Transport.NIO, "com.example.app", 10);
        String tooLong = DomainSocketFilesTest.pathOfBytes(dataDir, 120);
        String refusal = "endpoint uplink: path " + tooLong + " is 120 bytes long; a Unix socket's path can have at"
                + " most 106 on the NIO transport (the JDK's limit)";
        Path shared = Files.createDirectory(dataDir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        String tooLongToBeBoundInAPrivateFolder = DomainSocketFilesTest.pathOfBytes(shared, 100);

        assertThatThrownBy(() -> app.open(EndpointSpec.udsClient("uplink", tooLong).withReconnect(new Reconnect(10, 50)),
                new Collector())).isInstanceOf(IllegalArgumentException.class).hasMessage(refusal);
        assertThatThrownBy(() -> app.open(EndpointSpec.udsClient("uplink", tooLong), new Collector()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(refusal);
        assertThatThrownBy(() -> app.open(EndpointSpec.udsServer("echo-uds", tooLongToBeBoundInAPrivateFolder),
                new EchoChannelSetup()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("endpoint echo-uds: path " + tooLongToBeBoundInAPrivateFolder + " is 100 bytes"
                        + " long; a Unix socket's path can have at most 106 on the NIO transport (the JDK's limit), and a server's at most 94 in "
                        + shared);
        assertThatThrownBy(() -> EndpointSpec.udsClient("uplink", "echo\0.sock").withReconnect(Reconnect.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint uplink: path contains a NUL character (at index 4), which a Unix socket's path"
                        + " cannot have");
        assertThat(app.endpoints()).isEmpty();
        assertThat(shared).as("no private folder made").isEmptyDirectory();
    }

    @Test
    void endpointsListsEveryBundlesEndpoints() {
        BundleNetworkService app = start(Transport.NIO, "com.example.app", 10);
        BundleNetworkService other = start(Transport.NIO, "com.example.other", 11);
        app.open(EndpointSpec.tcpServer("b", 0), new EchoChannelSetup());
        other.open(EndpointSpec.udp("a", 0), new EchoChannelSetup());

        assertThat(app.endpoints()).extracting(EndpointInfo::owner, EndpointInfo::name)
                .containsExactly(tuple("com.example.app", "b"),
                        tuple("com.example.other", "a"));
        assertThat(other.endpoints()).hasSize(2);
    }

    private Bundle bundle(long id) {
        Bundle bundle = mock(Bundle.class);
        when(bundle.getBundleId()).thenReturn(id);
        return bundle;
    }

    private static EndpointInfo info(BundleNetworkService service, String name) {
        return service.endpoints().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * A server closed by a handler of one of its own connections, on that connection's loop: close() must not
     * wait there for the connections to close (they close on the loops, this one among them), which held the
     * loop, and every connection on it, for the whole wait, or failed with a BlockingOperationException.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServerClosedFromOneOfItsConnectionsLoopsClosesAtOnce(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint[] self = new Endpoint[1];
        List<Channel> accepted = new CopyOnWriteArrayList<>();
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        ChannelSetup closesItsEndpoint = (channel, spec) -> {
            accepted.add(channel);
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                    long start = System.nanoTime();
                    try {
                        self[0].close();
                        outcomes.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    } catch (RuntimeException e) {
                        outcomes.add(e);
                    }
                }
            });
        };
        self[0] = app.open(EndpointSpec.tcpServer("closing", 0), closesItsEndpoint);
        int port = ((InetSocketAddress) self[0].localAddress()).getPort();
        // The group has two loops: of two connections, one is on a loop other than the server's.
        try (Socket first = new Socket("127.0.0.1", port); Socket second = new Socket("127.0.0.1", port)) {
            await().until(() -> accepted.size() == 2);
            Channel elsewhere = accepted.stream()
                    .filter(child -> child.eventLoop() != self[0].channel().eventLoop()).findFirst().orElseThrow();
            int elsewherePort = ((InetSocketAddress) elsewhere.remoteAddress()).getPort();
            Socket sender = first.getLocalPort() == elsewherePort ? first : second;

            sender.getOutputStream().write(new byte[] {0, 0, 0, 1, 'q'});

            await().atMost(2, TimeUnit.SECONDS).until(() -> !outcomes.isEmpty());
            assertThat(outcomes).singleElement().isInstanceOfSatisfying(Long.class,
                    millis -> assertThat(millis).isLessThan(1000));
            await().atMost(2, TimeUnit.SECONDS).until(() -> accepted.stream().noneMatch(Channel::isOpen)
                    && !self[0].channel().isOpen());
            assertThat(app.endpoints()).extracting(EndpointInfo::name).doesNotContain("closing");
        }
    }

    /**
     * open() waits for the bind or connect, which runs on the io loops: on one of them (in a handler) the wait
     * held that loop, and when the new channel was given that very loop Netty refused it and the channel was
     * left open. Refused at once, naming the endpoint; a client that connects in the background may still open.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anEndpointIsNotOpenedWaitingOnAnEventLoop(Transport transport) throws Exception {
        BundleNetworkService app = start(transport, "com.example.app", 10);
        Endpoint back = app.open(EndpointSpec.tcpServer("back", 0), new EchoChannelSetup());
        int backPort = ((InetSocketAddress) back.localAddress()).getPort();
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        ChannelSetup opensOnRead = (channel, spec) -> channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                for (EndpointSpec opening : List.of(EndpointSpec.tcpClient("to-back", "127.0.0.1", backPort),
                        EndpointSpec.tcpServer("another", 0),
                        EndpointSpec.tcpClient("to-back-later", "127.0.0.1", backPort).withReconnect(new Reconnect(10, 50)))) {
                    try {
                        outcomes.add(app.open(opening, new Collector()));
                    } catch (RuntimeException e) {
                        outcomes.add(e);
                    }
                }
            }
        });
        Endpoint front = app.open(EndpointSpec.tcpServer("front", 0), opensOnRead);

        try (Socket socket = new Socket("127.0.0.1", ((InetSocketAddress) front.localAddress()).getPort())) {
            socket.getOutputStream().write(new byte[] {0, 0, 0, 1, 'x'});
            await().until(() -> outcomes.size() == 3);
        }

        assertThat(outcomes.get(0)).isInstanceOfSatisfying(IllegalStateException.class, e -> assertThat(e)
                .hasMessageStartingWith("endpoint 'to-back' of com.example.app: cannot be opened on an event loop")
                .hasMessageContaining("EndpointSpec.withReconnect"));
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(IllegalStateException.class, e -> assertThat(e)
                .hasMessageStartingWith("endpoint 'another' of com.example.app: cannot be opened on an event loop"));
        assertThat(outcomes.get(2)).isInstanceOf(Endpoint.class);
        await().until(() -> info(app, "to-back-later").state().equals("OPEN"));
        assertThat(app.endpoints()).extracting(EndpointInfo::name)
                .containsExactlyInAnyOrder("back", "front", "to-back-later");
    }

    /** A port for an endpoint that binds it later: see {@link TestPorts}. */
    static int freePort() {
        return TestPorts.free();
    }
}
