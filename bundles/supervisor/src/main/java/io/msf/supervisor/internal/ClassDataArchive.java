package io.msf.supervisor.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.osgi.service.log.Logger;

/**
 * The class-data-sharing archive of a child container (key {@code classDataSharing}): the classes
 * its previous run loaded until ready (JDK, Felix, launcher and bundles), which the next run maps
 * instead of loading, verifying and parsing them again - the largest single cut of a child's
 * restart time (bench/supervisor).
 *
 * <p>A run without a usable archive records one: the launcher dumps it after its ready line
 * ({@code -Dmsf.cds.dump}; io.msf.launcher.ClassDataDump). An archive is usable if it is newer
 * than the java executable and every jar of the class path ({@code lib/}): the JVM checks the same
 * and silently ignores a stale archive ({@code -Xshare:auto}, the default), but then nothing would
 * ever replace it. Bundle classes need no check: the JVM compares each archived class with the
 * bytes its bundle defines and loads a changed one normally. The archive's name carries a hash
 * of the java executable's path, so a child moved to another JDK records a fresh one.
 */
final class ClassDataArchive {

    /**
     * From this Java on, the JVM crashes at the first lambda it links after an in-process dump (a
     * JDK defect, seen on 25.0.3), and the launcher refuses to dump (its ClassDataDump).
     */
    private static final int FIRST_JAVA_CRASHING_AFTER_DUMP = 25;

    private ClassDataArchive() {
    }

    /** Whether a child of this Java records an archive (then maps it); if not, it runs without one of its own. */
    static boolean records(int javaFeature) {
        return javaFeature < FIRST_JAVA_CRASHING_AFTER_DUMP;
    }

    /**
     * The JVM options for this run, after removing a stale archive. Never fails the spawn: an
     * archive that cannot be judged or removed is reported once and the child runs without
     * sharing.
     *
     * @param child the process name, for the warning
     * @param java  the child's java executable (as configured: a path or a name on the PATH)
     * @param lib   the assembly's class path folder
     */
    static List<String> options(boolean enabled, Path dataFolder, String java, Path lib, String child, Logger log) {
        if (!enabled) {
            return List.of();
        }
        try {
            Path archive = archive(dataFolder, java);
            if (usable(archive, java, lib)) {
                return List.of("-XX:SharedArchiveFile=" + archive);
            }
            Files.deleteIfExists(archive);
            return recording(archive);
        } catch (IOException | InvalidPathException e) {
            log.warn("process '{}': runs without class data sharing, its archive cannot be checked: {}", child,
                    e.toString());
            return List.of();
        }
    }

    /**
     * The JVM options of a warm spare: the archive if it is usable, else those that record one.
     * Unlike {@link #options}, a stale archive is left in place: the running child may be writing
     * its successor, and a spare records only after its promotion, once that child is dead.
     */
    static List<String> spareOptions(boolean enabled, Path dataFolder, String java, Path lib) {
        if (!enabled) {
            return List.of();
        }
        Path archive = archive(dataFolder, java);
        return ready(dataFolder, java, lib) ? List.of("-XX:SharedArchiveFile=" + archive) : recording(archive);
    }

    /** Whether a usable archive is in place (false if it cannot be told). */
    static boolean ready(Path dataFolder, String java, Path lib) {
        try {
            return usable(archive(dataFolder, java), java, lib);
        } catch (IOException | InvalidPathException e) {
            return false;
        }
    }

    private static List<String> recording(Path archive) {
        // the dump lists every class it skips as a warning: thousands of lines in the child's log
        return List.of("-XX:+RecordDynamicDumpInfo", "-Xlog:cds*=off", "-Dmsf.cds.dump=" + archive);
    }

    private static Path archive(Path dataFolder, String java) {
        return dataFolder.resolve("classes-" + Integer.toHexString(java.hashCode()) + ".jsa");
    }

    private static boolean usable(Path archive, String java, Path lib) throws IOException {
        if (!Files.isRegularFile(archive)) {
            return false;
        }
        FileTime written = Files.getLastModifiedTime(archive);
        Path executable = Path.of(java);
        if (executable.isAbsolute() && Files.exists(executable)
                && Files.getLastModifiedTime(executable.toRealPath()).compareTo(written) > 0) {
            return false;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(lib, "*.jar")) {
            for (Path jar : jars) {
                if (Files.getLastModifiedTime(jar).compareTo(written) > 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
