package io.msf.shell.internal;

import java.nio.file.Path;
import org.osgi.framework.BundleContext;

/** Where the container keeps its data (framework cache, logs, the console socket). */
public final class DataDir {

    /** Framework property naming the data directory. */
    public static final String PROPERTY = "msf.data";

    private DataDir() {
    }

    /**
     * The {@code msf.data} framework property, or {@code ${java.io.tmpdir}/msf-data-${user.name}}
     * when it is unset (a framework launched by tests or by hand).
     */
    public static Path of(BundleContext context) {
        String configured = context.getProperty(PROPERTY);
        Path dir = configured == null || configured.isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "msf-data-" + System.getProperty("user.name"))
                : Path.of(configured);
        return dir.toAbsolutePath().normalize();
    }
}
