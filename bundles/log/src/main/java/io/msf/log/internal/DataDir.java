package io.msf.log.internal;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** The assembly's data folder: framework property {@code msf.data}, or a per-user temporary one. */
final class DataDir {

    static final String PROPERTY = "msf.data";

    private DataDir() {
    }

    static Path of(BundleContext context) {
        String configured = context.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "msf-data-" + System.getProperty("user.name"));
    }
}
