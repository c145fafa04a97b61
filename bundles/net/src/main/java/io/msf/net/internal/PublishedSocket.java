package io.msf.net.internal;

import io.msf.files.SocketFileType;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Unix-socket server's file under its name, with a second name for the same socket beside it (the
 * keeper, {@code .<name>.msf-keep-<pid>}), so that the name can be given back when it is deleted
 * while the server listens: by a clean-up script, a slip of rm. A listening socket whose name is
 * gone works on, but nobody can connect to it any more; linked again under its name, it is the
 * same socket, with the same connections, and only the attempts made meanwhile were refused.
 *
 * <p>The keeper is a hard link, in the socket's own folder (a hard link cannot leave its file
 * system): the socket file is owner-only (0600) already, under either name. One left by a process
 * that ended without closing (kill -9) is removed at the next bind of that name ({@link
 * #removeLeftKeepers}).
 */
final class PublishedSocket {

    private static final String KEEPER_INFIX = ".msf-keep-";

    private final Path socket;
    /** The socket file's identity (device and inode) at publication; null where files have none. */
    private final Object fileKey;
    /** The second name, or null when none could be made: the socket then cannot be linked again. */
    private final Path keeper;

    private PublishedSocket(Path socket, Object fileKey, Path keeper) {
        this.socket = socket;
        this.fileKey = fileKey;
        this.keeper = keeper;
    }

    /** What {@link #look} found under the socket's name. */
    enum Name {
        /** the published socket */
        IN_PLACE,
        /** nothing: deleted while the server listened */
        MISSING,
        /** another file, another process's perhaps: not this endpoint's to remove or replace */
        REPLACED,
        /** the socket's folder is gone, or the name cannot be read: nothing to do there */
        UNKNOWN
    }

    /**
     * The socket published at {@code socket}, with a keeper linked to {@code source}, the same file
     * under a name only this process can have changed (the socket itself when bound in place).
     * Without file identities, or where no hard link can be made, it has no keeper: it serves the same,
     * and a deleted name stays deleted.
     */
    static PublishedSocket keep(Path socket, Path source, Object fileKey) {
        if (fileKey == null) {
            return new PublishedSocket(socket, null, null);
        }
        Path keeper = keeperOf(socket, ProcessHandle.current().pid());
        try {
            // One of this process's, left by an endpoint at this path that could not remove it: long closed.
            Files.deleteIfExists(keeper);
            Files.createLink(keeper, source);
            if (!fileKey.equals(DomainSocketFiles.fileKey(keeper))) {
                Files.deleteIfExists(keeper);
                keeper = null;
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            keeper = null;
        }
        return new PublishedSocket(socket, fileKey, keeper);
    }

    private static Path keeperOf(Path socket, long pid) {
        return socket.resolveSibling("." + socket.getFileName() + KEEPER_INFIX + pid);
    }

    Path socket() {
        return socket;
    }

    /** The second name of the socket, null without one. */
    Path keeper() {
        return keeper;
    }

    Name look() {
        if (!Files.isDirectory(socket.getParent())) {
            return Name.UNKNOWN;
        }
        try {
            return Objects.equals(DomainSocketFiles.fileKey(socket), fileKey) ? Name.IN_PLACE : Name.REPLACED;
        } catch (NoSuchFileException gone) {
            return Name.MISSING;
        } catch (IOException e) {
            return Name.UNKNOWN;
        }
    }

    /**
     * Links the socket under its name again, from the keeper, if the name is still free and the keeper
     * still this socket.
     *
     * @return whether it did
     */
    boolean linkAgain() {
        if (keeper == null) {
            return false;
        }
        try {
            if (!fileKey.equals(DomainSocketFiles.fileKey(keeper))) {
                return false;
            }
            Files.createLink(socket, keeper);
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false; // someone made a file there meanwhile: it stays
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** Removes the socket under both names, where each still is this socket. */
    void remove() {
        DomainSocketFiles.removeIfSame(socket, fileKey);
        if (keeper != null) {
            DomainSocketFiles.removeIfSame(keeper, fileKey);
        }
    }

    /**
     * Removes the keepers of {@code socket} that processes which have ended left behind; those of a
     * process still running are its own.
     */
    static void removeLeftKeepers(Path socket) {
        Path folder = socket.getParent();
        String prefix = "." + socket.getFileName() + KEEPER_INFIX;
        // A filter, not a glob: the socket's name may hold the glob's own characters ([, {, *).
        try (DirectoryStream<Path> keepers = Files.newDirectoryStream(folder,
                file -> file.getFileName().toString().startsWith(prefix))) {
            for (Path keeper : keepers) {
                long pid = pidOf(keeper.getFileName().toString().substring(prefix.length()));
                if (pid > 0 && !isRunning(pid) && SocketFileType.isSocket(keeper)) {
                    Files.deleteIfExists(keeper);
                }
            }
        } catch (IOException | SecurityException e) {
            // Left: looked at again at the next bind; a keeper of an ended process holds nothing but its name.
        }
    }

    private static long pidOf(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRunning(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
