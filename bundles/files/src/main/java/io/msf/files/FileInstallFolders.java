package io.msf.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringTokenizer;
import java.util.function.Function;

/**
 * The folders FileInstall watches, read from its framework properties as FileInstall 3.7.4 reads
 * them at its start: the config bundle (which files are configurations) and the deploy bundle
 * (where a service's configuration is written, which jars FileInstall starts) must see the folders
 * FileInstall sees.
 */
public final class FileInstallFolders {

    /** FileInstall's framework property: the folders it watches. */
    public static final String WATCHED_DIR = "felix.fileinstall.dir";
    /** The folder FileInstall watches when it is told none, relative to the working directory. */
    public static final String DEFAULT_DIR = "./load";

    private FileInstallFolders() {
    }

    /**
     * {@value #WATCHED_DIR}: unset, its system property {@code FELIX_FILEINSTALL_DIR}, and without
     * that {@value #DEFAULT_DIR}; a value with a comma is a list, each folder trimmed; a single
     * folder is taken as written, spaces and all (FileInstall then watches a folder of that name,
     * warning while there is none).
     */
    public static List<Path> watched(Function<String, String> frameworkProperty) {
        String dir = property(frameworkProperty, WATCHED_DIR);
        if (dir == null) {
            return List.of(Path.of(DEFAULT_DIR));
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
     * A framework property FileInstall reads at its start, as it reads it: unset, from the system
     * property of its name in capitals with '_' for '.' ({@code FELIX_FILEINSTALL_DIR}).
     */
    public static String property(Function<String, String> frameworkProperty, String key) {
        String value = frameworkProperty.apply(key);
        return value != null ? value : System.getProperty(key.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
}
