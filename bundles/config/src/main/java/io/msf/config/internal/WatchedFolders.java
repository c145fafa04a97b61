package io.msf.config.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringTokenizer;
import java.util.function.Function;

/**
 * The folders FileInstall watches for configuration files, by its framework property
 * {@value #WATCHED_DIR}, read as FileInstall 3.7.4 reads it at its start.
 *
 * <p>The deploy bundle reads it the same way (its {@code DataDirs.watched}): a twin, not shared, as
 * bundles share code only through their exported api packages, and this is no API of either. A
 * change of how FileInstall reads the property goes into both.
 */
final class WatchedFolders {

    /** FileInstall's framework property: the folders it watches. */
    static final String WATCHED_DIR = "felix.fileinstall.dir";
    /** The folder FileInstall watches when it is told none, relative to the working directory. */
    static final String FILEINSTALL_DEFAULT_DIR = "./load";

    private WatchedFolders() {
    }

    /**
     * Unset, its system property {@code FELIX_FILEINSTALL_DIR}, and without that
     * {@value #FILEINSTALL_DEFAULT_DIR}; a value with a comma is a list, each folder trimmed; a single
     * folder is taken as written, spaces and all (FileInstall then watches a folder of that name,
     * warning while there is none).
     */
    static List<Path> of(Function<String, String> frameworkProperty) {
        String value = frameworkProperty.apply(WATCHED_DIR);
        String dir = value != null ? value : System.getProperty(WATCHED_DIR.toUpperCase(Locale.ROOT).replace('.', '_'));
        if (dir == null) {
            return List.of(Path.of(FILEINSTALL_DEFAULT_DIR));
        }
        List<String> items = new ArrayList<>();
        if (dir.indexOf(',') < 0) {
            items.add(dir);
        } else {
            for (StringTokenizer list = new StringTokenizer(dir, ","); list.hasMoreTokens();) {
                items.add(list.nextToken().trim());
            }
        }
        // FileInstall's File("") is no folder at all, while Path.of("") is the working directory
        return items.stream().filter(item -> !item.isEmpty()).map(Path::of).toList();
    }

    /**
     * Whether {@code file} lies directly in one of the watched folders, however either path is
     * spelled, as the file system resolves the file's folder: not normalized first, since
     * {@code link/..} is the folder above the link's target, not the watched folder (FileInstall's own
     * file keys are canonical).
     */
    static boolean holds(List<Path> watchedDirs, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            return false;
        }
        for (Path watched : watchedDirs) {
            try {
                if (Files.isDirectory(watched) && Files.isSameFile(dir, watched)) {
                    return true;
                }
            } catch (IOException e) {
                // the file's folder is gone or cannot be read: it is not that watched folder
            }
        }
        return false;
    }
}
