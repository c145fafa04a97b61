package io.msf.supervisor.internal;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** The container's folders, from the framework properties the launcher sets. */
final class Folders {

    private Folders() {
    }

    /** {@code msf.home}, or the working directory in a framework launched without it (tests). */
    static Path home(BundleContext context) {
        return absolute(context.getProperty("msf.home"), System.getProperty("user.dir"));
    }

    /** {@code msf.data}, or {@code ${java.io.tmpdir}/msf-data-${user.name}} without it. */
    static Path data(BundleContext context) {
        return absolute(context.getProperty("msf.data"),
                Path.of(System.getProperty("java.io.tmpdir"), "msf-data-" + System.getProperty("user.name")).toString());
    }

    private static Path absolute(String configured, String fallback) {
        String value = configured == null || configured.isBlank() ? fallback : configured;
        return Path.of(value).toAbsolutePath().normalize();
    }
}
