package io.msf.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

class DomainSocketFilesTest {

    @TempDir
    Path dataDir;

    @Test
    void aStaleSocketFileIsRemovedBeforeBind() throws Exception {
        DomainSocketFiles files = new DomainSocketFiles(dataDir);
        Path socket = files.resolve("stale.sock");
        // A JDK server leaves its socket file behind when it closes, like a process that died.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();

        files.prepareForBind("endpoint 'x' of test", socket);

        assertThat(socket).doesNotExist();
    }

    @Test
    void aLiveSocketIsAnAddressInUse() throws Exception {
        DomainSocketFiles files = new DomainSocketFiles(dataDir);
        Path socket = files.resolve("live.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));

            assertThatThrownBy(() -> files.prepareForBind("endpoint 'x' of test", socket))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("endpoint 'x' of test: address in use: a server already listens on " + socket);
            assertThat(socket).exists();
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAlone() throws Exception {
        DomainSocketFiles files = new DomainSocketFiles(dataDir);
        Path notSocket = Files.writeString(files.resolve("notes.txt"), "keep me");

        assertThatThrownBy(() -> files.prepareForBind("endpoint 'x' of test", notSocket))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("exists and is not a socket");
        assertThat(notSocket).hasContent("keep me");
    }

    @Test
    void missingDirectoriesAreCreatedOwnerOnly() {
        DomainSocketFiles files = new DomainSocketFiles(dataDir);
        Path socket = files.resolve("run/msf/app.sock");

        files.prepareForBind("endpoint 'x' of test", socket);

        assertThat(PosixFilePermissions.toString(getPermissions(dataDir.resolve("run")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(getPermissions(dataDir.resolve("run/msf")))).isEqualTo("rwx------");
    }

    @Test
    void relativePathsAreInTheDataDirAndAbsoluteOnesStay() {
        DomainSocketFiles files = new DomainSocketFiles(dataDir);

        assertThat(files.resolve("echo.sock")).isEqualTo(dataDir.resolve("echo.sock").toAbsolutePath());
        assertThat(files.resolve("/run/app.sock")).isEqualTo(Paths.get("/run/app.sock"));
    }

    @Test
    void theDataDirComesFromMsfDataOrATemporaryFolder() {
        BundleContext configured = mock(BundleContext.class);
        when(configured.getProperty("msf.data")).thenReturn("/srv/msf/data");
        BundleContext unset = mock(BundleContext.class);

        assertThat(DomainSocketFiles.forContext(configured).resolve("a.sock"))
                .isEqualTo(Paths.get("/srv/msf/data/a.sock"));
        assertThat(DomainSocketFiles.forContext(unset).resolve("a.sock")).isEqualTo(Paths.get(
                System.getProperty("java.io.tmpdir"), "msf-data-" + System.getProperty("user.name"), "a.sock"));
    }

    private static Set<PosixFilePermission> getPermissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
