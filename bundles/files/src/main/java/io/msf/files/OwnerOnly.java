package io.msf.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** Folders and files only their owner may use: rwx------ and rw-------. */
public final class OwnerOnly {

    public static final Set<PosixFilePermission> FOLDER =
            Collections.unmodifiableSet(PosixFilePermissions.fromString("rwx------"));
    public static final Set<PosixFilePermission> FILE =
            Collections.unmodifiableSet(PosixFilePermissions.fromString("rw-------"));

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnly() {
    }

    /** Whether the permissions give group and others nothing. */
    public static boolean isOwnerOnly(Set<PosixFilePermission> permissions) {
        return permissions.stream().noneMatch(GROUP_OR_OTHERS::contains);
    }

    /** Whether the file system of the path has POSIX owners and permissions. */
    public static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates the folder and its missing parents owner-only. The folder itself is then set to
     * exactly rwx------: the umask may have taken away more than group and others. On a file
     * system without POSIX permissions they are created as they are.
     */
    public static void createDirectories(Path folder) throws IOException {
        if (!isPosix(folder)) {
            Files.createDirectories(folder);
            return;
        }
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER));
        Files.setPosixFilePermissions(folder, FOLDER);
    }

    /**
     * Creates the folder alone, exactly rwx------, in a parent that must exist.
     *
     * @throws java.nio.file.FileAlreadyExistsException if anything is there, a link included
     */
    public static void createDirectory(Path folder) throws IOException {
        if (!isPosix(folder)) {
            Files.createDirectory(folder);
            return;
        }
        Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(FOLDER));
        Files.setPosixFilePermissions(folder, FOLDER);
    }
}
