package io.msf.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

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
        try (Stream<Path> levels = Files.list(bundleDir)) {
            for (Path levelDir : levels.toList()) {
                if (isConsoleFolder(levelDir)) {
                    continue;
                }
                int level = levelOf(levelDir);
                jarsIn(levelDir).forEach(jar -> plan.add(new BundleFile(level, jar)));
            }
        }
        if (plan.isEmpty()) {
            throw new IllegalArgumentException("no bundles in " + bundleDir + " (expected " + bundleDir + "/<start level>/*.jar)");
        }
        plan.sort(Comparator.comparingInt(BundleFile::level)
                .thenComparing(bundle -> bundle.file().getFileName().toString()));
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
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> jars = jarsIn(folder);
        jars.sort(Comparator.comparing(jar -> jar.getFileName().toString()));
        return jars;
    }

    private static List<Path> jarsIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars = new ArrayList<>(files.toList());
            for (Path jar : jars) {
                if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
                    throw new IllegalArgumentException(jar + " is not a bundle jar (only *.jar belong in " + folder + ")");
                }
            }
            return jars;
        }
    }

    private static boolean isConsoleFolder(Path dir) {
        return dir.getFileName().toString().equals(CONSOLE_FOLDER) && Files.isDirectory(dir);
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
