package io.msf.supervisor.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java version a child container runs, read as bin/msf reads it: {@code JAVA_VERSION} of the
 * {@code release} file of the JDK its java executable belongs to (links resolved). A child may name
 * another JDK than the supervisor's ({@code command}), and its options depend on the version: an
 * option of Java 24 would stop a Java 17 from starting. Unknown (no such file): the supervisor's own.
 */
final class ChildJava {

    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");

    private ChildJava() {
    }

    /**
     * The feature version (17, 25) of {@code java}: a path, or a name looked up on the PATH, as the
     * child's launch finds it: a relative one (and a relative PATH entry) from the folder it starts in,
     * not this JVM's.
     */
    static int feature(String java, Path workingFolder) {
        return home(java, workingFolder).flatMap(ChildJava::released).orElse(Runtime.version().feature());
    }

    /** The JDK folder of a java executable: the folder above its {@code bin/}. */
    private static Optional<Path> home(String java, Path workingFolder) {
        try {
            Path executable = java.contains(File.separator) ? workingFolder.resolve(java) : onPath(java, workingFolder);
            if (executable == null || !Files.isRegularFile(executable)) {
                return Optional.empty();
            }
            Path bin = executable.toRealPath().getParent();
            return Optional.ofNullable(bin == null ? null : bin.getParent());
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Path onPath(String name, Path workingFolder) {
        String path = System.getenv("PATH");
        for (String folder : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = workingFolder.resolve(folder).resolve(name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The feature version its {@code release} file names (1.8 is 8). */
    private static Optional<Integer> released(Path home) {
        try {
            Matcher matcher = VERSION.matcher(Files.readString(home.resolve("release"), StandardCharsets.UTF_8));
            if (!matcher.find()) {
                return Optional.empty();
            }
            String version = matcher.group(1);
            String feature = version.startsWith("1.") ? version.substring(2) : version;
            Matcher digits = Pattern.compile("^\\d+").matcher(feature);
            return digits.find() ? Optional.of(Integer.parseInt(digits.group())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
