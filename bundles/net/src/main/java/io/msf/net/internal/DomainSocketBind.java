package io.msf.net.internal;

import io.msf.files.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Where a Unix-socket server binds, so that nobody else can connect before its file is owner-only.
 *
 * <p>The bind makes the socket file with the process umask, and only then can it be given 0600. In
 * a folder only its owner may enter (the data folder, a folder msf made) nobody else can reach the
 * file meanwhile, and the socket is bound where it belongs. In a folder group or others may enter,
 * it is bound in a new owner-only folder next to it, made 0600 there, and only then linked under its
 * name; the private folder is removed. A hard link rather than a rename: a rename would replace a
 * socket another server bound at that path in the meantime, where the link fails, so that server is
 * refused as the bind itself would have refused it. (Whoever may write in the folder could replace
 * the socket at any time anyway; the private folder keeps out those who may only enter it.)
 *
 * <p>A server whose channel removes the file at the path it bound when it closes (NIO's, see {@link
 * ChannelTypes}) is bound in a private folder wherever its path leaves room for one, so that what the
 * channel removes is that first path, long gone, and never the socket under its name, which may be
 * another process's by then. The socket under its name is removed only while it is still the file this
 * bind published ({@link #fileKey}).
 */
final class DomainSocketBind implements AutoCloseable {

    /** Names the private folder; short, as the whole path of a socket must fit in 107 bytes. */
    private static final String FOLDER_PREFIX = ".msf-";
    private static final String NAME_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int NAME_LENGTH = 6;
    /** How much longer the path bound in the private folder is: its name and a slash. */
    static final int PRIVATE_FOLDER_BYTES = FOLDER_PREFIX.length() + NAME_LENGTH + 1;
    private static final int NAME_TRIES = 16;

    private final String endpoint;
    private final Path socket;
    /** The private folder, or null when the socket is bound in place. */
    private final Path folder;
    private final Path bound;
    private final Consumer<Path> whenBound;
    /** The published socket file's identity (device and inode), once published. */
    private Object fileKey;

    private DomainSocketBind(String endpoint, Path socket, Path folder, Consumer<Path> whenBound) {
        this.endpoint = endpoint;
        this.socket = socket;
        this.folder = folder;
        this.bound = folder == null ? socket : folder.resolve(socket.getFileName());
        this.whenBound = whenBound;
    }

    /**
     * @param socket the socket's path; its folder exists
     * @param whenBound run right after the bind with the path bound, before the socket is published
     * @param aside whether to bind in a private folder also in an owner-only folder, if the path leaves room
     * @param maxPathBytes the most bytes a socket's path may have with the transport in use
     * @throws IOException naming the endpoint, if the private folder cannot be made
     */
    static DomainSocketBind of(String endpoint, Path socket, Consumer<Path> whenBound, boolean aside,
            int maxPathBytes) throws IOException {
        Path parent = socket.getParent();
        boolean roomAside = socket.toString().getBytes(StandardCharsets.UTF_8).length + PRIVATE_FOLDER_BYTES
                <= maxPathBytes;
        if (!inPrivateFolder(parent) && !(aside && roomAside)) {
            return new DomainSocketBind(endpoint, socket, null, whenBound);
        }
        return new DomainSocketBind(endpoint, socket, privateFolder(endpoint, parent), whenBound);
    }

    /**
     * Whether a socket in {@code parent}, a folder that exists, is bound in a private folder first:
     * group or others may enter it.
     */
    static boolean inPrivateFolder(Path parent) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(parent, PosixFileAttributeView.class);
        // Without POSIX permissions the socket cannot be made owner-only at all: publish() says so.
        return view != null && !OwnerOnly.isOwnerOnly(view.readAttributes().permissions());
    }

    private static Path privateFolder(String endpoint, Path parent) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; ; tries++) {
            StringBuilder name = new StringBuilder(FOLDER_PREFIX);
            for (int i = 0; i < NAME_LENGTH; i++) {
                name.append(NAME_LETTERS.charAt(random.nextInt(NAME_LETTERS.length())));
            }
            Path folder = parent.resolve(name.toString());
            try {
                // Made rwx------ by mkdir itself: never open to others, not even for a moment.
                OwnerOnly.createDirectory(folder);
                return folder;
            } catch (FileAlreadyExistsException taken) {
                if (tries == NAME_TRIES) {
                    throw new IOException(endpoint + ": cannot make a private folder to bind in, in " + parent
                            + ": " + NAME_TRIES + " names were taken", taken);
                }
            } catch (IOException e) {
                throw new IOException(endpoint + ": cannot make a private folder to bind in, in " + parent + ": " + e,
                        e);
            }
        }
    }

    /**
     * The published socket file's identity, to tell it from a file another process put under its name
     * later ({@link DomainSocketFiles#removeIfSame}); null before {@link #publish} or where files have none.
     */
    Object fileKey() {
        return fileKey;
    }

    /** Where to bind: the socket's path, or the same name in the private folder. */
    Path path() {
        return bound;
    }

    /**
     * Makes the bound socket owner-only (0600) and, if it was bound in the private folder, links it
     * under its name. On failure, a socket file this made under that name is removed.
     *
     * @throws IOException naming the endpoint and the socket
     */
    void publish() throws IOException {
        whenBound.accept(bound);
        try {
            DomainSocketFiles.restrictToOwner(bound);
        } catch (IOException | UnsupportedOperationException e) {
            DomainSocketFiles.remove(bound);
            throw new IOException(endpoint + ": cannot make " + socket + " owner-only (0600): " + e, e);
        }
        if (folder == null) {
            fileKey = DomainSocketFiles.fileKey(socket);
            return;
        }
        try {
            Files.createLink(socket, bound);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(endpoint + ": address in use: " + socket + " was made by another process while "
                    + "this endpoint was binding; not replacing it", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException(endpoint + ": cannot link the socket bound in " + folder + " to " + socket + ": "
                    + e, e);
        }
        // Taken from the name bound, which only this process can reach: the link under its name may be replaced already.
        fileKey = DomainSocketFiles.fileKey(bound);
        try {
            Files.delete(bound);
        } catch (IOException e) {
            DomainSocketFiles.remove(socket);
            throw new IOException(endpoint + ": cannot remove the socket bound in " + folder + ": " + e, e);
        }
    }

    /**
     * Removes the private folder and what is left in it; call it once the channel bound there is
     * open or closed, not while it may still bind.
     */
    @Override
    public void close() {
        if (folder == null) {
            return;
        }
        try {
            Files.deleteIfExists(bound);
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // Only this process may write in the folder: there is nothing else to try.
        }
    }
}
