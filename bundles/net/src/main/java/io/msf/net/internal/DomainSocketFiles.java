package io.msf.net.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.osgi.framework.BundleContext;

/**
 * The files behind Unix-domain-socket servers: where they live, who may use them, and what is left
 * over from a process that died without removing its socket.
 */
final class DomainSocketFiles {

    static final String DATA_PROPERTY = "msf.data";

    private final Path dataDir;

    DomainSocketFiles(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The data dir from the framework property {@code msf.data}, or a per-user one under java.io.tmpdir. */
    static DomainSocketFiles forContext(BundleContext context) {
        String configured = context.getProperty(DATA_PROPERTY);
        Path dir = configured != null && !configured.isBlank() ? Paths.get(configured)
                : Paths.get(System.getProperty("java.io.tmpdir"), "msf-data-" + System.getProperty("user.name"));
        return new DomainSocketFiles(dir);
    }

    /** A relative path names a socket in the data dir; an absolute one is used as it is. */
    Path resolve(String path) {
        return dataDir.resolve(path).toAbsolutePath().normalize();
    }

    /**
     * Makes the socket's directory (owner only when created) and clears a stale socket file, one that
     * nothing listens on any more.
     *
     * @throws UncheckedIOException if a live server already listens there, or the path is not a socket
     */
    void prepareForBind(String endpoint, Path socket) {
        try {
            Path parent = socket.getParent();
            if (!Files.isDirectory(parent)) {
                createOwnerOnlyDirectories(parent);
            }
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (!Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                throw new IOException(endpoint + ": " + socket + " exists and is not a socket; not removing it");
            }
            if (isLive(socket)) {
                throw new IOException(endpoint + ": address in use: a server already listens on " + socket);
            }
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Only the owner may connect: the socket file gets 0600 as soon as it is bound. */
    static void restrictToOwner(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    }

    static void remove(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // Left behind, it is cleared as stale at the next bind.
        }
    }

    private static boolean isLive(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException refused) {
            return false;
        }
    }

    private static void createOwnerOnlyDirectories(Path dir) throws IOException {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createOwnerOnlyDirectories(parent);
        }
        try {
            Files.createDirectory(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // Another endpoint created it at the same time.
        }
    }
}
