package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.event.api.Transport;
import io.msf.files.DataFolder;
import io.msf.net.api.EndpointSpec;
import io.msf.net.api.Framing;
import io.msf.net.api.NetTransport;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

class DomainSocketFilesTest {

    private static final String ENDPOINT = "endpoint 'x' of test";

    @TempDir
    Path dataDir;

    @Test
    void aStaleSocketFileIsRemovedBeforeBind() throws Exception {
        DomainSocketFiles files = files();
        Path socket = files.resolve(ENDPOINT, "stale.sock");
        // A JDK server leaves its socket file behind when it closes, like a process that died.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();

        files.prepareForBind(ENDPOINT, socket);

        assertThat(socket).doesNotExist();
    }

    @Test
    void aLiveSocketIsAnAddressInUse() throws Exception {
        DomainSocketFiles files = files();
        Path socket = files.resolve(ENDPOINT, "live.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));

            assertThatThrownBy(() -> files.prepareForBind(ENDPOINT, socket))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage(ENDPOINT + ": address in use: a server already listens on " + socket);
            assertThat(socket).exists();
        }
    }

    @Test
    void aLiveSocketWhoseBacklogIsFullIsRefusedWithoutWaitingForRoom() throws Exception {
        DomainSocketFiles files = files();
        Path socket = files.resolve(ENDPOINT, "busy.sock");
        List<SocketChannel> waiting = new ArrayList<>();
        try (ServerSocketChannel busy = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            busy.bind(UnixDomainSocketAddress.of(socket), 1);
            // A server that does not accept: its backlog fills, and a blocking connect would wait for room.
            for (boolean room = true; room && waiting.size() < 64; ) {
                SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
                client.configureBlocking(false);
                waiting.add(client);
                try {
                    room = client.connect(UnixDomainSocketAddress.of(socket));
                } catch (SocketException full) {
                    room = false;
                }
            }

            // Refused, and the file left alone, whether the probe could tell that the server listens or not.
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThatThrownBy(
                    () -> files.prepareForBind(ENDPOINT, socket))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageStartingWith(ENDPOINT + ": ")
                    .hasMessageContaining(socket.toString()));
            assertThat(socket).exists();
        } finally {
            for (SocketChannel client : waiting) {
                client.close();
            }
        }
    }

    @Test
    void aLiveSocketThatRefusesTheProbeForAnotherReasonIsNeitherRemovedNorTaken() throws Exception {
        // A datagram socket, such as the system log's /dev/log: a stream cannot connect to it, and it is live.
        Epoll.ensureAvailability();
        DomainSocketFiles files = files();
        Path socket = files.resolve(ENDPOINT, "log.sock");
        io.netty.channel.unix.Socket datagrams = io.netty.channel.unix.Socket.newSocketDomainDgram();
        try {
            datagrams.bind(new DomainSocketAddress(socket.toFile()));

            assertThatThrownBy(() -> files.prepareForBind(ENDPOINT, socket))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage(ENDPOINT + ": cannot tell whether a server listens on " + socket
                            + " (Protocol wrong type for socket); not removing it");
            assertThat(socket).exists();
        } finally {
            datagrams.close();
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAlone() throws Exception {
        DomainSocketFiles files = files();
        Path notSocket = Files.writeString(files.resolve(ENDPOINT, "notes.txt"), "keep me");

        assertThatThrownBy(() -> files.prepareForBind(ENDPOINT, notSocket))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("exists and is not a socket");
        assertThat(notSocket).hasContent("keep me");
    }

    @Test
    void aFifoThatRefusesConnectionsAsAStaleSocketWouldIsLeftAlone() throws Exception {
        DomainSocketFiles files = files();
        Path fifo = files.resolve(ENDPOINT, "pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        assertThatThrownBy(() -> files.prepareForBind(ENDPOINT, fifo))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage(ENDPOINT + ": " + fifo + " exists and is not a socket; not removing it");
        int fileType = (Integer) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
        assertThat(fileType).as("still the FIFO (S_IFIFO), not a socket bound in its place").isEqualTo(0010000);
    }

    @Test
    void missingDirectoriesAreCreatedOwnerOnly() {
        DomainSocketFiles files = files();
        Path socket = files.resolve(ENDPOINT, "run/msf/app.sock");

        files.prepareForBind(ENDPOINT, socket);

        assertThat(PosixFilePermissions.toString(getPermissions(dataDir.resolve("run")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(getPermissions(dataDir.resolve("run/msf")))).isEqualTo("rwx------");
    }

    @Test
    void relativePathsAreInTheDataDirAndAbsoluteOnesStay() {
        DomainSocketFiles files = files();

        assertThat(files.resolve(ENDPOINT, "echo.sock")).isEqualTo(dataDir.resolve("echo.sock").toAbsolutePath());
        assertThat(files.resolve(ENDPOINT, "/run/../run/app.sock")).isEqualTo(Paths.get("/run/app.sock"));
    }

    @Test
    void theDataDirComesFromMsfDataOrIsTheDefaultFolderOfTheUserInTheTemporaryFolder() {
        BundleContext configured = mock(BundleContext.class);
        when(configured.getProperty("msf.data")).thenReturn(dataDir.resolve("data").toString());
        BundleContext unset = mock(BundleContext.class);
        when(unset.getProperty("java.io.tmpdir")).thenReturn(dataDir.toString());
        when(unset.getProperty("user.name")).thenReturn("tester");

        assertThat(DomainSocketFiles.forContext(configured, Transport.EPOLL).resolve(ENDPOINT, "a.sock"))
                .isEqualTo(dataDir.resolve("data/a.sock"));
        assertThat(DomainSocketFiles.forContext(unset, Transport.EPOLL).resolve(ENDPOINT, "a.sock"))
                .isEqualTo(dataDir.resolve("msf-data-tester/a.sock"));
    }

    @Test
    void aSocketInARefusedDefaultFolderIsNotResolvedAndTheEndpointIsNamed() throws IOException {
        Path link = Files.createSymbolicLink(dataDir.resolve("msf-data-tester"), Files.createDirectory(
                dataDir.resolve("theirs")));
        BundleContext unset = mock(BundleContext.class);
        when(unset.getProperty("java.io.tmpdir")).thenReturn(dataDir.toString());
        when(unset.getProperty("user.name")).thenReturn("tester");

        assertThatThrownBy(() -> DomainSocketFiles.forContext(unset, Transport.EPOLL).resolve(ENDPOINT, "a.sock"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith(ENDPOINT + ": data folder " + link + " refused: it is a symbolic link");
    }

    @Test
    void aPathLongerThanAUnixSocketsMayBeIsRefusedForEveryUnixTransportCountingBytes() {
        DomainSocketFiles files = files();
        String fits = pathOfBytes(dataDir, 107);
        // Each é is two bytes: 108 bytes in fewer characters.
        String tooLong = dataDir + "/" + "é".repeat(10) + "x".repeat(108 - dataDir.toString().length() - 1 - 20 - 5)
                + ".sock";

        for (NetTransport transport : List.of(NetTransport.UDS_CLIENT, NetTransport.UDS_SERVER)) {
            files.checkPath(spec(transport, fits));
            assertThatThrownBy(() -> files.checkPath(spec(transport, tooLong)))
                    .as("%s", transport)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("endpoint x: path " + tooLong + " is 108 bytes long; a Unix socket's path can have"
                            + " at most 107");
        }
        files.checkPath(EndpointSpec.tcpClient("x", "127.0.0.1", 7000));
    }

    @Test
    void aRelativePathIsMeasuredInTheDataFolderWhichIsNotMade() {
        Path data = dataDir.resolve("data");
        DomainSocketFiles files = new DomainSocketFiles(DataFolder.of(Map.of("msf.data", data.toString())::get));
        String name = "x".repeat(120) + ".sock";

        assertThatThrownBy(() -> files.checkPath(spec(NetTransport.UDS_CLIENT, name)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint x: path " + name + " (in the data folder: " + data.resolve(name) + ") is "
                        + (data.toString().length() + 1 + name.length()) + " bytes long; a Unix socket's path can"
                        + " have at most 107");
        assertThat(data).doesNotExist();
    }

    @Test
    void aServersPathInAFolderOthersMayEnterMustBeTwelveBytesShorter() throws IOException {
        DomainSocketFiles files = files();
        Path shared = Files.createDirectory(dataDir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        String fits = pathOfBytes(shared, 95);
        String tooLong = pathOfBytes(shared, 96);

        files.checkPath(spec(NetTransport.UDS_SERVER, fits));
        files.checkPath(spec(NetTransport.UDS_CLIENT, tooLong));
        files.checkPath(spec(NetTransport.UDS_SERVER, pathOfBytes(dataDir, 107)));
        assertThatThrownBy(() -> files.checkPath(spec(NetTransport.UDS_SERVER, tooLong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint x: path " + tooLong + " is 96 bytes long; a Unix socket's path can have at most"
                        + " 107, and a server's at most 95 in " + shared + ": group or others may enter it, so the"
                        + " socket is bound first in an owner-only folder there (.msf- and six letters), 12 bytes"
                        + " longer");
        assertThat(shared).isEmptyDirectory();
    }

    /** A socket path in {@code folder} (of ASCII characters) that is {@code bytes} long. */
    static String pathOfBytes(Path folder, int bytes) {
        String path = folder + "/" + "x".repeat(bytes - folder.toString().length() - 1 - 5) + ".sock";
        assertThat(path).hasSize(bytes);
        return path;
    }

    private static EndpointSpec spec(NetTransport transport, String path) {
        return new EndpointSpec("x", transport, null, 0, path, Framing.LENGTH_FIELD, 4,
                EndpointSpec.DEFAULT_MAX_FRAME_BYTES, 1);
    }

    private DomainSocketFiles files() {
        return new DomainSocketFiles(DataFolder.of(Map.of("msf.data", dataDir.toString())::get));
    }

    private static Set<PosixFilePermission> getPermissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
