package io.msf.shell.internal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

class SocketFilesTest {

    @TempDir
    Path temp;

    private final Logger log = mock(Logger.class);

    @Test
    void createsAMissingDataDirectoryOwnerOnly() throws IOException {
        Path dataDir = temp.resolve("a/data");

        SocketFiles.secureDirectory(dataDir.resolve("msf.sock"), dataDir, log);

        assertThat(permissions(dataDir)).isEqualTo("rwx------");
    }

    @Test
    void narrowsAnOpenDataDirectory() throws IOException {
        Path dataDir = Files.createDirectory(temp.resolve("data"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

        SocketFiles.secureDirectory(dataDir.resolve("msf.sock"), dataDir, log);

        assertThat(permissions(dataDir)).isEqualTo("rwx------");
    }

    @Test
    void createsASubdirectoryOfTheDataDirectoryOwnerOnly() throws IOException {
        Path dataDir = temp.resolve("data");

        SocketFiles.secureDirectory(dataDir.resolve("run/msf.sock"), dataDir, log);

        assertThat(permissions(dataDir)).isEqualTo("rwx------");
        assertThat(permissions(dataDir.resolve("run"))).isEqualTo("rwx------");
    }

    @Test
    void leavesAnOpenDirectoryOutsideTheDataDirectoryAloneAndRefusesIt() throws IOException {
        Path elsewhere = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> SocketFiles.secureDirectory(elsewhere.resolve("msf.sock"), temp.resolve("data"), log))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("directory " + elsewhere)
                .hasMessageContaining("rwxr-xr-x")
                .hasMessageContaining("must be owner-only");
        assertThat(permissions(elsewhere)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void acceptsAnOwnerOnlyDirectoryOutsideTheDataDirectory() throws IOException {
        Path elsewhere = Files.createDirectory(temp.resolve("private"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));

        SocketFiles.secureDirectory(elsewhere.resolve("msf.sock"), temp.resolve("data"), log);

        assertThat(temp.resolve("data")).as("data directory untouched").doesNotExist();
    }

    @Test
    void createsAMissingDirectoryOutsideTheDataDirectoryOwnerOnly() throws IOException {
        Path elsewhere = temp.resolve("new");

        SocketFiles.secureDirectory(elsewhere.resolve("msf.sock"), temp.resolve("data"), log);

        assertThat(permissions(elsewhere)).isEqualTo("rwx------");
    }

    @Test
    void removesAStaleSocket() throws IOException {
        Path socket = temp.resolve("msf.sock");
        ConsoleListenerTest.leaveStaleSocket(socket);

        SocketFiles.removeStale(socket, log);

        assertThat(socket).doesNotExist();
    }

    @Test
    void nothingToRemoveIsFine() throws IOException {
        SocketFiles.removeStale(temp.resolve("msf.sock"), log);
    }

    @Test
    void keepsASocketSomeoneListensOn() throws IOException {
        Path socket = temp.resolve("msf.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));

            assertThatThrownBy(() -> SocketFiles.removeStale(socket, log)).isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use").hasMessageContaining("same msf.data");
            assertThat(socket).exists();
        }
    }

    @Test
    void keepsAFileThatIsNotASocket() throws IOException {
        Path file = Files.writeString(temp.resolve("msf.sock"), "precious");

        assertThatThrownBy(() -> SocketFiles.removeStale(file, log)).isInstanceOf(IOException.class)
                .hasMessage(file + " exists and is not a socket; not removing it (msf.console socket)");
        assertThat(file).hasContent("precious");
    }

    @Test
    void keepsAFifoThatRefusesConnectionsAsAStaleSocketWould() throws Exception {
        Path fifo = temp.resolve("msf.sock");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        assertThatThrownBy(() -> SocketFiles.removeStale(fifo, log)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a socket");
        assertThat(fifo).exists();
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
