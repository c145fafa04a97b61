package io.msf.deploy.internal;

import io.msf.files.FileInstallFolders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;

/** The folders the deployer reads from, from the framework properties; the data folder is DataFolder's. */
final class DataDirs {

    /** Framework property: Maven-layout folders for mvn: and plain-path locations, comma-separated. */
    static final String REPOSITORIES = "msf.deploy.repositories";

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
     * watches by its framework properties ({@link FileInstallFolders#watched}); null if it watches none.
     */
    static Path configFolder(BundleContext context) {
        List<Path> watched = FileInstallFolders.watched(context::getProperty);
        return watched.isEmpty() ? null : watched.get(0);
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
