package io.msf.itests.monitor;

import io.msf.event.api.ServiceExecutors;
import io.msf.itests.tenant.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * A service bundle that keeps one thread of its own msf executor busy until the test lets it go
 * (its evidence, an {@link AtomicBoolean}, set to false) or the bundle stops (the executor is shut
 * down and its thread interrupted).
 */
public final class BusyTenant extends Tenant {

    public static final String SYMBOLIC_NAME = "io.msf.itests.tenant.busy";
    public static final String KIND = "busy";

    @Override
    public void start(BundleContext context) {
        ExecutorService executor = service(context, ServiceExecutors.class).executor("spin", 1);
        AtomicBoolean spin = new AtomicBoolean(true);
        executor.execute(() -> {
            while (spin.get() && !Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
        });
        publish(context, KIND, spin);
    }

    /** Writes the bundle into {@code dir} as {@code <symbolic name>.jar}, where the test support installs tenants from. */
    public static void write(Path dir) throws IOException {
        try (InputStream jar = TinyBundles.bundle()
                .setHeader(Constants.BUNDLE_MANIFESTVERSION, "2")
                .symbolicName(SYMBOLIC_NAME)
                .setHeader(Constants.BUNDLE_VERSION, "1.0.0")
                .activator(BusyTenant.class)
                .addClass(Tenant.class)
                .addClass(BusyTenant.class)
                .setHeader(Constants.IMPORT_PACKAGE, "org.osgi.framework")
                .setHeader(Constants.DYNAMICIMPORT_PACKAGE, "io.msf.*")
                .build(TinyBundles.rawBuilder())) {
            Files.copy(jar, dir.resolve(SYMBOLIC_NAME + ".jar"));
        }
    }
}
