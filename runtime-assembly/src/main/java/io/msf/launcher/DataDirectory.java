package io.msf.launcher;

import java.io.IOException;
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

    private DataDirectory() {
    }

    /** Creates {@code data} and {@code data/log} if needed and makes both owner-only. */
    static void prepare(Path data) throws IOException {
        ownerOnly(data);
        ownerOnly(data.resolve("log"));
    }

    private static void ownerOnly(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
    }
}
