package io.msf.config.internal;

import java.net.URI;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/**
 * Files as operators know them: relative to the assembly's home ({@code msf.home}), e.g.
 * {@code etc/msf.log.cfg}, as the gate's lines and {@code config:rejected} name them; a file
 * outside the home by its absolute path.
 */
final class ShownFiles {

    private final Path home;

    ShownFiles(BundleContext context) {
        String home = context.getProperty("msf.home");
        this.home = home == null ? null : Path.of(home).toAbsolutePath().normalize();
    }

    String of(Path file) {
        Path path = file.toAbsolutePath().normalize();
        return home != null && path.startsWith(home) ? home.relativize(path).toString() : path.toString();
    }

    /** The file a {@code file:} URI names (a file key of FileInstall or the gate). */
    String ofUri(String uri) {
        return of(Path.of(URI.create(uri)));
    }
}
