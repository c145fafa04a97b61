package io.msf.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
 */
final class ReadableSecrets {

    private static final Set<PosixFilePermission> OTHERS_READ = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ);

    private ReadableSecrets() {
    }

    /**
     * @param shown the file as operators know it, {@code etc/msf.agent.cfg}
     * @param secret the keys that are passwords
     * @return the warning, naming the keys but never their values; empty if the file gives no password,
     *     is owner-only, or its permissions cannot be read (no POSIX file system, the file gone)
     */
    static Optional<String> warning(Path file, String shown, Map<String, ?> values, Predicate<String> secret) {
        String keys = values.entrySet().stream()
                .filter(entry -> secret.test(entry.getKey()) && !String.valueOf(entry.getValue()).isBlank())
                .map(entry -> "'" + entry.getKey() + "'").sorted().collect(Collectors.joining(", "));
        if (keys.isEmpty()) {
            return Optional.empty();
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        if (permissions.stream().noneMatch(OTHERS_READ::contains)) {
            return Optional.empty();
        }
        return Optional.of((keys.contains(",") ? "keys " + keys + " hold passwords" : "key " + keys + " holds a password")
                + ", and other users may read the file (" + PosixFilePermissions.toString(permissions)
                + "): make it owner-only (chmod 600 " + shown + ")");
    }
}
