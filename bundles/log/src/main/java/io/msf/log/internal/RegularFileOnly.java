package io.msf.log.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The log is written only to a regular file, the path itself, never what a symbolic link leads to.
 * The sink makes its file owner-only (0600) and renames it at each rotation: done to a link's target
 * or to a device ({@code file = /dev/null}), as root especially, that changed a file msf does not
 * own, for everyone who uses it, and put the records where others may read them.
 */
final class RegularFileOnly {

    /** The file type bits of {@code unix:mode}, and the types java.nio calls "other". */
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;

    private RegularFileOnly() {
    }

    /**
     * Why the log may not be written at the path, as "is a ..." (a folder, a symbolic link, a device,
     * a fifo, a socket); empty if a regular file is there, or nothing. The path is not followed if it
     * is a link, so a link that leads nowhere is refused too.
     *
     * @throws IOException if the path cannot be looked at (a file where a folder of it belongs), other
     *                     than for nothing being there
     */
    static Optional<String> refusal(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return attributes.isRegularFile() ? Optional.empty() : Optional.of(refusal(path, attributes));
    }

    /**
     * Throws if the path holds anything but a regular file, before the sink changes, renames or opens it.
     *
     * @throws FileSystemException naming the path and what it is
     */
    static void require(Path path) throws IOException {
        Optional<String> refusal = refusal(path);
        if (refusal.isPresent()) {
            throw new FileSystemException(path.toString(), null, refusal.get());
        }
    }

    /**
     * The refusal of what the attributes, read without following a link, describe: for a file found
     * no regular one once it was opened.
     */
    static FileSystemException refused(Path path, BasicFileAttributes attributes) {
        return new FileSystemException(path.toString(), null, refusal(path, attributes));
    }

    private static String refusal(Path path, BasicFileAttributes attributes) {
        return attributes.isDirectory() ? "is a folder, not a file"
                : "is " + kind(path, attributes) + "; msf writes its log only to a regular file it owns";
    }

    private static String kind(Path path, BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            try {
                return "a symbolic link (to " + Files.readSymbolicLink(path) + ")";
            } catch (IOException e) {
                return "a symbolic link"; // replaced meanwhile: a link it was
            }
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return switch (mode & S_IFMT) {
                case S_IFCHR -> "a character device";
                case S_IFBLK -> "a block device";
                case S_IFIFO -> "a fifo (named pipe)";
                case S_IFSOCK -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return "a special file, not a regular one";
        }
    }
}
