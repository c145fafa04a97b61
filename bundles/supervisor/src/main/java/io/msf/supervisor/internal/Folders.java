package io.msf.supervisor.internal;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** The container's home folder, from the framework property the launcher sets; the data folder is DataFolder's. */
final class Folders {

    private Folders() {
    }

    /** {@code msf.home}, or the working directory in a framework launched without it (tests). */
    static Path home(BundleContext context) {
        return absolute(context.getProperty("msf.home"), System.getProperty("user.dir"));
    }

    private static Path absolute(String configured, String fallback) {
        String value = configured == null || configured.isBlank() ? fallback : configured;
        return Path.of(value).toAbsolutePath().normalize();
    }
}
