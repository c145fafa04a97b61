package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.msf.files.DataFolder;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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

        assertThat(DomainSocketFiles.forContext(configured).resolve(ENDPOINT, "a.sock"))
                .isEqualTo(dataDir.resolve("data/a.sock"));
        assertThat(DomainSocketFiles.forContext(unset).resolve(ENDPOINT, "a.sock"))
                .isEqualTo(dataDir.resolve("msf-data-tester/a.sock"));
    }

    @Test
    void aSocketInARefusedDefaultFolderIsNotResolvedAndTheEndpointIsNamed() throws IOException {
        Path link = Files.createSymbolicLink(dataDir.resolve("msf-data-tester"), Files.createDirectory(
                dataDir.resolve("theirs")));
        BundleContext unset = mock(BundleContext.class);
        when(unset.getProperty("java.io.tmpdir")).thenReturn(dataDir.toString());
        when(unset.getProperty("user.name")).thenReturn("tester");

        assertThatThrownBy(() -> DomainSocketFiles.forContext(unset).resolve(ENDPOINT, "a.sock"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith(ENDPOINT + ": data folder " + link + " refused: it is a symbolic link");
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
