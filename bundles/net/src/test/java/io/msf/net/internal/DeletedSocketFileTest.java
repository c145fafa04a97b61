package io.msf.net.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import io.msf.event.api.Transport;
import io.msf.files.DataFolder;
import io.msf.net.api.EndpointSpec;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.osgi.service.log.Logger;

/**
 * A Unix-socket server's file deleted while it listens (a clean-up script, a slip of rm) is linked
 * under its name again from its second name, the same socket with its connections; a file that took
 * the name is left alone; second names left by ended processes go at the next bind.
 */
class DeletedSocketFileTest {

    private static final String LABEL = "endpoint 'echo-uds' of com.example.app";
    /** How often the servers look at their file's name: a tenth of the container's, the same code. */
    private static final long WATCH_MILLIS = SocketNameWatch.PERIOD_MILLIS / 10;
    /** Two looks a period apart, with room for a loaded machine. */
    private static final Duration RELINKED_WITHIN = Duration.ofMillis(20 * WATCH_MILLIS);
    /** Time for the watch to have looked several times, when what is tested is that it did nothing. */
    private static final long LOOKS_MILLIS = 4 * WATCH_MILLIS;

    @TempDir
    Path dataDir;

    private final Logger log = mock(Logger.class);
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
    void aDeletedSocketFileIsLinkedAgainAndItsConnectionsStay(Transport transport) throws Exception {
        Path socket = dataDir.resolve("echo.sock");
        EndpointOpener opener = opener(transport);
        NetEndpoint server = open(opener, socket);
        Object published = DomainSocketFiles.fileKey(socket);
        Path keeper = dataDir.resolve(".echo.sock.msf-keep-" + ProcessHandle.current().pid());
        assertThat(DomainSocketFiles.fileKey(keeper)).as("a second name of the same socket").isEqualTo(published);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keeper, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        Collector before = new Collector();
        NetEndpoint connected = connect(opener, socket, before);

        Files.delete(socket);
        await().atMost(RELINKED_WITHIN).until(() -> Files.exists(socket, LinkOption.NOFOLLOW_LINKS));

        assertThat(DomainSocketFiles.fileKey(socket)).as("the same socket").isEqualTo(published);
        verify(log).warn(contains("{}: its socket file {} was deleted while the endpoint listened; linked it there"
                + " again"), eq(LABEL), eq(socket.toString()));
        connected.channel().writeAndFlush(Unpooled.copiedBuffer("connected before", UTF_8));
        assertThat(before.next()).asString(UTF_8).isEqualTo("connected before");
        Collector after = new Collector();
        connect(opener, socket, after).channel().writeAndFlush(Unpooled.copiedBuffer("connected after", UTF_8));
        assertThat(after.next()).asString(UTF_8).isEqualTo("connected after");

        server.close();

        try (var listing = Files.list(dataDir)) {
            assertThat(listing).as("neither name left").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFileThatTookTheNameIsLeftAloneAndToldOnce(Transport transport) throws Exception {
        Path socket = dataDir.resolve("echo.sock");
        NetEndpoint server = open(opener(transport), socket);
        Files.delete(socket);
        ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        toClose.add(other);
        other.bind(UnixDomainSocketAddress.of(socket));

        verify(log, timeout(RELINKED_WITHIN.toMillis())).warn(contains("{}: {} is another file now"), eq(LABEL),
                eq(socket.toString()));
        TimeUnit.MILLISECONDS.sleep(LOOKS_MILLIS);
        verify(log).warn(contains("is another file now"), any(), any());
        server.close();

        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                SocketChannel accepted = other.accept()) {
            assertThat(accepted).as("the other server still has the path").isNotNull();
        }
    }

    @Test
    void secondNamesLeftByEndedProcessesGoAtTheNextBindAndThoseOfRunningOnesStay() throws Exception {
        Path socket = dataDir.resolve("echo.sock");
        long ended = endedProcess();
        Path leftByEnded = deadSocket(dataDir.resolve(".echo.sock.msf-keep-" + ended));
        long running = ProcessHandle.current().parent().orElseThrow().pid();
        Path ofRunning = deadSocket(dataDir.resolve(".echo.sock.msf-keep-" + running));
        Path otherSocketsKeeper = deadSocket(dataDir.resolve(".other.sock.msf-keep-" + ended));

        open(opener(Transport.EPOLL), socket);

        assertThat(leftByEnded).doesNotExist();
        assertThat(ofRunning).exists();
        assertThat(otherSocketsKeeper).as("another socket's, removed at its own bind").exists();
    }

    @Test
    void aSocketNameWithAGlobsCharactersHasItsLeftSecondNamesRemovedAndIsServed() throws Exception {
        Path socket = dataDir.resolve("echo{[*.sock");
        Path leftByEnded = deadSocket(dataDir.resolve(".echo{[*.sock.msf-keep-" + endedProcess()));

        NetEndpoint server = open(opener(Transport.EPOLL), socket);

        assertThat(leftByEnded).doesNotExist();
        assertThat(server.info().state()).isEqualTo("OPEN");
    }

    @Test
    void aFolderRemovedWithItsSocketIsLeftGone() throws Exception {
        Path folder = Files.createDirectory(dataDir.resolve("sockets"));
        Path socket = folder.resolve("echo.sock");
        NetEndpoint server = open(opener(Transport.EPOLL), socket);

        try (var listing = Files.list(folder)) {
            for (Path file : (Iterable<Path>) listing::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
        TimeUnit.MILLISECONDS.sleep(LOOKS_MILLIS);

        assertThat(folder).doesNotExist();
        assertThat(server.info().state()).isEqualTo("OPEN");
    }

    /** The pid of a process that has ended. */
    private static long endedProcess() throws IOException, InterruptedException {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        return ended.pid();
    }

    /** A socket file nobody listens on: bound, linked under {@code name}, and closed. */
    private Path deadSocket(Path name) throws IOException {
        Path bound = dataDir.resolve("bound.sock");
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(UnixDomainSocketAddress.of(bound));
            Files.createLink(name, bound);
        }
        Files.deleteIfExists(bound);
        return name;
    }

    private NetEndpoint open(EndpointOpener opener, Path socket) {
        NetEndpoint server = opener.open(EndpointSpec.udsServer("echo-uds", socket.toString()), new EchoChannelSetup(),
                closed -> { });
        toClose.add(server);
        return server;
    }

    private NetEndpoint connect(EndpointOpener opener, Path socket, Collector replies) {
        NetEndpoint client = opener.open(EndpointSpec.udsClient("client-uds", socket.toString()), replies,
                closed -> { });
        toClose.add(client);
        return client;
    }

    private EndpointOpener opener(Transport transport) {
        loops = TestLoops.of(transport);
        DomainSocketFiles files = new DomainSocketFiles(DataFolder.of(Map.of("msf.data", dataDir.toString())::get),
                bound -> { }, ChannelTypes.of(transport).maxPathBytes);
        return new EndpointOpener("com.example.app", "", loops, ByteBufAllocator.DEFAULT, files,
                InputShutdownCloser.STALL_MILLIS, WATCH_MILLIS, log);
    }
}
