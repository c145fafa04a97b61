package io.msf.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Whether a file that gives a password (a key of Metatype's {@code PASSWORD} type with a value) may be
 * read by other users. The agent's {@code token} and TLS passwords go into {@code etc/msf.agent.cfg},
 * which the assembly ships {@code rw-r--r--} in an {@code etc/} others may enter: every user of the
 * machine could read the token and join the agent with it. The file is applied all the same (refusing it
 * would stop the agent at the next start of a container that ran with it); the warning says what to do.
 *
 * <p>Read permission alone does not let another user read the file: each folder on its way must let
 * them through (x). A file {@code rw-r--r--} in a folder its owner made {@code rwx------} (a child
 * container's {@code etc/}, made owner-only by the supervisor) is out of their reach, and a warning of
 * it would be false.
 */
final class ReadableSecrets {

    private ReadableSecrets() {
    }

    /**
     * @param shown the file as operators know it, {@code etc/msf.agent.cfg}
     * @param secret the keys that are passwords
     * @return the warning, naming the keys but never their values; empty if the file gives no password,
     *     no other user can both reach and read it, or its permissions cannot be read (no POSIX file
     *     system, the file gone)
     */
    static Optional<String> warning(Path file, String shown, Map<String, ?> values, Predicate<String> secret) {
        String keys = values.entrySet().stream()
                .filter(entry -> secret.test(entry.getKey()) && !String.valueOf(entry.getValue()).isBlank())
                .map(entry -> "'" + entry.getKey() + "'").sorted().collect(Collectors.joining(", "));
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        PosixFileAttributes attributes;
        Path real;
        try {
            // the folders a reader passes are the real file's: a link's target is reached through them too
            real = file.toRealPath();
            attributes = Files.readAttributes(real, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        Set<Readers> readers = Readers.of(attributes.permissions());
        for (Path folder = real.getParent(); folder != null && !readers.isEmpty(); folder = folder.getParent()) {
            shutOutBy(folder, attributes, readers);
        }
        if (readers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((keys.contains(",") ? "keys " + keys + " hold passwords" : "key " + keys + " holds a password")
                + ", and other users may read the file (" + PosixFilePermissions.toString(attributes.permissions())
                + "): make it owner-only (chmod 600 " + shown + ")");
    }

    /**
     * Takes out of {@code readers} those {@code folder} keeps out. Only a folder of the file's own owner
     * counts: another owner passes its own folder, and may be one of the readers. Of the same group as the
     * file, the folder's group and others are the file's; of another group, a reader of either kind may be
     * in the folder's group or not, so only a folder that lets neither through keeps them out. A folder
     * whose permissions cannot be read keeps no one out.
     */
    private static void shutOutBy(Path folder, PosixFileAttributes file, Set<Readers> readers) {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(folder, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return;
        }
        if (!attributes.owner().equals(file.owner())) {
            return;
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        boolean groupPasses = permissions.contains(PosixFilePermission.GROUP_EXECUTE);
        boolean othersPass = permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
        if (attributes.group().equals(file.group())) {
            if (!groupPasses) {
                readers.remove(Readers.GROUP);
            }
            if (!othersPass) {
                readers.remove(Readers.OTHERS);
            }
        } else if (!groupPasses && !othersPass) {
            readers.clear();
        }
    }

    /** The users other than the owner that a file's permissions let read it. */
    private enum Readers {
        GROUP, OTHERS;

        static Set<Readers> of(Set<PosixFilePermission> permissions) {
            Set<Readers> readers = EnumSet.noneOf(Readers.class);
            if (permissions.contains(PosixFilePermission.GROUP_READ)) {
                readers.add(GROUP);
            }
            if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
                readers.add(OTHERS);
            }
            return readers;
        }
    }
}
