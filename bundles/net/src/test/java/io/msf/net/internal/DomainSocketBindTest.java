package io.msf.net.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.msf.event.api.Transport;
import io.msf.files.DataFolder;
import io.msf.net.api.Endpoint;
import io.msf.net.api.EndpointSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.osgi.service.log.Logger;

/**
 * A Unix-socket server in a folder other users may enter: nobody may find its socket under its name
 * before the file is owner-only, whatever the umask makes of it at the bind.
 */
class DomainSocketBindTest {

    private static final String LABEL = "endpoint 'echo-uds' of com.example.app";

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private TestLoops loops;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        if (loops != null) {
            loops.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void inAFolderOthersMayEnterTheSocketHasItsNameOnlyOnceItIsOwnerOnly(Transport transport) throws Exception {
        Path shared = sharedFolder();
        Path socket = shared.resolve("echo.sock");
        List<String> atBind = new ArrayList<>();
        EndpointOpener opener = opener(transport, bound -> {
            atBind.add(socket + (Files.exists(socket, LinkOption.NOFOLLOW_LINKS) ? " exists, " + mode(socket)
                    : " does not exist"));
            atBind.add("bound in " + mode(bound.getParent()) + " " + (bound.getParent().getParent().equals(shared)
                    ? "folder in the shared folder" : bound.getParent()));
        });

        List<Channel> accepted = new CopyOnWriteArrayList<>();
        NetEndpoint server = opener.open(EndpointSpec.udsServer("echo-uds", socket.toString()), (channel, spec) -> {
            accepted.add(channel);
            new EchoChannelSetup().initChannel(channel, spec);
        }, closed -> { });
        toClose.add(server);

        assertThat(atBind).containsExactly(socket + " does not exist", "bound in rwx------ folder in the shared folder");
        assertThat(mode(socket)).isEqualTo("rw-------");
        Path keeper = shared.resolve(".echo.sock.msf-keep-" + ProcessHandle.current().pid());
        try (var listing = Files.list(shared)) {
            assertThat(listing).as("next to the socket only its second name (DeletedSocketFileTest)")
                    .containsExactlyInAnyOrder(socket, keeper);
        }
        assertThat(mode(keeper)).isEqualTo("rw-------");
        assertThat(server.info().address()).isEqualTo(socket.toString());
        assertThat(server.localAddress()).isEqualTo(ChannelTypes.of(transport).domainAddress(socket));
        Collector replies = new Collector();
        NetEndpoint client = opener.open(EndpointSpec.udsClient("client-uds", socket.toString()), replies,
                closed -> { });
        toClose.add(client);
        client.channel().writeAndFlush(Unpooled.copiedBuffer("under its name", UTF_8));
        assertThat(replies.next()).asString(UTF_8).isEqualTo("under its name");
        assertThat(Endpoint.localAddressOf(accepted.get(0))).as("a connection names the socket under its name")
                .isEqualTo(server.localAddress());

        client.close();
        server.close();

        assertThat(shared).isEmptyDirectory();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aServerThatTakesThePathWhileTheEndpointBindsKeepsItAndNothingIsLeft(Transport transport) throws Exception {
        Path shared = sharedFolder();
        Path socket = shared.resolve("echo.sock");
        ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        toClose.add(other);
        EndpointOpener opener = opener(transport, bound -> {
            try {
                other.bind(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThatThrownBy(() -> opener.open(EndpointSpec.udsServer("echo-uds", socket.toString()),
                new EchoChannelSetup(), closed -> { }))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage(LABEL + ": address in use: " + socket + " was made by another process while this "
                        + "endpoint was binding; not replacing it");

        try (var listing = Files.list(shared)) {
            assertThat(listing).as("no private folder left").containsExactly(socket);
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                SocketChannel accepted = other.accept()) {
            assertThat(accepted).as("the other server still has the path").isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBindThatFailsInThePrivateFolderNamesTheSocketAndLeavesNothing(Transport transport) throws Exception {
        Path shared = sharedFolder();
        // Longer than a Unix socket's path may be (107 bytes).
        Path socket = shared.resolve("x".repeat(Math.max(1, 110 - shared.toString().length())) + ".sock");
        EndpointOpener opener = opener(transport, bound -> { });

        assertThatThrownBy(() -> opener.open(EndpointSpec.udsServer("echo-uds", socket.toString()),
                new EchoChannelSetup(), closed -> { }))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith(LABEL + ": cannot bind " + socket + ": ")
                .hasMessageMatching(".*\\(bound first as " + Pattern.quote(shared.toString()) + "/\\.msf-[a-z0-9]{6}/"
                        + Pattern.quote(socket.getFileName().toString()) + ", to be owner-only before it has its name\\)");

        assertThat(shared).isEmptyDirectory();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingLeavesAnotherProcesssSocketBoundAtThePathAfterOursWasRemoved(Transport transport) throws Exception {
        // The data folder is owner-only: the socket is bound where it belongs, or aside where Netty would remove it.
        Path socket = dataDir.resolve("echo.sock");
        EndpointOpener opener = opener(transport, bound -> { });
        NetEndpoint server = opener.open(EndpointSpec.udsServer("echo-uds", socket.toString()), new EchoChannelSetup(),
                closed -> { });
        toClose.add(server);
        // Someone removes our file and another server binds the path; the channel's own address, as a log
        // line naming the channel would read it, is known to it before it closes.
        server.channel().toString();
        Files.delete(socket);
        ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        toClose.add(other);
        other.bind(UnixDomainSocketAddress.of(socket));

        server.close();

        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).as("the other server's socket file").isTrue();
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                SocketChannel accepted = other.accept()) {
            assertThat(accepted).as("the other server still has the path").isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingRemovesTheSocketFileItPublished(Transport transport) throws Exception {
        Path socket = dataDir.resolve("echo.sock");
        NetEndpoint server = opener(transport, bound -> { }).open(EndpointSpec.udsServer("echo-uds",
                socket.toString()), new EchoChannelSetup(), closed -> { });
        toClose.add(server);

        server.close();

        try (var listing = Files.list(dataDir)) {
            assertThat(listing).as("neither the socket nor a private folder left").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPathWithNoRoomForAPrivateFolderIsStillBoundInAnOwnerOnlyFolder(Transport transport) throws Exception {
        // 106 bytes, the most the JDK takes (one less than the kernel): too long for a private folder, so NIO binds beside.
        Path socket = dataDir.resolve("x".repeat(106 - dataDir.toString().length() - 1));
        EndpointOpener opener = opener(transport, bound -> { });
        NetEndpoint server = opener.open(EndpointSpec.udsServer("echo-uds", socket.toString()),
                new EchoChannelSetup(), closed -> { });
        toClose.add(server);
        Collector replies = new Collector();
        NetEndpoint client = opener.open(EndpointSpec.udsClient("client-uds",
                socket.toString()), replies, closed -> { });
        toClose.add(client);

        client.channel().writeAndFlush(Unpooled.copiedBuffer("long path", UTF_8));

        assertThat(replies.next()).asString(UTF_8).isEqualTo("long path");
    }

    /**
     * A NIO server's channel removes the path it bound when it closes: one whose path is too long to bind in a
     * private folder is bound under another name beside it, so another process's socket, bound at the path
     * after ours was removed, stays.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingLeavesAnotherProcesssSocketAtAPathWithNoRoomForAPrivateFolder(Transport transport) throws Exception {
        Path socket = dataDir.resolve("x".repeat(106 - dataDir.toString().length() - 1));
        List<Path> bound = new ArrayList<>();
        NetEndpoint server = opener(transport, bound::add).open(EndpointSpec.udsServer("echo-uds", socket.toString()),
                new EchoChannelSetup(), closed -> { });
        toClose.add(server);
        server.channel().toString();
        Files.delete(socket);
        ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        toClose.add(other);
        other.bind(UnixDomainSocketAddress.of(socket));

        server.close();

        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).as("the other server's socket file").isTrue();
        try (var listing = Files.list(dataDir)) {
            assertThat(listing).as("nothing left beside it").containsExactly(socket);
        }
        if (transport == Transport.NIO) {
            assertThat(bound).singleElement().satisfies(path -> {
                assertThat(path.getParent()).isEqualTo(dataDir);
                assertThat(path.getFileName().toString()).matches("\\.msf-[a-z0-9]{1,6}|[a-z0-9]{1,5}");
            });
        } else {
            assertThat(bound).as("epoll binds in place: its channel never learns the path").containsExactly(socket);
        }
    }

    /** A folder every user may enter and write in, as a shared folder with umask 000 would be made. */
    private Path sharedFolder() throws IOException {
        Path shared = Files.createDirectory(dataDir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        return shared;
    }

    private EndpointOpener opener(Transport transport, Consumer<Path> whenBound) {
        loops = TestLoops.of(transport);
        DomainSocketFiles files = new DomainSocketFiles(DataFolder.of(Map.of("msf.data", dataDir.toString())::get),
                whenBound, ChannelTypes.of(transport).maxPathBytes);
        return new EndpointOpener("com.example.app", "", loops, ByteBufAllocator.DEFAULT, files, mock(Logger.class));
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
