package io.msf.shell.internal.console;

import io.msf.files.OwnerOnly;
import io.msf.files.SocketFileType;
import io.msf.text.ControlCharacters;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Objects;
import java.util.Set;
import org.osgi.service.log.Logger;

/**
 * The file-system side of an owner-only Unix socket.
 *
 * <p>Binding creates the socket file with the process umask and only then can its mode be set
 * to 0600. Other users are kept out during that moment by the directory: connecting needs
 * search permission on it, so the socket goes only into a directory that is owner-only before
 * the bind.
 */
final class SocketFiles {

    private SocketFiles() {
    }

    /**
     * A path, or a failure quoting one, as a log line shows it: its control characters, a line feed too,
     * escaped ({@link ControlCharacters#escapedOnOneLine}). The socket's path is configured, and
     * {@code socket = a\nb.sock} started a line of its own that read as the container's, as the network
     * service's lines did before they were escaped alike.
     */
    static String shown(Object pathOrFailure) {
        return ControlCharacters.escapedOnOneLine(String.valueOf(pathOrFailure));
    }

    /**
     * Makes sure no other user can reach the socket's directory. The data directory is the
     * container's own: created or narrowed to 0700. A directory the socket was configured into
     * elsewhere is created 0700 if missing, but an existing one is not changed behind its
     * owner's back: if it lets others in, the console refuses to start.
     */
    static void secureDirectory(Path socket, Path dataDir, Logger log) throws IOException {
        Path directory = socket.getParent();
        if (socket.startsWith(dataDir)) {
            ownerOnlyDirectory(dataDir, true, log);
            if (!Files.isDirectory(directory)) {
                OwnerOnly.createDirectories(directory);
            }
            return;
        }
        ownerOnlyDirectory(directory, false, log);
    }

    /** The container's data directory, created or narrowed to 0700, as for a socket in it. */
    static void ownerOnlyDataDirectory(Path dataDir, Logger log) throws IOException {
        ownerOnlyDirectory(dataDir, true, log);
    }

    private static void ownerOnlyDirectory(Path directory, boolean mayNarrow, Logger log) throws IOException {
        if (!Files.exists(directory)) {
            OwnerOnly.createDirectories(directory);
            return;
        }
        if (!Files.isDirectory(directory)) {
            throw new IOException(directory + " is not a directory");
        }
        Set<PosixFilePermission> permissions = view(directory).readAttributes().permissions();
        if (OwnerOnly.isOwnerOnly(permissions)) {
            return;
        }
        if (!mayNarrow) {
            throw new IOException("directory " + directory + " of the console socket is "
                    + PosixFilePermissions.toString(permissions) + "; it must be owner-only (rwx------) so that "
                    + "no other user can connect: chmod 700 it, or set msf.console socket to a path in msf.data");
        }
        log.warn("data directory {} was {}; narrowing it to rwx------ (owner-only)", shown(directory),
                PosixFilePermissions.toString(permissions));
        setPermissions(directory, OwnerOnly.FOLDER);
    }

    /**
     * Removes a socket file left by a container that did not stop cleanly. Refuses to touch a
     * file that is not a socket, or a socket some process still listens on.
     */
    static void removeStale(Path socket, Logger log) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!SocketFileType.isSocket(socket)) {
            throw new IOException(socket + " exists and is not a socket; not removing it (msf.console socket)");
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            throw new IOException("console socket " + socket + " is in use: another container (or process) "
                    + "listens on it; is one already running with the same msf.data?");
        } catch (ConnectException refused) {
            log.info("removing stale console socket {} (nothing listens on it)", shown(socket));
            Files.delete(socket);
        }
    }

    /**
     * What tells this file (the socket, msf.sock.path) from another put at the same path later (inode and
     * device), not following a link.
     */
    static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /**
     * Removes the socket file our bind created, known by its {@link #fileKey}; a file another
     * process has put at that path is left alone. Never throws: a failure is logged.
     */
    static void removeOwn(Path socket, Object fileKey, Logger log) {
        try {
            if (Objects.equals(fileKey(socket), fileKey)) {
                Files.delete(socket);
            } else {
                log.warn("console socket {} was replaced by another process; leaving it", shown(socket));
            }
        } catch (NoSuchFileException gone) {
            log.debug("console socket {} was already removed", shown(socket));
        } catch (IOException e) {
            log.warn("could not remove console socket {}: {}", shown(socket), shown(e));
        }
    }

    static void ownerOnlySocket(Path socket) throws IOException {
        setPermissions(socket, OwnerOnly.FILE);
    }

    /**
     * Refuses a socket in a directory that belongs to another user (the data directory and those
     * between it and the socket, or the one directory of a socket configured elsewhere). Its mode
     * says nothing about that user: the owner of a directory may always change its mode, and may
     * remove the socket and bind one of its own in its place, to read the commands that bin/msf
     * sends (tokens and passwords in {@code msf:param} among them) and to answer them. Checked
     * against the socket just bound, which is ours whatever our user is called (a container may
     * run under a uid without a name); nobody is served before this check.
     */
    static void requireOwnDirectories(Path socket, Path dataDir) throws IOException {
        UserPrincipal us = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
        for (Path directory = socket.getParent(); directory != null; directory = directory.getParent()) {
            UserPrincipal owner = Files.getOwner(directory);
            if (!owner.equals(us)) {
                throw new IOException("directory " + directory + " of the console socket belongs to user "
                        + owner.getName() + ", not to " + us.getName() + " who runs the container: that user "
                        + "could put a socket of its own in place of the console's; chown it to " + us.getName()
                        + ", or set msf.console socket to a path in a directory of " + us.getName() + "'s own");
            }
            if (!socket.startsWith(dataDir) || directory.equals(dataDir)) {
                return;
            }
        }
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        view(path).setPermissions(permissions);
    }

    private static PosixFileAttributeView view(Path path) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (view == null) {
            throw new IOException(path + " is on a file system without POSIX permissions: the console socket "
                    + "cannot be made owner-only there");
        }
        return view;
    }
}
