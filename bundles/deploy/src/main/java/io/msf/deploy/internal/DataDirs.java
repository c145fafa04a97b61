package io.msf.deploy.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringTokenizer;
import java.util.function.Function;
import org.osgi.framework.BundleContext;

/** The folders the deployer reads from, from the framework properties; the data folder is DataFolder's. */
final class DataDirs {

    /** Framework property: Maven-layout folders for mvn: and plain-path locations, comma-separated. */
    static final String REPOSITORIES = "msf.deploy.repositories";
    /** FileInstall's framework property: the folders it watches. */
    static final String WATCHED_DIR = "felix.fileinstall.dir";
    /** The folder FileInstall watches when it is told none, relative to the working directory. */
    static final String FILEINSTALL_DEFAULT_DIR = "./load";

    private DataDirs() {
    }

    /** A file as operators know it: relative to {@code msf.home} when inside it, e.g. {@code deploy/x.jar}. */
    static String shown(BundleContext context, java.io.File file) {
        String home = context.getProperty("msf.home");
        Path path = file.toPath().toAbsolutePath().normalize();
        Path root = home == null ? null : Path.of(home).toAbsolutePath().normalize();
        return root != null && path.startsWith(root) ? root.relativize(path).toString() : path.toString();
    }

    /**
     * The folder a new service's configuration file is written to: the first folder FileInstall
     * watches by its framework properties ({@link #watched(Function)}); null if it watches none.
     */
    static Path configFolder(BundleContext context) {
        List<Path> watched = watched(context::getProperty);
        return watched.isEmpty() ? null : watched.get(0);
    }

    /**
     * The folders FileInstall watches by its framework properties, read as FileInstall 3.7.4 reads
     * {@value #WATCHED_DIR} at its start: unset, its system property {@code FELIX_FILEINSTALL_DIR},
     * and without that {@value #FILEINSTALL_DEFAULT_DIR}; a value with a comma is a list, each folder
     * trimmed; a single folder is taken as written, spaces and all (FileInstall then watches a folder
     * of that name, warning while there is none).
     */
    static List<Path> watched(Function<String, String> frameworkProperty) {
        String dir = fileInstallProperty(frameworkProperty, WATCHED_DIR);
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
     * A framework property FileInstall reads at its start, as it reads it: unset, from the system
     * property of its name in capitals with '_' for '.' ({@code FELIX_FILEINSTALL_DIR}).
     */
    static String fileInstallProperty(Function<String, String> frameworkProperty, String key) {
        String value = frameworkProperty.apply(key);
        return value != null ? value : System.getProperty(key.toUpperCase(Locale.ROOT).replace('.', '_'));
    }

    /**
     * {@value #REPOSITORIES} if set; otherwise the assembly's {@code repository/} folder (when
     * {@code msf.home} is set) and the user's local Maven repository.
     */
    static List<Path> repositories(BundleContext context) {
        List<Path> repositories = new ArrayList<>();
        String configured = context.getProperty(REPOSITORIES);
        if (configured != null && !configured.isBlank()) {
            for (String folder : configured.split(",")) {
                if (!folder.isBlank()) {
                    repositories.add(Path.of(folder.trim()));
                }
            }
            return repositories;
        }
        String home = context.getProperty("msf.home");
        if (home != null) {
            repositories.add(Path.of(home, "repository"));
        }
        repositories.add(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        return repositories;
    }
}
