package io.msf.launcher;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data folder ({@code msf.data}): framework cache, {@code log/}, the shell's Unix socket and
 * the pid file. It is owner-only (0700) because the socket accepts commands that control the
 * container; permissions are tightened on every start in case the folder was created by hand or
 * unpacked with a loose umask.
 */
final class DataDirectory {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int STICKY = 01000;

    private DataDirectory() {
    }

    /**
     * Creates {@code data} and {@code data/log} if needed and makes both owner-only.
     *
     * @throws IOException if {@code data} is a folder shared with others, left as it is, or either folder
     *     cannot be made or made owner-only (the message names the folder and says why)
     */
    static void prepare(Path data) throws IOException {
        refuseShared(data);
        try {
            ownerOnly(data);
            ownerOnly(data.resolve("log"));
        } catch (FileSystemException e) {
            throw new IOException("data folder " + data + " (msf.data) cannot be prepared: " + why(e), e);
        }
    }

    /**
     * What went wrong, in words: NIO's message of a folder it could not create (a file in the way, a parent
     * the user may not write in) is the path alone, and the launcher said no more than {@code msf: cannot
     * start: /srv/msf/data}.
     */
    private static String why(FileSystemException e) {
        String file = e.getFile() != null ? e.getFile() : "";
        if (e instanceof FileAlreadyExistsException) {
            return file + " is in the way, and is no folder";
        }
        if (e instanceof AccessDeniedException) {
            return file + ": permission denied to user " + System.getProperty("user.name");
        }
        return e.getReason() != null ? file + ": " + e.getReason() : e.toString();
    }

    /**
     * Refuses a folder that others share (its sticky bit set, as /tmp's is) and the root folder: made
     * owner-only, it would be closed to every other user and program of the machine. bin/msf refuses
     * them too; this is for a launcher started without it ({@code java -Dmsf.data=/tmp ...}).
     */
    private static void refuseShared(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            return;
        }
        Path real = data.toRealPath();
        if (real.getParent() == null || isSticky(real)) {
            throw new IOException("data folder " + data + " (msf.data) is a folder shared with others"
                    + (real.getParent() == null ? " (the root folder)" : " (its sticky bit is set)")
                    + ", which msf would make owner-only: give it a folder of its own, such as "
                    + data.resolve("msf"));
        }
    }

    private static boolean isSticky(Path dir) throws IOException {
        try {
            return ((Integer) Files.getAttribute(dir, "unix:mode") & STICKY) != 0;
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return false;
        }
    }

    private static void ownerOnly(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }
}
