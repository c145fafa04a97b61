package io.msf.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.function.Function;

/**
 * The container's data folder: the framework property {@value #PROPERTY}, or, when it is unset (a
 * framework launched by tests, by an embedder or by hand), {@code ${java.io.tmpdir}/msf-data-${user.name}}.
 *
 * <p>That default is a name anyone can predict in a folder every user may write in: another local
 * user could make it first, or put a symbolic link there, and then read the logs, plant files the
 * deployer and the supervisor read, or take the sockets. So {@link #prepare} creates it owner-only
 * (rwx------), and takes one that is already there only if it is a real folder (not a link), owned by
 * the user running this JVM, writable by it and closed to group and others. Anything else is
 * refused, with a message naming the folder, what was found and what to do. A folder of our own that
 * is open to others is refused too rather than narrowed: what others put in it while it was open
 * would stay.
 *
 * <p>A configured {@value #PROPERTY} is created owner-only when missing and otherwise taken as it
 * is. Its path is the operator's choice, not a name another user can take first; bin/msf and the
 * launcher make it owner-only on every start; and an operator may have made it a link to another
 * disk, or opened it to a group, on purpose. (The console still narrows it before putting its socket
 * there.)
 *
 * <p>On a file system without POSIX permissions only the link and the kind of file are checked:
 * owner and mode cannot be read there the same way (a per-user temporary folder, as on Windows,
 * keeps others out of the default).
 */
public final class DataFolder {

    /** Framework property naming the data folder. */
    public static final String PROPERTY = "msf.data";

    private static final String ANOTHER_USERS = "it belongs to another user than the one running this JVM";

    private final Path path;
    private final boolean isDefault;

    private DataFolder(Path path, boolean isDefault) {
        this.path = path.toAbsolutePath().normalize();
        this.isDefault = isDefault;
    }

    /**
     * @param properties the framework properties, say {@code context::getProperty} (which falls back
     *     to the system properties): {@value #PROPERTY}, and for the default {@code java.io.tmpdir}
     *     and {@code user.name}, each taken from the system properties if the function has none
     */
    public static DataFolder of(Function<String, String> properties) {
        String configured = properties.apply(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new DataFolder(Path.of(configured), false);
        }
        return new DataFolder(Path.of(property(properties, "java.io.tmpdir"),
                "msf-data-" + property(properties, "user.name")), true);
    }

    private static String property(Function<String, String> properties, String key) {
        String value = properties.apply(key);
        return value != null ? value : System.getProperty(key);
    }

    /** The folder's absolute path, neither created nor checked: to show it, or to compare with it. */
    public Path path() {
        return path;
    }

    /** Whether {@value #PROPERTY} is unset and this is its default in the temporary folder. */
    public boolean isDefault() {
        return isDefault;
    }

    /**
     * The folder, ready for the container's files: created owner-only if missing; the default
     * checked, as the class says, when it is already there.
     *
     * @throws IOException if it cannot be created, or it is the default and is refused; the message
     *     names the folder, what was found and what to do
     */
    public Path prepare() throws IOException {
        if (!isDefault) {
            if (!Files.isDirectory(path)) {
                createConfigured();
            }
            return path;
        }
        try {
            OwnerOnly.createDirectory(path);
            return path;
        } catch (FileAlreadyExistsException there) {
            // From an earlier run, or put there by someone else: which, the checks tell.
        } catch (IOException e) {
            throw new IOException("cannot create the data folder " + path + " (the default, as " + PROPERTY
                    + " is unset): " + e + "; set " + PROPERTY + " to a folder of your own", e);
        }
        String refusal = refusal();
        if (refusal != null) {
            throw new IOException("data folder " + path + " refused: " + refusal + ". " + PROPERTY + " is unset, and "
                    + "this default lies in a folder every user may write in: another user could have made it, to "
                    + "read or plant the container's files. Set " + PROPERTY + " to a folder of your own, or delete "
                    + path + " and start the container again (it is then made anew, owner-only)");
        }
        return path;
    }

    private void createConfigured() throws IOException {
        try {
            OwnerOnly.createDirectories(path);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("data folder " + path + " (" + PROPERTY + ") is not a folder", e);
        }
    }

    /** Why the default folder that is there may not be used, or null if it may. */
    private String refusal() throws IOException {
        BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (basic.isSymbolicLink()) {
            return "it is a symbolic link (to " + Files.readSymbolicLink(path) + "), not a folder";
        }
        if (!basic.isDirectory()) {
            return "it is " + (basic.isRegularFile() ? "a file" : "a special file") + ", not a folder";
        }
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return null;
        }
        PosixFileAttributes posix = view.readAttributes();
        String found = found(posix.owner().getName(), posix.permissions());
        if (!OwnerOnly.isOwnerOnly(posix.permissions())) {
            return "group or others may use it (" + found + ")";
        }
        try {
            return ownedByUs(posix.owner()) ? null : ANOTHER_USERS + " (" + found + ")";
        } catch (AccessDeniedException cannotWrite) {
            return cannotWriteIn(posix.owner().getName(), System.getProperty("user.name"), posix.permissions());
        }
    }

    /**
     * Why a folder closed to all but its owner, that the running user may not write in, is refused.
     * Either another user owns it, or it is the running user's own without write permission for its
     * owner (r-x------, made so by hand): then saying it belongs to another user would send the
     * operator looking for an intruder. Only the wording is told by {@code user.name}, which may name
     * someone else: the folder is refused either way.
     *
     * @param owner the folder's owner
     * @param runningUser {@code user.name}, the user running this JVM
     * @param permissions the folder's
     */
    static String cannotWriteIn(String owner, String runningUser, Set<PosixFilePermission> permissions) {
        String found = found(owner, permissions);
        if (owner.equals(runningUser)) {
            return "its owner, the user running this JVM, may not write in it (" + found + ")";
        }
        return ANOTHER_USERS + " (" + found + ")";
    }

    private static String found(String owner, Set<PosixFilePermission> permissions) {
        return PosixFilePermissions.toString(permissions) + ", owner " + owner;
    }

    /**
     * Whether we are the owner, told by a file we make in the folder: {@code user.name} may name
     * someone else, or nobody (a uid without a name). Only called once the folder is known to be
     * closed to all but its owner, so the empty file shows nobody anything; we can make it there
     * only if we own the folder or are root, and root is told apart by the file's owner.
     *
     * @throws AccessDeniedException the file cannot be made: the folder is another user's, or ours
     *     without write permission
     */
    private boolean ownedByUs(UserPrincipal owner) throws IOException {
        Path probe = Files.createTempFile(path, ".owner-", ".probe");
        try {
            return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS).equals(owner);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
