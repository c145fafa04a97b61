package io.msf.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Tells a Unix socket from the other files java.nio calls "other": a FIFO or a device is "other" too, and
 * connecting to one is refused as to a stale socket. Taken for one, it was deleted and a socket bound in its
 * place ({@code path = /dev/null}, as root). Used by every owner of a socket file that removes stale ones.
 */
public final class SocketFileType {

    /** The file-type bits of a Unix mode, and their value for a socket (stat(2)). */
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFileType() {
    }

    /** Whether the file is a socket, by its Unix file type, not following a link. */
    public static boolean isSocket(Path path) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & S_IFMT) == S_IFSOCK;
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            // Sockets are neither files, folders nor links: "other" to java.nio.
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        }
    }
}
