package io.msf.net.internal;

import io.msf.event.api.Transport;
import io.msf.files.DataFolder;
import io.msf.files.OwnerOnly;
import io.msf.files.SocketFileType;
import io.msf.net.api.EndpointSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;

/**
 * The files behind Unix-domain-socket servers: where they live, who may use them, and what is left
 * over from a process that died without removing its socket.
 */
final class DomainSocketFiles {

    /** The most bytes a Unix socket's path may have on Linux: sun_path's 108, less the closing NUL. */
    static final int MAX_PATH_BYTES = 107;

    private final DataFolder dataFolder;
    private final Consumer<Path> whenBound;
    /** The most bytes a socket's path may have with the transport in use ({@link ChannelTypes#maxPathBytes}). */
    private final int maxPathBytes;

    DomainSocketFiles(DataFolder dataFolder) {
        this(dataFolder, bound -> { });
    }

    /** @param whenBound run right after each bind with the path bound: tests look at the file there */
    DomainSocketFiles(DataFolder dataFolder, Consumer<Path> whenBound) {
        this(dataFolder, whenBound, MAX_PATH_BYTES);
    }

    DomainSocketFiles(DataFolder dataFolder, Consumer<Path> whenBound, int maxPathBytes) {
        this.dataFolder = dataFolder;
        this.whenBound = whenBound;
        this.maxPathBytes = maxPathBytes;
    }

    /** The data folder of the framework properties ({@link DataFolder}), for sockets of {@code transport}. */
    static DomainSocketFiles forContext(BundleContext context, Transport transport) {
        return new DomainSocketFiles(DataFolder.of(context::getProperty), bound -> { },
                ChannelTypes.of(transport).maxPathBytes);
    }

