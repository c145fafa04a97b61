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
 * the order they are installed in. Anything else in {@code bundle/} (a stray file, a folder that
 * is not a positive number) is an error naming the path, not something silently skipped.
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
                int level = levelOf(levelDir);
                try (Stream<Path> jars = Files.list(levelDir)) {
                    for (Path jar : jars.toList()) {
                        if (!Files.isRegularFile(jar) || !jar.getFileName().toString().endsWith(".jar")) {
                            throw new IllegalArgumentException(jar + " is not a bundle jar (only *.jar belong in " + levelDir + ")");
                        }
                        plan.add(new BundleFile(level, jar));
                    }
                }
            }
        }
        if (plan.isEmpty()) {
            throw new IllegalArgumentException("no bundles in " + bundleDir + " (expected " + bundleDir + "/<start level>/*.jar)");
        }
        plan.sort(Comparator.comparingInt(BundleFile::level)
                .thenComparing(bundle -> bundle.file().getFileName().toString()));
        return plan;
    }

    private static int levelOf(Path levelDir) {
        String name = levelDir.getFileName().toString();
        if (Files.isDirectory(levelDir) && name.matches("[1-9][0-9]{0,5}")) {
            return Integer.parseInt(name);
        }
        throw new IllegalArgumentException(levelDir + " is not a start level folder (expected a positive number holding *.jar)");
    }
}
