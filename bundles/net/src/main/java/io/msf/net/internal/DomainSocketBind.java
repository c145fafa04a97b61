package io.msf.net.internal;

import io.msf.files.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * another process's by then. A path too long for that, in an owner-only folder (where no private folder
 * is needed to keep others out), is bound under a short free name beside it instead, made owner-only and
 * linked under its own name as from the private folder: the channel then removes that other name, long
 * gone, too. The socket under its name is removed only while it is still the file this bind published
 * ({@link #published}).
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
    /** The private folder, or null when the socket is bound in place or beside. */
    private final Path folder;
    private final Path bound;
    private final Consumer<Path> whenBound;
    /** The socket under its name, once published. */
    private PublishedSocket published;

    /**
     * @param folder the private folder to bind in, or null
     * @param bound where to bind: the socket's path, its name in the private folder, or another name beside it
     */
    private DomainSocketBind(String endpoint, Path socket, Path folder, Path bound, Consumer<Path> whenBound) {
        this.endpoint = endpoint;
        this.socket = socket;
        this.folder = folder;
        this.bound = bound;
        this.whenBound = whenBound;
    }

    /**
     * @param socket the socket's path; its folder exists
     * @param whenBound run right after the bind with the path bound, before the socket is published
     * @param aside whether to bind elsewhere first also in an owner-only folder: in a private folder if the
     *     path leaves room, else under another name beside it
     * @param maxPathBytes the most bytes a socket's path may have with the transport in use
     * @throws IOException naming the endpoint, if the private folder cannot be made or no free name found
     */
    static DomainSocketBind of(String endpoint, Path socket, Consumer<Path> whenBound, boolean aside,
            int maxPathBytes) throws IOException {
        Path parent = socket.getParent();
        boolean roomAside = socket.toString().getBytes(StandardCharsets.UTF_8).length + PRIVATE_FOLDER_BYTES
                <= maxPathBytes;
        boolean othersMayEnter = inPrivateFolder(parent);
        if (!othersMayEnter && !aside) {
            return new DomainSocketBind(endpoint, socket, null, socket, whenBound);
        }
        if (!othersMayEnter && !roomAside) {
            return new DomainSocketBind(endpoint, socket, null, besides(endpoint, socket, maxPathBytes), whenBound);
        }
        Path folder = privateFolder(endpoint, parent);
        return new DomainSocketBind(endpoint, socket, folder, folder.resolve(socket.getFileName()), whenBound);
    }

    /**
     * A free name in the socket's folder, other than the socket's, whose whole path fits as the socket's
     * does. Random letters (after {@code .msf-} where there is room), so that nobody is likely to
     * make a file of that name before the channel that bound it closes and removes the name.
     */
    private static Path besides(String endpoint, Path socket, int maxPathBytes) throws IOException {
        Path parent = socket.getParent();
        int room = maxPathBytes - parent.toString().getBytes(StandardCharsets.UTF_8).length - 1;
        int length = Math.min(room, FOLDER_PREFIX.length() + NAME_LENGTH);
        String prefix = length > FOLDER_PREFIX.length() ? FOLDER_PREFIX : "";
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int tries = 0; tries < NAME_TRIES; tries++) {
            StringBuilder name = new StringBuilder(prefix);
            while (name.length() < length) {
                name.append(NAME_LETTERS.charAt(random.nextInt(NAME_LETTERS.length())));
            }
            Path aside = parent.resolve(name.toString());
            if (!aside.equals(socket) && !Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
                return aside;
            }
        }
        throw new IOException(endpoint + ": cannot find a free name of " + length + " bytes beside " + socket
                + " to bind at first: " + NAME_TRIES + " names were taken");
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
     * The socket under its name, with its identity to tell it from a file another process put there later
     * and a second name to link it again from ({@link PublishedSocket}); null before {@link #publish}.
     */
    PublishedSocket published() {
        return published;
    }

    /** Where to bind: the socket's path, the same name in the private folder, or another name beside it. */
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
        if (bound.equals(socket)) {
            published = PublishedSocket.keep(socket, socket, DomainSocketFiles.fileKey(socket));
            return;
        }
        try {
            Files.createLink(socket, bound);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(endpoint + ": address in use: " + socket + " was made by another process while "
                    + "this endpoint was binding; not replacing it", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException(endpoint + ": cannot link the socket bound as " + bound + " to " + socket + ": "
                    + e, e);
        }
        // Taken from the name bound, which only this process can reach: the link under its name may be replaced already.
        published = PublishedSocket.keep(socket, bound, DomainSocketFiles.fileKey(bound));
        try {
            Files.delete(bound);
        } catch (IOException e) {
            DomainSocketFiles.remove(socket);
            published.remove();
            throw new IOException(endpoint + ": cannot remove the socket bound as " + bound + ": " + e, e);
        }
    }

    /**
     * Removes the private folder and what is left in it, or what is left under the other name bound; call
     * it once the channel bound there is open or closed, not while it may still bind.
     */
    @Override
    public void close() {
        if (bound.equals(socket)) {
            return;
        }
        try {
            Files.deleteIfExists(bound);
            if (folder != null) {
                Files.deleteIfExists(folder);
            }
        } catch (IOException e) {
            // Only this process may write there: there is nothing else to try.
        }
    }
}