    /**
     * A relative path names a socket in the data folder, an absolute one is used as it is. A socket
     * in the data folder is served or called only once the folder is prepared: in a default folder
     * another user made, that user could take the socket, or answer in its place.
     *
     * @throws UncheckedIOException naming the endpoint, if the data folder is refused or cannot be made
     */
    Path resolve(String endpoint, String path) {
        Path given = Path.of(path);
        if (given.isAbsolute()) {
            return given.normalize();
        }
        try {
            return dataFolder.prepare().resolve(given).normalize();
        } catch (IOException e) {
            throw new UncheckedIOException(endpoint + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a socket path that can never be bound or connected to: once resolved, it has more bytes
     * (UTF-8) than a Unix socket's path may have, {@value #MAX_PATH_BYTES} on Linux (the kernel's 108
     * less the closing NUL) and one less on the NIO transport (the JDK's limit); a server's path in a
     * folder group or others may enter has 12 fewer ({@link DomainSocketBind#PRIVATE_FOLDER_BYTES}), as
     * it is bound first in a private folder there. Checked before anything is opened: a client that
     * keeps connecting would otherwise try such a path for ever. Nothing is created.
     *
     * @throws IllegalArgumentException naming the endpoint, the path, its length and the limit
     */
    void checkPath(EndpointSpec spec) {
        if (!spec.transport().isDomainSocket()) {
            return;
        }
        Path given = Path.of(spec.path());
        Path socket = given.isAbsolute() ? given.normalize() : dataFolder.path().resolve(given).normalize();
        int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
        String problem = "endpoint " + spec.name() + ": path " + spec.path()
                + (given.isAbsolute() ? "" : " (in the data folder: " + socket + ")") + " is " + bytes
                + " bytes long; a Unix socket's path can have at most " + maxPathBytes
                + (maxPathBytes < MAX_PATH_BYTES ? " on the NIO transport (the JDK's limit)" : "");
        if (bytes > maxPathBytes) {
            throw new IllegalArgumentException(problem);
        }
        int inPrivateFolder = maxPathBytes - DomainSocketBind.PRIVATE_FOLDER_BYTES;
        if (spec.transport().isServer() && bytes > inPrivateFolder && inPrivateFolder(socket.getParent())) {
            throw new IllegalArgumentException(problem + ", and a server's at most " + inPrivateFolder + " in "
                    + socket.getParent() + ": group or others may enter it, so the socket is bound first in an"
                    + " owner-only folder there (.msf- and six letters), " + DomainSocketBind.PRIVATE_FOLDER_BYTES
                    + " bytes longer");
        }
    }

    /** Whether a server's socket in {@code folder} is bound in a private folder; not in one yet to be made. */
    private static boolean inPrivateFolder(Path folder) {
        try {
            return Files.isDirectory(folder) && DomainSocketBind.inPrivateFolder(folder);
        } catch (IOException e) {
            // Cannot be told now: the bind tells, naming the path bound.
            return false;
        }
    }

    /**
     * Makes the socket's directory (owner only when created) and clears a stale socket file, one that
     * nothing listens on any more, and the second names of the socket that ended processes left ({@link
     * PublishedSocket}).
     *
     * @throws UncheckedIOException if a live server already listens there, or the path is not a socket
     */
    void prepareForBind(String endpoint, Path socket) {
        try {
            Path parent = socket.getParent();
            if (!Files.isDirectory(parent)) {
                makeFolder(endpoint, parent, socket);
            }
            PublishedSocket.removeLeftKeepers(socket);
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (!SocketFileType.isSocket(socket)) {
                throw new IOException(endpoint + ": " + socket + " exists and is not a socket; not removing it");
            }
            if (isLive(endpoint, socket)) {
                throw new IOException(endpoint + ": address in use: a server already listens on " + socket);
            }
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Makes the socket's folder; its failure says which folder, for which socket, and why, not only the path. */
    private static void makeFolder(String endpoint, Path folder, Path socket) throws IOException {
        try {
            OwnerOnly.createDirectories(folder);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(endpoint + ": cannot make the folder " + folder + " for the socket " + socket + ": "
                    + e.getFile() + " is in the way and is not a folder", e);
        } catch (IOException e) {
            throw new IOException(endpoint + ": cannot make the folder " + folder + " for the socket " + socket + ": "
                    + e, e);
        }
    }

    /**
     * Prepares the bind of a server's socket ({@link #prepareForBind}) and says where to bind it, so
     * that only the owner can connect from the first moment ({@link DomainSocketBind}).
     *
     * @param aside whether to bind in a private folder wherever the path leaves room (a channel that
     *     removes the path it bound when it closes, see {@link ChannelTypes})
     *
     * @throws UncheckedIOException naming the endpoint, as prepareForBind, or if no private folder can be made
     */
    DomainSocketBind bind(String endpoint, Path socket, boolean aside) {
        prepareForBind(endpoint, socket);
        try {
            return DomainSocketBind.of(endpoint, socket, whenBound, aside, maxPathBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Only the owner may connect: the socket file gets 0600 before anyone else can reach it. */
    static void restrictToOwner(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, OwnerOnly.FILE);
    }

    /** The identity (device and inode) of the file at {@code path}, not following a link; null if it has none. */
    static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /**
     * Removes the socket file a server published, if it is still that file: once it was removed, another
     * process may have bound its own socket under the same name, which is not ours to remove.
     *
     * @param fileKey the file's identity at publication ({@link DomainSocketBind#fileKey}); null: not removed
     */
    static void removeIfSame(Path socket, Object fileKey) {
        try {
            if (fileKey != null && fileKey.equals(fileKey(socket))) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException e) {
            // Gone already, or left behind: a file of ours left is cleared as stale at the next bind.
        }
    }

    static void remove(Path socket) {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // Left behind, it is cleared as stale at the next bind.
        }
    }

    /**
     * Whether a server listens on the socket. Only a refused connection makes it stale: a probe that
     * fails otherwise (another user's socket, a datagram socket such as /dev/log, a server whose
     * backlog is full) may face a live one, which must be neither removed nor taken over.
     *
     * @throws IOException naming the endpoint and the socket if that cannot be told
     */
    private static boolean isLive(String endpoint, Path socket) throws IOException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            // Not blocking: a connect to a live server whose backlog is full waits for room, for ever.
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException e) {
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            throw new IOException(endpoint + ": cannot tell whether a server listens on " + socket + " ("
                    + e.getMessage() + "); not removing it", e);
        }
    }
}
